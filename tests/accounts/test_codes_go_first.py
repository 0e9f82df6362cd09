"""The messages a person is waiting for on a page are marked so that the workers send them before any
backlog of updates (notifications/claims.py): a security code to sign in or set up, a password reset link,
a code to confirm an email address or phone number. An update's own messages are not: they keep their
place in the queue. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.services.accounts import mfa, password_reset
from portal.services.messaging import dispatch
from portal.services.preferences import contact_points
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
    in_session,
)

EMAIL = "waiting@example.com"


def _waited_for(session: Session, prefix: str) -> list[bool]:
    rows = session.scalars(select(OutboundMessage).where(OutboundMessage.correlation.startswith(prefix)))
    return [row.waited_for for row in rows]


def test_codes_and_reset_links_go_before_updates(app: Flask) -> None:
    user = create_user(app, EMAIL, role="victim", display_name="Sam Sample", mfa_method="email")
    with in_session(app) as session:
        mfa.issue_code(session, user, mfa.SIGN_IN, mfa.EMAIL)
        password_reset.request_reset(session, EMAIL)
        victim = create_victim(session, "Sam", "Sample")
        contact_points.send_code(session, victim.id, "phone", "+447700900123")
        session.flush()
        assert _waited_for(session, "security-code:") == [True]
        assert _waited_for(session, "reset:") == [True]
        assert _waited_for(session, "contact-verification:") == [True]


def test_an_updates_messages_keep_their_place(app: Flask) -> None:
    now = datetime.now(UTC)
    with in_session(app) as session:
        case = create_case(session, f"01YZ{uuid.uuid4().int % 10**5:05d}26", offence="Assault")
        victim = create_victim(session, "Sam", "Sample", case=case)
        create_preferences_version(
            session,
            victim,
            {
                "email": EMAIL,
                "channels": ["email"],
                "safe": {"email": True},
                "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "safe_from": "00:00",
                "safe_to": "23:59",
            },
            actor_label="test",
            source=SOURCE_VICTIM_ONLINE,
        )
        create_contact_point(session, victim.id, "email", EMAIL)
        update = create_update(
            session,
            case,
            "investigation-update",
            agency="police",
            agency_event_id=f"wait-{uuid.uuid4()}",
            occurred_at=now,
            details={},
            announce=False,
        )
        dispatch.announce_update(session, case, update, now=now)
        session.flush()
        messages = list(session.scalars(select(OutboundMessage)))
        assert messages, "the update was announced by email"
        assert [message.waited_for for message in messages] == [False] * len(messages)
