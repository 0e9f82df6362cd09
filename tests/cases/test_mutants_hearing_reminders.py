"""Issue 23: hearing reminders (`portal/services/cases/hearing_reminders.py`): what mutation testing showed
no test noticed, on SQLite and PostgreSQL. Each test is named for what the victim would miss or be sent."""

from __future__ import annotations

import logging
import os
import re
import time as time_module
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import HearingReminder
from portal.services.cases import hearing_reminders
from portal.services.cases.standing import UpdateFact, next_hearing
from tests.cases.test_hearing_reminders import COURT, NOW, Witness, london, reminders, run, update, witness
from tests.support.builders import create_update
from tests.support.outbox import messages


@pytest.fixture(params=["UTC", "America/New_York"])
def server_time_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The server's own clock set to another zone than London's (whose winter time is UTC)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time_module.tzset()
    try:
        yield request.param
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time_module.tzset()


@pytest.mark.usefixtures("server_time_zone")
def test_a_victim_safe_from_midnight_is_reminded_as_the_reminder_day_starts(app: Flask) -> None:
    """Safe from midnight to 8am: the reminder goes at midnight as the working day before starts, in London
    time, whatever the server's own clock says."""
    sam = witness(app, {"safe_from": "00:00", "safe_to": "08:00"})
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    assert run(app, london(2027, 3, 15, 23, 55)) == 0
    assert run(app, london(2027, 3, 16, 0, 0)) == 1
    assert reminders(app) == [("2027-03-17", "sms")]


def test_the_reminders_links_go_to_the_portals_sign_in_and_preferences_pages(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the portal's address is set with a slash at its end."""
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://portal.example/")
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    assert run(app, london(2027, 3, 16, 9, 5)) == 1
    [message] = messages(app, hearing_reminders.PURPOSE)
    assert re.findall(r"https?://\S+", message.body) == [
        "https://portal.example/sign-in",
        "https://portal.example/preferences",
    ]


def test_a_victim_with_no_safe_time_before_the_hearing_gets_no_reminder_and_others_still_get_theirs(
    app: Flask,
) -> None:
    """Safe only at weekends, for a Wednesday hearing: nothing for them, and the job goes on to the next
    victim."""
    weekends = witness(app, {"safe_days": ["sat", "sun"]})
    weekdays = witness(app)
    for who in (weekends, weekdays):
        update(
            app, who, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT
        )
    assert run(app, london(2027, 3, 16, 9, 5)) == 1
    assert run(app, london(2027, 3, 17, 9, 0)) == 0
    assert len(messages(app, hearing_reminders.PURPOSE)) == 1
    with app.app_context(), db.job() as session:
        assert list(session.scalars(select(HearingReminder.victim_id))) == [weekdays.victim_id]


def _with_update(app: Flask, who: Witness, event_type: str, occurred_at: datetime, **details: Any) -> None:
    """An update the agency had at `received_at` (in `details`), not when it happened."""
    received_at = details.pop("received_at")
    with app.app_context(), db.job() as session:
        create_update(
            session,
            who.urn,
            event_type,
            agency="witness_care",
            agency_event_id=f"WCU-{uuid.uuid4().hex[:10]}",
            occurred_at=occurred_at,
            received_at=received_at,
            details={k: v.isoformat() if isinstance(v, datetime) else v for k, v in details.items()},
        )


def test_an_update_that_arrived_late_is_read_in_the_order_things_happened(app: Flask) -> None:
    """Told on 1 March they are needed on the 17th (a message that reached the portal only on the 10th),
    then on 8 March that the hearing moved to the 24th: the reminder is for the 24th, never the 17th."""
    sam = witness(app)
    _with_update(
        app,
        sam,
        "witness-required",
        london(2027, 3, 1),
        hearing_at=london(2027, 3, 17),
        received_at=london(2027, 3, 10),
    )
    _with_update(
        app,
        sam,
        "hearing-changed",
        london(2027, 3, 8),
        hearing_at=london(2027, 3, 24),
        received_at=london(2027, 3, 8),
    )
    assert run(app, london(2027, 3, 16, 9, 5)) == 0
    assert run(app, london(2027, 3, 23, 9, 5)) == 1
    assert reminders(app) == [("2027-03-24", "sms")]


def test_of_two_updates_about_the_same_moment_the_one_the_agency_had_last_counts(app: Flask) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    moved = london(2027, 3, 8)
    _with_update(app, sam, "hearing-changed", moved, hearing_at=london(2027, 3, 31), received_at=moved)
    _with_update(
        app, sam, "hearing-changed", moved, hearing_at=london(2027, 3, 24), received_at=london(2027, 3, 9)
    )
    assert run(app, london(2027, 3, 23, 9, 5)) == 1
    assert reminders(app) == [("2027-03-24", "sms")]


def test_every_victim_due_is_reminded_and_counted_whoever_was_reminded_before(app: Flask) -> None:
    """Three witnesses for the same day: one safe in the morning, reminded first; the two safe only in the
    evening are both reminded at 6pm, and the job counts both."""
    morning = witness(app)
    evening = [witness(app, {"safe_from": "18:00", "safe_to": "21:00"}) for _ in range(2)]
    for who in (morning, *evening):
        update(
            app, who, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT
        )
    assert run(app, london(2027, 3, 16, 9, 5)) == 1
    assert run(app, london(2027, 3, 16, 18, 5)) == 2
    assert len(messages(app, hearing_reminders.PURPOSE)) == 3


def test_the_job_says_it_queued_nothing_when_nobody_is_needed_at_a_hearing(app: Flask) -> None:
    assert run(app, london(2027, 3, 16, 9, 5)) == 0
    assert "Queued 0 hearing reminder(s)." in app.test_cli_runner().invoke(args=["reminders", "send"]).output


def test_a_reminder_another_worker_queued_first_is_logged_with_the_victim_and_case(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    sam = witness(app)
    update(app, sam, "witness-required", london(2027, 3, 1), hearing_at=london(2027, 3, 17), court_name=COURT)
    needed = UpdateFact("witness-required", {"hearing_at": london(2027, 3, 17).isoformat()}, NOW, NOW)
    hearing = next_hearing([needed], london(2027, 3, 16))
    assert hearing is not None
    now = london(2027, 3, 16, 9, 5).astimezone(UTC)
    with app.app_context(), db.job() as session:
        assert hearing_reminders._remind(session, sam.victim_id, sam.case_id, hearing, now, 1)
        with caplog.at_level(logging.INFO, logger=hearing_reminders.__name__):
            assert not hearing_reminders._remind(session, sam.victim_id, sam.case_id, hearing, now, 1)
    assert [record.getMessage() for record in caplog.records] == [
        f"hearing reminder for victim {sam.victim_id}, case {sam.case_id} already queued by another worker"
    ]


@pytest.mark.sqlite_only  # the portal's own catalogue, no database
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_reminder_says_where_to_change_how_we_contact_them_or_stop_these_messages(
    app: Flask, language: str
) -> None:
    with app.app_context():
        _subject, body = hearing_reminders.discreet_reminder(
            language, "https://portal.example/sign-in", "https://portal.example/preferences"
        )
    assert body.rstrip().endswith("https://portal.example/preferences")
    assert "None" not in body
