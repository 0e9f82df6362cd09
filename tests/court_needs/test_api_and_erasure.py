"""Shared with witness care and the CPS: the agency API's preferences read carries the court needs of the
case (with their version); a hearing sent through the API on a date to avoid is flagged to the officer;
erasing the victim, or anonymising the case, removes their court needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.data import retention
from portal.extensions import db
from portal.models import Case, CourtNeedsReview, CourtNeedsVersion
from portal.services.court_needs import records
from portal.services.court_needs.records import LONDON, DateToAvoid
from portal.services.demo_data import DEMO_VICTIM_ID
from tests.court_needs.helpers import URN, days_ahead
from tests.court_needs.test_officer import FLAG, give_needs
from tests.support.agency_client import AgencyClient
from tests.support.demo import OFFICER
from tests.support.pages import page_text
from tests.support.signing_in import signed_in


def test_the_preferences_read_includes_the_court_needs_with_their_version(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    before = agency("witness_care").preferences(URN, DEMO_VICTIM_ID)
    assert before.status_code == 200, before.text
    assert before.json()["court"]["recorded"] is False and before.json()["court"]["dates"] == []
    day = days_ahead(12)
    give_needs(seeded, DEMO_VICTIM_ID, URN, DateToAvoid(day, records.AFTERNOON, "caring"), needs=("screens",))
    give_needs(
        seeded,
        DEMO_VICTIM_ID,
        URN,
        DateToAvoid(day, records.AFTERNOON, "caring"),
        needs=("screens", "fear-of-defendants-associates"),
    )
    court = agency("cps").preferences(URN, DEMO_VICTIM_ID).json()["court"]
    assert court["recorded"] is True and court["version"] == 2
    assert court["dates"] == [{"date": day.isoformat(), "part": "afternoon", "reason": "caring"}]
    assert court["needs"] == ["screens", "fear-of-defendants-associates"]
    assert court["changed_fields"] == ["fear-of-defendants-associates"]
    assert court["last_change_source"] == "victim online" and court["last_changed_by"] == "Sam Sample"


def test_a_hearing_sent_through_the_api_on_a_date_to_avoid_is_flagged(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    day = days_ahead(30)
    give_needs(seeded, DEMO_VICTIM_ID, URN, DateToAvoid(day, records.WHOLE_DAY, "holiday"))
    officer = signed_in(seeded, OFFICER)
    assert FLAG not in page_text(officer.get("/staff/review"))
    sent = agency("witness_care").send_updates(
        URN,
        {
            "event_id": "cn-api-hearing",
            "type": "hearing-scheduled",
            "occurred_at": datetime.now(UTC).isoformat(),
            "received_at": datetime.now(UTC).isoformat(),
            "details": {
                "hearing_at": datetime.combine(day, time(14, 30), LONDON).isoformat(),
                "court_name": "Exampletown Crown Court",
            },
        },
    )
    assert sent.status_code == 201, sent.text
    assert FLAG in page_text(officer.get("/staff/review"))
    assert FLAG in page_text(officer.get(f"/staff/victims/{DEMO_VICTIM_ID}"))
    # Moved to another day: no longer flagged.
    moved = agency("witness_care").send_updates(
        URN,
        {
            "event_id": "cn-api-moved",
            "type": "hearing-changed",
            "occurred_at": datetime.now(UTC).isoformat(),
            "received_at": datetime.now(UTC).isoformat(),
            "details": {
                "hearing_at": datetime.combine(days_ahead(31), time(10, 0), LONDON).isoformat(),
                "previous_hearing_at": datetime.combine(day, time(14, 30), LONDON).isoformat(),
                "court_name": "Exampletown Crown Court",
            },
        },
    )
    assert moved.status_code == 201, moved.text
    assert FLAG not in page_text(officer.get(f"/staff/victims/{DEMO_VICTIM_ID}"))


def count(app: Flask, model: type) -> int:
    with app.app_context(), db.job() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_erasure_removes_the_victims_court_needs_and_reviews(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    give_needs(seeded, DEMO_VICTIM_ID, URN, DateToAvoid(days_ahead(3), records.WHOLE_DAY, "work"))
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == URN))
        assert case is not None
        session.add(
            CourtNeedsReview(victim_id=DEMO_VICTIM_ID, case_id=case.id, version=1, reviewer_label="O")
        )
    with seeded.app_context(), db.job() as session:
        removed = retention.clear_victim(session, DEMO_VICTIM_ID, datetime.now(UTC))
    assert removed["court needs"] == 1 and removed["court needs reviews"] == 1
    assert count(seeded, CourtNeedsVersion) == 0 and count(seeded, CourtNeedsReview) == 0


def test_anonymising_a_case_removes_its_court_needs(seeded: Flask) -> None:
    give_needs(seeded, DEMO_VICTIM_ID, URN, DateToAvoid(days_ahead(3), records.WHOLE_DAY, "work"))
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == URN))
        assert case is not None
        retention.anonymise_case(session, case, datetime.now(UTC))
    assert count(seeded, CourtNeedsVersion) == 0
