"""From an update to a delivered message: the portal decides, the worker sends through the real
notifications-python-client to the Notify sandbox over HTTP, and the sandbox's receipt comes back to
the portal's callback. On SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
import time_machine
from flask import Flask
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from notifications.worker import Worker
from portal.extensions import db
from portal.models import Communication, Victim
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.preferences import records as preferences
from tests.support.builders import create_contact_point, create_preferences_version, create_update
from tests.support.delivery import portal_worker, served_sandbox

FORBIDDEN_IN_DISCREET = ("court", "hearing", "assault", "police", "crown", "witness", "exampletown", "sample")
# Monday 30 November 2026, 10am in London: inside the demo victim's safe hours (9am to 8pm).
SAFE_MOMENT = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
def sandbox(session_app: Flask, live_server: str) -> Iterator[str]:
    with served_sandbox(session_app, live_server) as url:
        yield url


def _worker(app: Flask, sandbox_url: str) -> Worker:
    return portal_worker(app, sandbox_url)


def _push_hearing(app: Flask, event_id: str) -> None:
    create_update(
        app,
        DEMO_CASE_URN,
        "hearing-scheduled",
        agency="witness_care",
        agency_event_id=event_id,
        occurred_at=SAFE_MOMENT,
        details={"hearing_at": "2027-02-01T10:00:00+00:00", "court_name": "Exampletown Crown Court"},
    )


def _wait_for(app: Flask, predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if predicate(db.session):
                return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_update_reaches_the_safe_channel_discreetly_and_delivery_is_recorded(
    seeded: Flask, sandbox: str
) -> None:
    requests.delete(f"{sandbox}/_sandbox/notifications", timeout=5)
    with time_machine.travel(SAFE_MOMENT, tick=True):
        _push_hearing(seeded, "e2e-1")
        with seeded.app_context():
            assert _worker(seeded, sandbox).run_once() == 1
        _wait_for(seeded, lambda s: s.scalar(select(OutboundMessage.delivered_at)) is not None)
    inbox = requests.get(f"{sandbox}/_sandbox/notifications", timeout=5).json()
    assert len(inbox) == 1
    sent = inbox[0]
    assert sent["type"] == "email"
    assert sent["to"] == "victim@demo.example"
    text = (sent["personalisation"]["subject"] + " " + sent["personalisation"]["body"]).lower()
    assert "sign in" in text
    for word in FORBIDDEN_IN_DISCREET:
        assert word not in text, word
    with seeded.app_context():
        communication = db.session.scalar(select(Communication))
        assert communication is not None
        assert communication.channel == "email"
        assert sent["reference"] == communication.outbound_message_id


def test_permanent_failure_falls_back_to_the_next_safe_channel(seeded: Flask, sandbox: str) -> None:
    requests.delete(f"{sandbox}/_sandbox/notifications", timeout=5)
    with seeded.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == "victim@demo.example"))
        create_contact_point(session, victim.id, "email", "perm-fail@simulator.notify")
        create_preferences_version(
            session,
            victim,
            {"email": "perm-fail@simulator.notify"},
            actor_label="test",
            source="victim online",
        )
    with time_machine.travel(SAFE_MOMENT, tick=True):
        _push_hearing(seeded, "e2e-2")
        worker = _worker(seeded, sandbox)
        with seeded.app_context():
            assert worker.run_once() == 1
        _wait_for(
            seeded,
            lambda s: s.scalar(select(OutboundMessage).where(OutboundMessage.channel == "sms")) is not None,
        )
        with seeded.app_context():
            assert worker.run_once() == 1
    inbox = requests.get(f"{sandbox}/_sandbox/notifications", timeout=5).json()
    assert [n["type"] for n in inbox] == ["sms", "email"]  # newest first
    assert inbox[0]["to"] in ("+447700900123", "07700900123")
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == "victim@demo.example"))
        prefs = preferences.current_preferences(db.session, victim_id)
        assert prefs.contact_status["email"] == "unusable"
        purposes = sorted(c.purpose for c in db.session.scalars(select(Communication)))
        assert purposes == ["fallback", "update"]


def test_links_in_messages_lead_to_real_pages(app: Flask) -> None:
    from portal.services.messaging.dispatch import PREFERENCES_PATH, SIGN_IN_PATH

    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert SIGN_IN_PATH in rules
    assert PREFERENCES_PATH in rules
