"""The officer is alerted to messages that will never arrive, for their own unit's victims only."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.outbox import FAILED, PERMANENT_FAILURE, enqueue
from portal.extensions import db
from portal.models import Communication, Victim
from portal.services.cases import records as case_records
from tests.conftest import sign_in


def _failed_message(app: Flask, victim_email: str, status: str, *, urn: str | None = None) -> None:
    with app.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == victim_email))
        if victim is None:
            victim = Victim(given_name="Olu", family_name="Otherforce", email=victim_email)
            case, _ = case_records.upsert_case(session, urn or "02GH4444426", offence="Theft")
            case_records.add_victim(session, case, victim)
        message = enqueue(session, channel="sms", recipient="07700900002", body="You have a new update.")
        message.status = status
        message.failure_reason = "Notify: permanent failure"
        session.add(
            Communication(
                victim_id=victim.id, outbound_message_id=message.id, channel="sms", purpose="update"
            )
        )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_officer_sees_messages_that_will_never_arrive(seeded: Flask, client: FlaskClient) -> None:
    _failed_message(seeded, "victim@demo.example", PERMANENT_FAILURE)
    _failed_message(seeded, "other.force@demo.example", FAILED, urn="02GH4444426")  # another unit's case
    sign_in(client, "officer@demo.example")
    body = _text(client.get("/staff/messages-not-delivered"))
    assert "Messages that did not arrive" in body
    assert "Sam Sample" in body
    assert "Failed: wrong number or address" in body
    assert "Text message" in body
    assert "Otherforce" not in body


def test_nothing_to_show_says_so(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, "officer@demo.example")
    body = _text(client.get("/staff/messages-not-delivered"))
    assert "Every message has arrived or is still on its way." in body


def test_only_officers_see_the_list(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, "victim@demo.example")
    assert client.get("/staff/messages-not-delivered").status_code == 404
