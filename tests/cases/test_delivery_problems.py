"""The officer is alerted to messages that will never arrive, for their own unit's victims only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.outbox import FAILED, PERMANENT_FAILURE, enqueue
from portal.extensions import db
from portal.models import Communication, Victim
from tests.support.builders import create_case, create_victim
from tests.support.pages import page_text


def _failed_message(app: Flask, victim_email: str, status: str, *, urn: str | None = None) -> None:
    with app.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == victim_email))
        if victim is None:
            case = create_case(session, urn or "02GH4444426", offence="Theft")
            victim = create_victim(session, "Olu", "Otherforce", case=case, email=victim_email)
        message = enqueue(session, channel="sms", recipient="07700900002", body="You have a new update.")
        message.status = status
        message.failure_reason = "Notify: permanent failure"
        session.add(
            Communication(
                victim_id=victim.id, outbound_message_id=message.id, channel="sms", purpose="update"
            )
        )


def test_officer_sees_messages_that_will_never_arrive(seeded: Flask, officer_client: FlaskClient) -> None:
    _failed_message(seeded, "victim@demo.example", PERMANENT_FAILURE)
    _failed_message(seeded, "other.force@demo.example", FAILED, urn="02GH4444426")  # another unit's case
    body = page_text(officer_client.get("/staff/messages-not-delivered"), markup=True)
    assert "Messages that did not arrive" in body
    assert "Sam Sample" in body
    assert "Failed: wrong number or address" in body
    assert "Text message" in body
    assert "Otherforce" not in body


def test_nothing_to_show_says_so(officer_client: FlaskClient) -> None:
    body = page_text(officer_client.get("/staff/messages-not-delivered"), markup=True)
    assert "Every message has arrived or is still on its way." in body


def test_only_officers_see_the_list(victim_client: FlaskClient) -> None:
    assert victim_client.get("/staff/messages-not-delivered").status_code == 404
