"""Records the retention tests share: cases closed long ago and lately, a victim on an expired and a live
case, and every kind of short-lived record, some expired and some not. (Not collected: no tests here.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from notifications import outbox
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Communication,
    Invitation,
    PasswordReset,
    Role,
    SignInCode,
)
from tests.support.builders import (
    add_victim_to_case,
    create_case,
    create_contact_point,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
)

YEAR = timedelta(days=366)


@dataclass
class RetentionWorld:
    old_closed: list[str]  # URNs of cases closed 7 years ago (expired)
    recent_closed: str  # closed a year ago (kept)
    old_open: str  # old updates, but the last one does not end the case (kept)
    vcs: str  # sentenced with Victim Contact Scheme eligibility 8 years ago (kept: never closed)
    gone_victim: str  # only on an expired case: anonymised
    gone_user: int
    kept_victim: str  # on an expired and a live case: kept
    expired_short_lived: int  # security codes, links, invitations, refusals, audit past their time


def _old_case(app: Flask, urn: str, event: str, when: datetime, details: dict | None = None) -> None:
    create_case(app, urn, offence="Burglary")
    create_update(
        app,
        urn,
        "suspect-arrested",
        agency="police",
        agency_event_id=f"{urn}-1",
        occurred_at=when - timedelta(days=30),
        announce=False,
        message="Arrested at the address on the estate",
    )
    create_update(
        app,
        urn,
        event,
        agency="cps" if event == "case-discontinued" else "witness_care",
        agency_event_id=f"{urn}-2",
        occurred_at=when,
        details=details or {},
        announce=False,
    )


def build(app: Flask, now: datetime) -> RetentionWorld:
    seven_years_ago = now - 7 * YEAR
    old = [f"01RT00000{n}{n}" for n in range(1, 5)]
    for urn in old:
        _old_case(app, urn, "case-discontinued", seven_years_ago, {"reason": "not enough evidence"})
    _old_case(app, "01RT1111126", "case-discontinued", now - YEAR, {"reason": "not enough evidence"})
    _old_case(app, "01RT2222226", "hearing-scheduled", seven_years_ago, None)
    _old_case(app, "01RT3333326", "sentence", now - 8 * YEAR, {"vcs_eligible": True})
    with app.app_context(), db.job() as session:
        gone = create_victim(
            session, "Gwen", "Gonebye", case=None, email="gwen@example.com", phone="07700900777"
        )
        kept = create_victim(session, "Kit", "Keepington", email="kit@example.com")
        gone_user = create_user(
            session, "gwen@example.com", role=Role.VICTIM, display_name="Gwen Gonebye", victim_id=gone.id
        )
        staff = create_user(session, "staffer@example.com", role=Role.ADMIN, display_name="Stella Staffer")
        ids = gone.id, kept.id, gone_user.id, staff.id
    add_victim_to_case(app, old[0], ids[0])
    add_victim_to_case(app, old[1], ids[1])
    add_victim_to_case(app, "01RT1111126", ids[1])
    create_contact_point(app, ids[0], "email", "gwen@example.com")
    create_preferences_version(app, ids[0], {"channels": ["email"], "safe": {"email": True}})
    with app.app_context(), db.job() as session:
        message = outbox.enqueue(
            session, channel="email", recipient="gwen@example.com", subject="S", body="Hello Gwen"
        )
        message.status = outbox.DELIVERED
        session.add(
            Communication(victim_id=ids[0], outbound_message_id=message.id, channel="email", purpose="update")
        )
        old_message = outbox.enqueue(session, channel="sms", recipient="07700900888", body="An old text")
        old_message.status = outbox.DELIVERED
        session.flush()
        old_message.updated_at = now - 2 * YEAR
        expired = _short_lived(session, ids[3], now)
    return RetentionWorld(
        old_closed=old,
        recent_closed="01RT1111126",
        old_open="01RT2222226",
        vcs="01RT3333326",
        gone_victim=ids[0],
        gone_user=ids[2],
        kept_victim=ids[1],
        expired_short_lived=expired,
    )


def _short_lived(session: Session, user_id: int, now: datetime) -> int:
    """Two of each kind: one past its time, one not. How many are past their time."""
    long_ago, lately = now - timedelta(days=400), now - timedelta(days=1)
    for when in (long_ago, lately):
        session.add(
            SignInCode(user_id=user_id, purpose="sign-in", channel="email", code_hash="x", expires_at=when)
        )
        session.add(PasswordReset(user_id=user_id, token_hash=f"reset-{when.timestamp()}", expires_at=when))
        session.add(
            Invitation(
                token_hash=f"inv-{when.timestamp()}",
                kind="staff",
                role="witness_care_officer",
                channel="email",
                sent_to="new.officer@example.com",
                expires_at=when,
                created_by_label="Admin",
                last_sent_at=when,
                created_at=when,
            )
        )
        session.add(
            AuditEvent(
                at=when,
                actor_label="unidentified API client",
                action="api.post",
                repeat_key=f"k{when.timestamp()}",
                occurrences=3,
                detail={},
            )
        )
    session.add(AuditEvent(at=now - 8 * YEAR, actor_label="Someone", action="sign-in", detail={}))
    session.flush()
    return 1 + 1 + 1 + 1 + 1  # code, reset, invitation, refusal count, old audit event
