"""The officer's review queue runs the same number of SQL statements for 3 waiting victims as for 30: each
kind of record (victims, preference versions, reviews, contact points) is read for the whole unit at once.
Counted with a `before_cursor_execute` listener, on SQLite and PostgreSQL."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, PreferenceReview, Victim
from portal.services.cases import records as case_records
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.preferences import records as preferences
from tests.conftest import sign_in
from tests.integration.test_preferences_fixtures import text
from tests.integration.test_query_counts import counting


def _add_waiting_victims(app: Flask, start: int, count: int) -> None:
    """Victims on the demo case (the officer's unit): the even ones reviewed once and changed since."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        for n in range(start, start + count):
            victim = Victim(given_name="Queue", family_name=f"Person {n}", email=f"queue{n}@example.com")
            case_records.add_victim(session, case, victim)
            first = preferences.record_preferences(
                session,
                victim,
                {"interpreter_needed": True, "interpreter_language": "Polish"} if n % 3 == 0 else {},
                actor=None,
                actor_label="Police",
                source="agency at reporting",
            )
            if n % 2 == 0:
                session.add(
                    PreferenceReview(victim_id=victim.id, version=first.version, reviewer_label="Tests")
                )
                preferences.record_preferences(
                    session,
                    victim,
                    {"frequency": "daily-digest"},
                    actor=None,
                    actor_label="Police",
                    source="agency at reporting",
                )


def _statements(app: Flask, client: FlaskClient) -> tuple[int, str]:
    with counting(app) as seen:
        page = client.get("/staff/review")
    assert page.status_code == 200
    return len(seen), text(page)


def test_review_queue_statements_do_not_grow_with_the_victims_waiting(
    seeded: Flask, client: FlaskClient
) -> None:
    sign_in(client, "officer@demo.example")
    _add_waiting_victims(seeded, 0, 3)
    few, page = _statements(seeded, client)
    assert "Queue Person 2" in page
    _add_waiting_victims(seeded, 3, 27)
    many, page = _statements(seeded, client)
    assert "Queue Person 29" in page and "How often you hear from us" in page
    assert many == few, (few, many)
