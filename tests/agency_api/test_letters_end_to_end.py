"""As an agency would: victims who chose a letter, a text message and an email are added to one case
through the API, one update is posted, the worker sends through the real notifications-python-client to
the Notify sandbox over HTTP, and each victim is told on their own channel. Every request the sandbox took
passes a checker written from Notify's own validation rules. The letter counts as told when it is
expected to arrive, two working days after Notify reports it posted."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from notifications.types import utcnow
from portal.extensions import db
from portal.models import Communication
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.vocabulary import deadlines
from tests.support.agency_client import AgencyClient
from tests.support.delivery import portal_worker, served_sandbox
from tests.support.notify_rules import sandbox_problems

URN = "01YZ7654326"
ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}
VICTIMS = {
    "letter": {
        "given_name": "Lee",
        "family_name": "Letter",
        "address": {"line_1": "4 Demo Street", "town": "Exampletown", "postcode": "EX1 1AB"},
        "preferences": {"channels": ["letter"], "safe": {"letter": True}, **ALWAYS},
    },
    "sms": {
        "given_name": "Tess",
        "family_name": "Text",
        "phone": "07700 900456",
        "preferences": {"channels": ["sms"], "safe": {"sms": True}, **ALWAYS},
    },
    "email": {
        "given_name": "Em",
        "family_name": "Mail",
        "email": "em.mail@demo.example",
        "preferences": {
            "channels": ["email"],
            "safe": {"email": True},
            "detailed": {"email": True},
            **ALWAYS,
        },
    },
}


@pytest.fixture
def sandbox(session_app: Flask, live_server: str) -> Iterator[str]:
    with served_sandbox(session_app, live_server) as url:
        yield url


def _deliver(app: Flask, sandbox_url: str, clock: Callable[[], datetime] = utcnow) -> int:
    with app.app_context():
        return portal_worker(app, sandbox_url, clock).run_once()


def test_one_update_reaches_a_letter_a_text_and_an_email(
    seeded: Flask, sandbox: str, agency: Callable[[str], AgencyClient]
) -> None:
    cps = agency("cps")
    assert cps.put_case(URN, {"offence": "Assault"}).status_code in (200, 201)
    ids = {}
    for channel, body in VICTIMS.items():
        response = cps.add_victim(URN, {**body, "agency_person_reference": f"E2E-{channel}"})
        assert response.status_code == 201, response.text
        ids[channel] = response.json()["id"]
    # The email address and number the CPS took from the victims at reporting count as confirmed.
    _deliver(seeded, sandbox)  # the invitations
    requests.delete(f"{sandbox}/_sandbox/notifications", timeout=5)

    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    posted = cps.send_updates(
        URN,
        {
            "event_id": "e2e-letters-1",
            "type": "case-discontinued",
            "occurred_at": now,
            "received_at": now,
            "details": {"reason": "# The key witness\n^ withdrew [their] statement https://evil.example"},
        },
    )
    assert posted.status_code == 201, posted.text
    update_id = posted.json()["updates"][0]["id"] if "updates" in posted.json() else posted.json()["id"]
    assert _deliver(seeded, sandbox) == 3

    inbox = requests.get(f"{sandbox}/_sandbox/notifications", timeout=5).json()
    assert sorted(item["type"] for item in inbox) == ["email", "letter", "sms"]
    for item in inbox:
        assert sandbox_problems(item) == [], item
    letter = next(item for item in inbox if item["type"] == "letter")
    assert letter["personalisation"]["address_line_1"] == "Lee Letter"
    assert letter["personalisation"]["address_line_4"] == "EX1 1AB"
    assert letter["personalisation"]["subject"] == "You have a new update"
    email = next(item for item in inbox if item["type"] == "email")
    assert "\\# The key witness" in email["personalisation"]["body"]
    assert "https://evil" not in email["personalisation"]["body"]

    # Receipts come back for the text and the email. Notify sends none for letters: the worker asks
    # for the letter's status once no receipt has come (here: an hour on), and learns it was "received"
    # (printed and posted). It tells the victim when it is expected to arrive.
    def statuses() -> dict[str, str]:
        with seeded.app_context():
            found = dict(
                db.session.execute(
                    select(OutboundMessage.channel, OutboundMessage.status)
                    .join(Communication, Communication.outbound_message_id == OutboundMessage.id)
                    .where(Communication.update_id == update_id)
                ).all()
            )
            db.session.rollback()
        return found

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and statuses() != {
        "email": "delivered",
        "sms": "delivered",
        "letter": "sent",
    }:
        time.sleep(0.05)
    assert statuses() == {"email": "delivered", "sms": "delivered", "letter": "sent"}
    time.sleep(0.2)  # the sandbox prints and posts the letter after its receipt delay
    _deliver(seeded, sandbox, clock=lambda: utcnow() + timedelta(hours=1))
    assert statuses()["letter"] == "delivered"
    log = cps.communications(URN).json()["communications"]
    told = {entry["victim_id"]: entry for entry in log if entry["update"]["id"] == update_id}
    letter_entry = told[ids["letter"]]
    posted_at = datetime.fromisoformat(letter_entry["deliveries"][0]["delivered_at"].replace("Z", "+00:00"))
    assert letter_entry["told_by"] == "letter"
    assert datetime.fromisoformat(letter_entry["told_at"].replace("Z", "+00:00")) == deadlines.letter_arrives(
        posted_at
    )
    assert told[ids["sms"]]["told_by"] == "sms" and told[ids["email"]]["told_by"] == "email"


def test_the_demo_case_accepts_an_update_while_a_victim_on_it_chose_letters(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    """The regression: any update on a case with a letter-preferring victim answered 500."""
    cps = agency("cps")
    added = cps.add_victim(DEMO_CASE_URN, {**VICTIMS["letter"], "agency_person_reference": "LETTERS-ONLY"})
    assert added.status_code == 201, added.text
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    batch = {
        "updates": [
            {
                "event_id": f"batch-{n}",
                "type": "charge-altered",
                "occurred_at": now,
                "received_at": now,
                "details": {"reason": "The charge was changed"},
            }
            for n in range(3)
        ]
    }
    response = cps.send_updates(DEMO_CASE_URN, batch)
    assert response.status_code == 201, response.text
    with seeded.app_context():
        letters = db.session.execute(
            select(OutboundMessage.subject, OutboundMessage.address).where(
                OutboundMessage.channel == "letter", OutboundMessage.correlation.startswith("update:")
            )
        ).all()
    assert len(letters) == 3
    assert all(subject and address and address[0] == "Lee Letter" for subject, address in letters)
