"""The officer's review queue runs the same number of SQL statements for 3 waiting victims as for 30: each
kind of record (victims, preference versions, reviews, contact points) is read for the whole unit at once.
Counted with a `before_cursor_execute` listener, on SQLite and PostgreSQL."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, PreferenceReview
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_preferences_version, create_victim
from tests.support.pages import page_text
from tests.support.statements import counting


def _add_waiting_victims(app: Flask, start: int, count: int) -> None:
    """Victims on the demo case (the officer's unit): the even ones reviewed once and changed since."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        for n in range(start, start + count):
            victim = create_victim(session, "Queue", f"Person {n}", case=case, email=f"queue{n}@example.com")
            first = create_preferences_version(
                session,
                victim,
                {"interpreter_needed": True, "interpreter_language": "Polish"} if n % 3 == 0 else {},
                actor_label="Police",
            )
            if n % 2 == 0:
                session.add(
                    PreferenceReview(victim_id=victim.id, version=first.version, reviewer_label="Tests")
                )
                create_preferences_version(
                    session, victim, {"frequency": "daily-digest"}, actor_label="Police"
                )


def _statements(app: Flask, client: FlaskClient) -> tuple[int, str]:
    with counting(app) as seen:
        page = client.get("/staff/review")
    assert page.status_code == 200
    return len(seen), page_text(page)


def test_review_queue_statements_do_not_grow_with_the_victims_waiting(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    _add_waiting_victims(seeded, 0, 3)
    few, page = _statements(seeded, officer_client)
    assert "Queue Person 2" in page
    _add_waiting_victims(seeded, 3, 27)
    many, page = _statements(seeded, officer_client)
    assert "Queue Person 29" in page and "How often they hear from us" in page
    assert many == few, (few, many)
