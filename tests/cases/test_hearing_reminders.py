"""Reminders before a hearing a victim is needed at (portal/services/cases/hearing_reminders.py), on SQLite
and PostgreSQL: on the working day before (weekends and bank holidays skipped), at the victim's safe time,
discreet, by their first safe channel that arrives in time; none for a hearing that moved, was called off
or that the victim was released from; never two for one date. The job is given the time it runs at."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.config import settings_problems
from portal.data import retention as retention_data
from portal.extensions import db
from portal.models import Communication, HearingReminder
from portal.services.cases import hearing_reminders
from portal.services.cases.standing import UpdateFact, next_hearing
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from portal.services.vocabulary import describe
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_preferences_version,
    create_update,
    create_victim,
)
from tests.support.notify_rules import outbox_problems
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE, messages
from tests.support.pages import page_text

LONDON = ZoneInfo("Europe/London")
COURT = "Exampletown Crown Court"
PHONE = "+447700900123"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass(frozen=True)
class Witness:
    victim_id: str
    case_id: int
    urn: str


def witness(app: Flask, prefs: Mapping[str, Any] | None = None) -> Witness:
    """A victim on a new case who chose text messages then email (both safe and confirmed), weekdays 9am
    to 5pm unless `prefs` says otherwise."""
    urn = f"01HR{uuid.uuid4().int % 10**5:05d}26"
    email = f"sam.{uuid.uuid4().hex[:6]}@example.com"
    with app.app_context(), db.job() as session:
        case = create_case(session, urn, offence="Assault")
        victim = create_victim(session, "Sam", "Sample", case=case)
        create_preferences_version(
            session,
            victim,
            {
                "channels": ["sms", "email"],
                "safe": {"sms": True, "email": True},
                "phone": PHONE,
                "email": email,
                **(prefs or {}),
            },
            actor_label="test",
            source=SOURCE_VICTIM_ONLINE,
        )
        create_contact_point(session, victim.id, "phone", PHONE)
        create_contact_point(session, victim.id, "email", email)
        return Witness(victim.id, case.id, urn)


def update(
    app: Flask,
    who: Witness,
    event_type: str,
    occurred_at: datetime,
    *,
    announce: bool = False,
    **details: Any,
) -> None:
    """An update from Witness Care (a hearing's `hearing_at` as an aware datetime)."""
    values = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in details.items()}
    with app.app_context(), db.job() as session:
        create_update(
            session,
            who.urn,
            event_type,
            agency="witness_care",
            agency_event_id=f"WCU-{uuid.uuid4().hex[:10]}",
            occurred_at=occurred_at,
            details=values,
            announce=announce,
        )


def run(app: Flask, at: datetime, working_days: int = 1) -> int:
    with app.app_context(), db.job() as session:
        return hearing_reminders.queue_due_reminders(session, at.astimezone(UTC), working_days=working_days)


def reminders(app: Flask) -> list[tuple[str, str]]:
    """(hearing date, channel) of each reminder queued, by hearing date."""
    with app.app_context(), db.job() as session:
        rows = session.scalars(select(HearingReminder).order_by(HearingReminder.hearing_on))
        return [(row.hearing_on.isoformat(), row.channel) for row in rows]


# --- When, how and what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hearing_at", "reminder_date"),
    [
        (london(2027, 3, 17), (2027, 3, 16)),  # a Wednesday hearing: the Tuesday
        (london(2027, 3, 15), (2027, 3, 12)),  # a Monday hearing: the Friday before
        (
            london(2027, 3, 30),
            (2027, 3, 25),
        ),  # the Tuesday after Easter: Thursday (Good Friday, Easter Monday off)
    ],
    ids=["weekday", "monday-after-weekend", "after-bank-holidays"],
)
def test_one_discreet_reminder_on_the_working_day_before_at_a_safe_time(
    app: Flask, hearing_at: datetime, reminder_date: tuple[int, int, int]
) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=hearing_at, court_name=COURT)
    day = datetime(*reminder_date, tzinfo=LONDON)

    # Not the day before the reminder day, nor before the safe hours start on it.
    assert run(app, datetime.combine(day.date() - timedelta(days=1), time(16, 0), LONDON)) == 0
    assert run(app, datetime.combine(day.date(), time(8, 59), LONDON)) == 0
    assert run(app, datetime.combine(day.date(), time(9, 5), LONDON)) == 1
    # The job runs every few minutes: once queued, never again.
    assert run(app, datetime.combine(day.date(), time(9, 15), LONDON)) == 0
    assert run(app, datetime.combine(day.date(), time(16, 0), LONDON)) == 0

    [message] = messages(app, hearing_reminders.PURPOSE)
    assert message.channel == "sms" and message.recipient == PHONE  # the first safe channel
    assert message.not_before is None  # goes at once: it never waits for a hearing that may move
    said = message.body.lower()
    assert "reminder" in said and "sign in" in said
    assert not [word for word in NOT_IN_A_DISCREET_MESSAGE if word in said]
    assert "exampletown" not in said
    assert outbox_problems(message) == []
    assert reminders(app) == [(hearing_at.date().isoformat(), "sms")]
    with app.app_context():
        communication = db.session.scalar(
            select(Communication).where(Communication.victim_id == sam.victim_id)
        )
        assert communication is not None
        assert (communication.purpose, communication.detailed) == ("hearing-reminder", False)
        assert communication.outbound_message_id == message.id


def test_the_reminder_waits_for_the_victims_own_safe_hours_and_skips_letters(app: Flask) -> None:
    """Safe only from 6pm to 9pm, and letters first in their order (a letter would arrive too late):
    the reminder goes at 6pm by email, the next safe channel."""
    sam = witness(
        app,
        {
            "channels": ["letter", "email"],
            "safe": {"letter": True, "email": True, "sms": False},
            "address": ["1 Example Street", "Exampletown", "EX1 1AA"],
            "safe_from": "18:00",
            "safe_to": "21:00",
        },
    )
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    assert run(app, london(2027, 3, 16, 9, 5)) == 0
    assert run(app, london(2027, 3, 16, 17, 55)) == 0
    assert run(app, london(2027, 3, 16, 18, 5)) == 1
    [message] = messages(app, hearing_reminders.PURPOSE)
    assert message.channel == "email"
    assert message.subject is not None and "reminder" in message.subject.lower()
    assert outbox_problems(message) == []


def test_the_lead_time_is_a_setting_checked_at_start_up(app: Flask) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    assert run(app, london(2027, 3, 12, 9, 5), working_days=2) == 0
    assert run(app, london(2027, 3, 15, 9, 5), working_days=2) == 1  # Monday, two working days before
    assert app.config["HEARING_REMINDER_WORKING_DAYS"] == 1
    base = {"PORTAL_ENV": "development"}
    assert "HEARING_REMINDER_WORKING_DAYS" not in settings_problems(
        {**base, "HEARING_REMINDER_WORKING_DAYS": 3}
    )
    for wrong in (0, 11, -1, True, "1"):
        problems = settings_problems({**base, "HEARING_REMINDER_WORKING_DAYS": wrong})
        assert "whole number from 1 to 10" in problems["HEARING_REMINDER_WORKING_DAYS"]


# --- Only for a date that still stands ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "details"),
    [
        ("hearing-adjourned", {"reason": "the defendant was too ill to attend"}),  # no new date yet
        ("case-discontinued", {}),  # the hearing is vacated: the case ended
        ("witness-no-longer-needed", {"hearing_at": london(2027, 3, 17, 14), "reason": "a guilty plea"}),
    ],
    ids=["adjourned", "vacated", "released"],
)
def test_no_reminder_for_a_hearing_called_off_or_the_victim_released_from(
    app: Flask, event_type: str, details: dict[str, Any]
) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    update(app, sam, event_type, london(2027, 3, 8), **details)
    for moment in (london(2027, 3, 16, 9, 5), london(2027, 3, 16, 16), london(2027, 3, 17, 9, 30)):
        assert run(app, moment) == 0
    assert reminders(app) == []
    assert messages(app, hearing_reminders.PURPOSE) == []


def test_a_moved_hearing_is_reminded_on_its_new_date_and_never_twice_for_one_date(app: Flask) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    update(app, sam, "hearing-changed", london(2027, 3, 8), hearing_at=london(2027, 3, 24), court_name=COURT)
    assert run(app, london(2027, 3, 16, 9, 5)) == 0  # the old date no longer stands
    assert run(app, london(2027, 3, 23, 9, 5)) == 1
    # Moved again after its reminder went, to another time the same day: still one for that date.
    update(
        app,
        sam,
        "hearing-changed",
        london(2027, 3, 23, 12),
        hearing_at=london(2027, 3, 24, 14),
        court_name=COURT,
    )
    assert run(app, london(2027, 3, 23, 13)) == 0
    # Then to a later date: that date gets its own.
    update(app, sam, "hearing-adjourned", london(2027, 3, 24, 15), hearing_at=london(2027, 4, 7))
    assert run(app, london(2027, 4, 6, 9, 5)) == 1
    assert reminders(app) == [("2027-03-24", "sms"), ("2027-04-07", "sms")]
    assert len(messages(app, hearing_reminders.PURPOSE)) == 2


def test_a_second_reminder_for_the_same_date_is_refused_with_its_message(app: Flask) -> None:
    """The unique key decides: a second reminder for the same date, written before the first was seen,
    is refused in its savepoint and takes no message with it."""
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    needed = UpdateFact("witness-required", {"hearing_at": london(2027, 3, 17).isoformat()}, NOW, NOW)
    hearing = next_hearing([needed], london(2027, 3, 16))
    assert hearing is not None
    now = london(2027, 3, 16, 9, 5).astimezone(UTC)
    with app.app_context(), db.job() as session:
        first = hearing_reminders._remind(session, sam.victim_id, sam.case_id, hearing, now, 1)
        second = hearing_reminders._remind(session, sam.victim_id, sam.case_id, hearing, now, 1)
    assert (first, second) == (True, False)
    assert len(messages(app, hearing_reminders.PURPOSE)) == 1
    assert run(app, london(2027, 3, 16, 10)) == 0


def test_two_workers_running_the_job_at_once_queue_one_reminder(app: Flask, database_url: str) -> None:
    """PostgreSQL, where several workers run at once: the second worker's insert waits for the first's
    transaction, then is refused; it commits nothing."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time")
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    now = london(2027, 3, 16, 9, 5).astimezone(UTC)
    factory = app.extensions["database"].session_factory
    counts: list[int] = []
    errors: list[BaseException] = []

    def second_worker() -> None:
        try:
            with app.app_context(), factory() as session, session.begin():
                counts.append(hearing_reminders.queue_due_reminders(session, now, working_days=1))
        except BaseException as problem:  # noqa: BLE001 - reported below
            errors.append(problem)

    with app.app_context(), factory() as session, session.begin():
        assert hearing_reminders.queue_due_reminders(session, now, working_days=1) == 1
        other = threading.Thread(target=second_worker)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive()  # waiting on the first worker's uncommitted reminder
    other.join(timeout=30)
    assert (errors, counts) == ([], [0])
    assert len(messages(app, hearing_reminders.PURPOSE)) == 1
    assert reminders(app) == [("2027-03-17", "sms")]


def test_no_reminder_for_a_victim_who_opted_out_of_court_news_or_has_no_safe_message_channel(
    app: Flask,
) -> None:
    opted_out = witness(app, {"opted_out": ["court"]})
    phone_only = witness(app, {"channels": ["phone"], "safe": {"phone": True, "sms": False, "email": False}})
    for who in (opted_out, phone_only):
        update(
            app, who, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT
        )
    assert run(app, london(2027, 3, 16, 9, 5)) == 0


# --- "You no longer need to go to court" ----------------------------------------------------------------


def test_released_is_an_update_announced_at_once_that_the_case_page_follows(
    app: Flask, babel_app_context: Flask
) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    update(
        app,
        sam,
        "witness-no-longer-needed",
        london(2027, 3, 8, 11),
        announce=True,
        hearing_at=london(2027, 3, 17),
        reason="the defendant pleaded guilty",
    )
    assert len(messages(app, "update:")) == 1  # told like every update, at once
    wording = describe(
        "witness-no-longer-needed",
        {"hearing_at": "2027-03-17T10:00:00+00:00", "reason": "x y z"},
        occurred_at=london(2027, 3, 8),
    )
    assert wording.title == "You no longer need to go to court"
    assert "17 March 2027" in wording.what_this_means
    assert "The reason is: x y z." in wording.what_this_means


@pytest.mark.parametrize(
    ("released_from", "still_needed"),
    [(london(2027, 3, 17, 14), False), (london(2027, 3, 18), True)],
    ids=["that-date", "another-date"],
)
def test_the_standing_hearing_stays_but_without_the_victim(
    released_from: datetime, still_needed: bool
) -> None:
    def fact(code: str, day: int, at: datetime) -> UpdateFact:
        return UpdateFact(code, {"hearing_at": at.isoformat()}, london(2027, 3, day), london(2027, 3, day))

    hearing = next_hearing(
        [
            fact("witness-required", 1, london(2027, 3, 17)),
            fact("witness-no-longer-needed", 2, released_from),
        ],
        london(2027, 3, 3).astimezone(UTC),
    )
    assert hearing is not None and hearing.at == london(2027, 3, 17)
    assert hearing.witness_needed is still_needed


def test_the_worker_command_queues_what_is_due_and_erasure_removes_the_reminder(app: Flask) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    with time_machine.travel(london(2027, 3, 16, 9, 5), tick=True):
        result = app.test_cli_runner().invoke(args=["reminders", "send"])
        assert "Queued 1 hearing reminder(s)." in result.output
        assert "Queued 0" in app.test_cli_runner().invoke(args=["reminders", "send"]).output
    with app.app_context(), db.job() as session:
        retention_data.clear_victim(session, sam.victim_id, datetime.now(UTC))
    assert reminders(app) == []


@pytest.mark.sqlite_only  # the portal's own catalogue, no database
@pytest.mark.parametrize("language", ["en", "cy", "both"])
def test_the_reminder_fits_a_text_message_in_every_language(app: Flask, language: str) -> None:
    url = "https://" + "long-service-name." * 6 + "service.gov.uk"
    with app.app_context():
        subject, body = hearing_reminders.discreet_reminder(language, url + "/sign-in", url + "/preferences")
    assert len(body) <= 918 and len(subject) <= 100
    assert body.count(url + "/sign-in") == (2 if language == "both" else 1)
    said = (subject + " " + body.replace(url, "")).lower()
    assert not [word for word in NOT_IN_A_DISCREET_MESSAGE if word in said]


def test_the_officer_sees_the_reminder_among_the_messages_sent(
    officer_client: FlaskClient, seeded: Flask
) -> None:
    sam = witness(seeded)  # a force 01 case: the demo officer's unit
    update(
        seeded, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT
    )
    assert run(seeded, london(2027, 3, 16, 9, 5)) == 1
    page = officer_client.get(f"/staff/victims/{sam.victim_id}")
    assert page.status_code == 200
    assert "Reminder before a hearing they are needed at" in page_text(page)
