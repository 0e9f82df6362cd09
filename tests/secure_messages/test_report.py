"""Issue 15: the timeliness report's "Replies to victims' messages" section counts, per agency, the messages
written in the period on the unit's cases that were replied to within the unit's target (by the end of
the reply-by day, London time), late, still waiting past it, or closed without a reply, with the median
working days to a reply; computed from hand-made messages and compared exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case
from portal.models.messages import TO_OFFICER_IN_CASE, TO_VLO, TO_WITNESS_CARE
from portal.services.cases.timeliness import Period
from portal.services.common.actors import Actor
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.secure_messages import report, threads
from tests.support.pages import page_text
from tests.support.records import user_by_email
from tests.support.scenarios import create_other_unit

# Monday 3 June 2024, 10:00 London: with the default target of 2 working days, reply by Wednesday 5 June.
WRITTEN = datetime(2024, 6, 3, 9, tzinfo=UTC)
JUNE_2024 = Period(date(2024, 6, 1), date(2024, 6, 30))
LAST_MOMENT_OF_5_JUNE = datetime(2024, 6, 5, 22, 59, tzinfo=UTC)  # 23:59 London
FIRST_MOMENT_OF_6_JUNE = datetime(2024, 6, 5, 23, 1, tzinfo=UTC)  # 00:01 London
LATER = datetime(2024, 6, 20, tzinfo=UTC)


def _officer(app: Flask) -> Actor:
    user = user_by_email(app, "officer@demo.example")
    return Actor(user_id=user.id, role=user.role, force_code="01", label="officer")


def _rows(app: Flask, now: datetime) -> dict[str, report.ReplyTimeliness]:
    with app.test_request_context(), db.job() as session:
        return {
            row.agency: row for row in report.reply_timeliness(session, _officer(app), JUNE_2024, now=now)
        }


def _write(
    app: Flask,
    recipient: str,
    *,
    at: datetime = WRITTEN,
    replied: datetime | None = None,
    closed: bool = False,
    urn: str = DEMO_CASE_URN,
    victim_id: str = DEMO_VICTIM_ID,
) -> str:
    """A new thread with one message from the victim, replied to or closed when asked; its id."""
    with app.test_request_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        thread, _message = threads.start(
            session,
            victim_id=victim_id,
            case=case,
            recipient=recipient,
            subject="A question",
            body="Can you call me?",
            written_by_user_id=None,
            author_label="Sam Sample",
            now=at,
        )
        if replied is not None:
            threads.add_reply(session, thread, body="Yes.", author_label="Witness Care", now=replied)
            threads.add_note(session, thread, body="Called back.", written_by_user_id=None, author_label="O")
        if closed:
            threads.close(session, thread, now=at)
        return thread.id


def _unit_messages(app: Flask) -> None:
    _write(app, TO_WITNESS_CARE, replied=LAST_MOMENT_OF_5_JUNE)  # within target: 2 working days
    _write(app, TO_WITNESS_CARE, replied=FIRST_MOMENT_OF_6_JUNE)  # late: 3 working days
    _write(app, TO_WITNESS_CARE)  # waiting
    _write(app, TO_OFFICER_IN_CASE, replied=datetime(2024, 6, 3, 15, tzinfo=UTC))  # the same day: 0
    _write(app, TO_OFFICER_IN_CASE, closed=True)  # closed without a reply


def test_replies_within_target_late_waiting_and_closed_per_agency(seeded: Flask) -> None:
    _unit_messages(seeded)
    rows = _rows(seeded, LATER)
    assert list(rows) == ["police", "witness_care"]  # the report's agency order; nothing else in June 2024
    witness_care, police = rows["witness_care"], rows["police"]
    assert (
        witness_care.total,
        witness_care.replied_in_time,
        witness_care.replied_late,
        witness_care.waiting_past_target,
        witness_care.closed_without_reply,
        witness_care.median_days_to_reply,
    ) == (3, 1, 1, 1, 0, 2.5)
    assert (
        police.total,
        police.replied_in_time,
        police.replied_late,
        police.waiting_past_target,
        police.closed_without_reply,
        police.median_days_to_reply,
    ) == (2, 1, 0, 0, 1, 0)


def test_a_message_waits_past_target_once_the_reply_by_day_has_ended(seeded: Flask) -> None:
    _write(seeded, TO_VLO)
    assert _rows(seeded, LAST_MOMENT_OF_5_JUNE)["probation"].waiting_past_target == 0
    assert _rows(seeded, FIRST_MOMENT_OF_6_JUNE)["probation"].waiting_past_target == 1


def test_only_the_units_cases_and_only_messages_written_in_the_period(seeded: Flask) -> None:
    other = create_other_unit(seeded)
    _write(seeded, TO_WITNESS_CARE)
    _write(seeded, TO_WITNESS_CARE, urn=other["urn"], victim_id=other["victim_id"])  # another unit's
    _write(seeded, TO_WITNESS_CARE, at=datetime(2024, 5, 31, 22, 59, tzinfo=UTC))  # 31 May, 23:59 London
    _write(seeded, TO_WITNESS_CARE, at=datetime(2024, 6, 30, 23, 1, tzinfo=UTC))  # 1 July, 00:01 London
    assert {agency: row.total for agency, row in _rows(seeded, LATER).items()} == {"witness_care": 1}


def test_the_report_page_shows_the_replies_section(seeded: Flask, officer_client: FlaskClient) -> None:
    _unit_messages(seeded)
    june = "start-day=1&start-month=6&start-year=2024&end-day=30&end-month=6&end-year=2024"
    page = page_text(officer_client.get(f"/staff/timeliness?{june}"))
    assert "Replies to victims' messages" in page and "Replies by agency" in page
    # Messages, within target, late, waiting past target, closed without a reply, median working days.
    assert "Police 2 1 0 0 1 0" in page
    assert "Witness Care 3 1 1 1 0 2.5" in page
    empty = page_text(
        officer_client.get(
            "/staff/timeliness?start-day=1&start-month=6&start-year=2023&end-day=30&end-month=6&end-year=2023"
        )
    )
    assert "No messages were written in this period." in empty
