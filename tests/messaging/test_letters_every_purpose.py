"""Every kind of message the portal sends reaches a victim who chose letters, as a letter Notify would
accept: a notice about their support worker, a fallback after an email failed for good, an invitation.
(Each of these raised or was lost when a letter could not carry its heading.)"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import Case, CaseUpdate, Communication, Victim
from portal.services.accounts import invitations
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.messaging import dispatch
from portal.services.messaging import notices as delegation_notices
from tests.support.builders import (
    create_contact_point,
    create_preferences_version,
    create_update,
    create_victim,
)
from tests.support.notify_rules import outbox_problems

ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}


def _choose(session, victim_id: str, channels: list[str]) -> None:
    create_preferences_version(
        session,
        victim_id,
        {"channels": channels, "safe": dict.fromkeys(channels, True), **ALWAYS},
        actor_label="test",
        source="victim online",
    )


def _only_letter(session, correlation_prefix: str) -> OutboundMessage:
    [message] = session.scalars(
        select(OutboundMessage).where(OutboundMessage.correlation.startswith(correlation_prefix))
    ).all()
    assert message.channel == "letter"
    assert outbox_problems(message) == []
    assert message.address[0] == "Sam Sample" and message.address[-1] == "EX1 1AA"
    return message


def test_a_notice_about_their_support_worker_goes_by_letter(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        _choose(session, DEMO_VICTIM_ID, ["letter"])
        assert delegation_notices.tell_victim(session, DEMO_VICTIM_ID) is not None
        session.flush()
        letter = _only_letter(session, delegation_notices.PURPOSE)
        assert letter.subject == "You have a new message"


def test_after_an_email_fails_for_good_the_update_follows_by_letter(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        _choose(session, DEMO_VICTIM_ID, ["email", "letter"])
        create_contact_point(session, DEMO_VICTIM_ID, "email", "victim@demo.example")
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        update = create_update(
            session,
            case,
            "charge-altered",
            agency="cps",
            agency_event_id="fallback-letter-1",
            details={"reason": "The charge was changed"},
        )
        session.flush()
        [first] = session.scalars(select(Communication).where(Communication.update_id == update.id)).all()
        assert first.channel == "email"
        decision = dispatch.fall_back(session, first)
        assert decision is not None and decision.channel == "letter"
        session.flush()
        letters = session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.correlation == f"update:{update.id}", OutboundMessage.channel == "letter"
            )
        ).all()
        assert len(letters) == 1 and outbox_problems(letters[0]) == []
        assert session.get(CaseUpdate, update.id) is not None


def test_an_invitation_goes_by_letter_with_a_heading(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        victim = create_victim(
            session,
            "Lee",
            "Letter",
            case=case,
            address_line_1="4 Demo Street",
            address_town="Exampletown",
            postcode="EX1 1AB",
        )
        _choose(session, victim.id, ["letter"])
        assert invitations.invite_victim(session, victim, invited_by_label="test", case=case) is not None
        session.flush()
        [message] = session.scalars(
            select(OutboundMessage).where(OutboundMessage.correlation.startswith("invitation:"))
        ).all()
        assert message.channel == "letter" and message.subject
        assert message.address == ["Lee Letter", "4 Demo Street", "Exampletown", "EX1 1AB"]
        assert outbox_problems(message) == []


def test_a_channel_notify_would_refuse_is_skipped_for_the_next_safe_one(seeded: Flask) -> None:
    """A name that starts with a character Notify refuses at the start of an address line: the letter
    cannot go, so the update goes by the victim's next safe channel rather than not at all."""
    with seeded.app_context(), db.job() as session:
        victim = session.get(Victim, DEMO_VICTIM_ID)
        victim.given_name = "(Sam)"
        _choose(session, DEMO_VICTIM_ID, ["letter", "email"])
        create_contact_point(session, DEMO_VICTIM_ID, "email", "victim@demo.example")
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        update = create_update(
            session,
            case,
            "charge-altered",
            agency="cps",
            agency_event_id="skip-letter-1",
            details={"reason": "The charge was changed"},
        )
        session.flush()
        channels = session.scalars(
            select(OutboundMessage.channel).where(OutboundMessage.correlation == f"update:{update.id}")
        ).all()
        assert channels == ["email"]
