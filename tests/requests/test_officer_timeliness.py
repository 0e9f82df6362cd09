"""Issue 16: the timeliness report's "Requests" section counts, per kind and agency, the requests made in
the period that were acknowledged and answered within the agency's target (by the end of the target day,
London time), and those still open past it, with the median working days to acknowledge and to answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models.victim_requests import ACKNOWLEDGED, ANSWERED, REVIEW
from portal.services.cases.timeliness import Period
from portal.services.common.actors import Actor
from portal.services.requests import report
from tests.requests.test_views import make_request, move
from tests.support.pages import page_text
from tests.support.records import user_by_email
from tests.support.scenarios import create_other_unit

# Monday 3 June 2024, 10:00 London. A complaint about witness care: acknowledge within 3 working days (by
# Thursday 6 June), answer within 20 (by Monday 1 July).
MADE = datetime(2024, 6, 3, 9, tzinfo=UTC)
JUNE_2024 = Period(date(2024, 6, 1), date(2024, 6, 30))
LAST_MOMENT_OF_6_JUNE = datetime(2024, 6, 6, 22, 59, tzinfo=UTC)  # 23:59 London
FIRST_MOMENT_OF_7_JUNE = datetime(2024, 6, 6, 23, 1, tzinfo=UTC)  # 00:01 London


def _officer(app: Flask) -> Actor:
    user = user_by_email(app, "officer@demo.example")
    return Actor(user_id=user.id, role=user.role, force_code="01", label="officer")


def _rows(app: Flask, now: datetime) -> dict[tuple[str, str], report.RequestTimeliness]:
    with app.test_request_context(), db.job() as session:
        rows = report.request_timeliness(session, _officer(app), JUNE_2024, now=now)
        return {(row.kind, row.agency): row for row in rows}


def _made_and_acknowledged(app: Flask, at: datetime) -> str:
    reference = make_request(app, now=MADE)
    move(app, reference, ACKNOWLEDGED, now=at)
    return reference


def test_acknowledged_on_the_target_day_is_within_target_and_the_day_after_is_not(seeded: Flask) -> None:
    _made_and_acknowledged(seeded, LAST_MOMENT_OF_6_JUNE)
    _made_and_acknowledged(seeded, FIRST_MOMENT_OF_7_JUNE)
    row = _rows(seeded, datetime(2024, 6, 20, tzinfo=UTC))[("complaint", "witness_care")]
    assert (row.total, row.acknowledged_in_time, row.acknowledged_late) == (2, 1, 1)
    assert row.open_past_target == 0
    assert row.median_days_to_acknowledge == 3.5  # 3 and 4 working days


def test_a_request_not_acknowledged_is_past_target_once_the_target_day_has_ended(seeded: Flask) -> None:
    make_request(seeded, now=MADE)
    assert _rows(seeded, LAST_MOMENT_OF_6_JUNE)[("complaint", "witness_care")].open_past_target == 0
    assert _rows(seeded, FIRST_MOMENT_OF_7_JUNE)[("complaint", "witness_care")].open_past_target == 1


def test_answers_within_and_after_the_answer_target(seeded: Flask) -> None:
    on_time = _made_and_acknowledged(seeded, datetime(2024, 6, 4, 9, tzinfo=UTC))
    late = _made_and_acknowledged(seeded, datetime(2024, 6, 4, 9, tzinfo=UTC))
    still_open = _made_and_acknowledged(seeded, datetime(2024, 6, 4, 9, tzinfo=UTC))
    move(seeded, on_time, ANSWERED, outcome="Done.", now=datetime(2024, 7, 1, 16, tzinfo=UTC))
    move(seeded, late, ANSWERED, outcome="Done.", now=datetime(2024, 7, 2, 9, tzinfo=UTC))
    row = _rows(seeded, datetime(2024, 7, 1, 22, 59, tzinfo=UTC))[("complaint", "witness_care")]
    assert (row.answered_in_time, row.answered_late, row.open_past_target) == (1, 1, 0)
    assert row.median_days_to_acknowledge == 1
    assert row.median_days_to_answer == 20.5  # 20 and 21 working days
    after = _rows(seeded, datetime(2024, 7, 1, 23, 1, tzinfo=UTC))[("complaint", "witness_care")]
    assert after.open_past_target == 1, still_open


def test_only_the_units_requests_it_may_see_and_only_those_made_in_the_period(seeded: Flask) -> None:
    other = create_other_unit(seeded)
    make_request(seeded, now=MADE)
    make_request(seeded, kind=REVIEW, agency="cps", now=MADE)
    make_request(seeded, agency="police", now=MADE)  # a complaint about another agency
    make_request(seeded, victim_id=other["victim_id"], urn=other["urn"], now=MADE)  # another unit's
    make_request(seeded, now=datetime(2024, 7, 1, 9, tzinfo=UTC))  # after the period
    rows = _rows(seeded, datetime(2024, 6, 20, tzinfo=UTC))
    assert sorted(rows) == [("complaint", "witness_care"), ("review", "cps")]
    assert rows[("complaint", "witness_care")].total == 1


def test_the_report_page_shows_the_requests_section(seeded: Flask, officer_client: FlaskClient) -> None:
    _made_and_acknowledged(seeded, LAST_MOMENT_OF_6_JUNE)
    page = page_text(
        officer_client.get(
            "/staff/timeliness?start-day=1&start-month=6&start-year=2024&end-day=30&end-month=6&end-year=2024"
        )
    )
    assert "Requests by kind and agency" in page
    # Made 1, acknowledged within target 1, late 0, answered 0 and 0, still open past the answer target
    # (1 July 2024) 1, median 3 working days to acknowledge, none answered.
    assert "Complaint Witness Care 1 1 0 0 0 1 3 –" in page
