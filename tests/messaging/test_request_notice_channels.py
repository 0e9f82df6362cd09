"""Issue 16: when an agency acknowledges or answers a victim's request, the victim is told discreetly by
their first safe channel, whichever it is (text, email, letter; English or Welsh), as a message Notify
would accept, logged under the request notice's purpose, and never saying what the request was about."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import Case, Communication
from portal.models.victim_requests import ACKNOWLEDGED, ANSWERED, IN_PROGRESS
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.requests import lifecycle
from tests.support.builders import create_contact_point, create_preferences_version
from tests.support.notify_rules import outbox_problems

ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}
WHAT_HAPPENED = "The officer shouted at me in the corridor."
CONTACT = {"sms": "07700 900123", "email": "victim@demo.example"}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("channel", ["sms", "email", "letter"])
@pytest.mark.parametrize("status", [ACKNOWLEDGED, IN_PROGRESS, ANSWERED])
def test_the_request_notice_goes_by_the_victims_channel_and_says_nothing_of_the_request(
    seeded: Flask, channel: str, language: str, status: str
) -> None:
    with seeded.app_context(), db.job() as session:
        create_preferences_version(
            session,
            DEMO_VICTIM_ID,
            {"channels": [channel], "safe": {channel: True}, "language": language, **ALWAYS},
            actor_label="test",
            source="victim online",
        )
        if channel in CONTACT:
            create_contact_point(session, DEMO_VICTIM_ID, channel, CONTACT[channel])
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        request = lifecycle.submit(
            session,
            kind="complaint",
            victim_id=DEMO_VICTIM_ID,
            agency="witness_care",
            answers={"what_happened": WHAT_HAPPENED},
            submitted_by_user_id=None,
            case_id=case.id,
        )
        lifecycle.change_status(session, request, status, outcome="We have spoken to the officer.")
        session.flush()
        [message] = session.scalars(
            select(OutboundMessage).where(OutboundMessage.correlation == lifecycle.NOTICE_PURPOSE)
        ).all()
        assert message.channel == channel
        assert outbox_problems(message) == []
        words = f"{message.subject or ''} {message.body}"
        assert WHAT_HAPPENED not in words and "officer" not in words and "complaint" not in words.lower()
        assert ("neges newydd" in words) if language == "cy" else ("You have a new message" in words)
        [logged] = session.scalars(
            select(Communication).where(Communication.outbound_message_id == message.id)
        ).all()
        assert logged.purpose == lifecycle.NOTICE_PURPOSE and logged.detailed is False
