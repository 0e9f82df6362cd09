"""What the witness care officer sees: a change to court needs in the review queue (marked reviewed like a
preference change), and a hearing on a date the victim asked to avoid flagged on the victim's page, in
the queue and on the home page. Other units' victims are not found. On both databases."""

from __future__ import annotations

from datetime import datetime, time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, CourtNeedsReview
from portal.services.court_needs import records
from portal.services.court_needs.records import LONDON, CourtNeeds, DateToAvoid
from tests.court_needs.helpers import URN, days_ahead
from tests.support.builders import create_update, create_victim
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.statements import counting

FLAG = "Hearing on a date to avoid"


def give_needs(app: Flask, victim_id: str, urn: str, *dates: DateToAvoid, needs: tuple[str, ...] = ()) -> int:
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        saved = records.record(
            session,
            victim_id,
            case.id,
            CourtNeeds(dates=dates, needs=needs),
            actor=None,
            actor_label="Sam Sample",
            source=records.SOURCE_VICTIM,
        )
        assert saved.version is not None
        return saved.version


def hearing(app: Flask, urn: str, when: datetime, event_id: str = "cn-hearing") -> None:
    with app.app_context(), db.job() as session:
        create_update(
            session,
            urn,
            "hearing-scheduled",
            agency="witness_care",
            agency_event_id=event_id,
            details={"hearing_at": when.isoformat(), "court_name": "Exampletown Crown Court"},
            announce=False,
        )


def test_a_hearing_in_the_morning_of_a_morning_to_avoid_is_flagged(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    day = days_ahead(20)
    give_needs(seeded, victim_id, URN, DateToAvoid(day, records.MORNING, "medical"))
    assert FLAG not in page_text(officer_client.get(f"/staff/victims/{victim_id}"))
    hearing(seeded, URN, datetime.combine(day, time(12, 59), LONDON))
    page = page_text(officer_client.get(f"/staff/victims/{victim_id}"))
    assert FLAG in page
    assert "they asked to avoid" in page and "morning (medical appointment)" in page
    queue = page_text(officer_client.get("/staff/review"))
    assert FLAG in queue and "Sam Sample" in queue
    home = officer_client.get("/staff").get_data(as_text=True)
    assert "1 hearing" in page_text(home)


def test_an_afternoon_hearing_on_a_morning_to_avoid_is_not_flagged(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    day = days_ahead(20)
    give_needs(seeded, victim_id, URN, DateToAvoid(day, records.MORNING, "medical"))
    hearing(seeded, URN, datetime.combine(day, time(13, 0), LONDON))
    assert FLAG not in page_text(officer_client.get(f"/staff/victims/{victim_id}"))
    assert FLAG not in page_text(officer_client.get("/staff/review"))
    assert "0 hearings" in page_text(officer_client.get("/staff"))


def test_a_change_is_in_the_review_queue_until_marked_reviewed(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    give_needs(seeded, victim_id, URN, needs=("screens",))
    queue = page_text(officer_client.get("/staff/review"))
    assert "Dates to avoid and needs at court" in queue
    assert "Sam Sample" in queue.split("Dates to avoid and needs at court")[-1]
    page = page_text(officer_client.get(f"/staff/victims/{victim_id}"))
    assert "Screens" in page
    reviewed = post_form(
        officer_client,
        f"/staff/victims/{victim_id}/cases/{URN}/court-needs/reviewed",
        {"version": "1", "back": "queue"},
        page="/staff/review",
    )
    assert reviewed.status_code == 302
    assert "No dates to avoid or needs at court to review." in page_text(officer_client.get("/staff/review"))
    # A new change puts it back, with what changed.
    give_needs(seeded, victim_id, URN, needs=("screens", "live-link"))
    queue = page_text(officer_client.get("/staff/review"))
    assert "Live link" in queue.split("Dates to avoid and needs at court")[-1]
    with seeded.app_context(), db.job() as session:
        assert [r.version for r in session.scalars(select(CourtNeedsReview))] == [1]


def test_other_units_victims_are_not_found(seeded: Flask, officer_client: FlaskClient) -> None:
    other = create_other_unit(seeded)
    give_needs(
        seeded, other["victim_id"], other["urn"], DateToAvoid(days_ahead(5), records.WHOLE_DAY, "work")
    )
    hearing(seeded, other["urn"], datetime.combine(days_ahead(5), time(10, 0), LONDON), "cn-other")
    refused = post_form(
        officer_client,
        f"/staff/victims/{other['victim_id']}/cases/{other['urn']}/court-needs/reviewed",
        {"version": "1"},
        page="/staff/review",
    )
    assert refused.status_code == 404
    # The demo victim is not on the other unit's case either.
    victim_id = demo_victim_id(seeded)
    assert (
        post_form(
            officer_client,
            f"/staff/victims/{victim_id}/cases/{other['urn']}/court-needs/reviewed",
            {"version": "1"},
            page="/staff/review",
        ).status_code
        == 404
    )
    queue = page_text(officer_client.get("/staff/review"))
    assert FLAG not in queue and "Pat Placeholder" not in queue
    assert "0 changes" in page_text(officer_client.get("/staff"))


def _add_court_needs(app: Flask, start: int, count: int) -> None:
    """Victims on the demo case with court needs: the even ones reviewed once and changed since; each
    asked to avoid the day of a hearing added below."""
    day = days_ahead(25)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == URN))
        assert case is not None
        for n in range(start, start + count):
            victim = create_victim(session, "Court", f"Person {n}", case=case, email=f"court{n}@example.com")
            first = records.record(
                session,
                victim.id,
                case.id,
                CourtNeeds(dates=(DateToAvoid(day, records.WHOLE_DAY, "work"),)),
                actor=None,
                actor_label="Police",
                source=records.SOURCE_OFFICER,
            )
            if n % 2 == 0:
                session.add(
                    CourtNeedsReview(
                        victim_id=victim.id, case_id=case.id, version=first.version or 0, reviewer_label="T"
                    )
                )
                records.record(
                    session,
                    victim.id,
                    case.id,
                    CourtNeeds(dates=(DateToAvoid(day, records.WHOLE_DAY, "work"),), needs=("screens",)),
                    actor=None,
                    actor_label="Police",
                    source=records.SOURCE_OFFICER,
                )


def test_the_queue_statements_do_not_grow_with_the_court_needs_waiting(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    hearing(seeded, URN, datetime.combine(days_ahead(25), time(10, 0), LONDON), "cn-count")
    _add_court_needs(seeded, 0, 3)
    with counting(seeded) as few:
        page = page_text(officer_client.get("/staff/review"))
    assert "Court Person 2" in page and "Screens" in page
    _add_court_needs(seeded, 3, 17)
    with counting(seeded) as many:
        page = page_text(officer_client.get("/staff/review"))
    assert "Court Person 19" in page
    assert page.count("they asked to avoid") == 20
    assert len(many) == len(few), (len(few), len(many))
