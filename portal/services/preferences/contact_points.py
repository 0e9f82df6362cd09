"""Contact points: verified before use, marked unusable when Notify says they cannot be reached.

- A new email address or phone number gets a 6-digit code (hashed, 10 minutes, single use, at most 5
  live, 5 wrong tries) sent through the notifications outbox; entering it verifies the point.
- A postal address counts as verified once recorded (a letter cannot carry a code back).
- `mark_contact_point_unusable(session, victim_id, channel, value, reason)` is for the notifications wiring:
  after a permanent failure, the point is not used again until the victim gives it again and verifies it.

Nothing here commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from notifications.outbox import enqueue
from portal.data import communications as communications_data
from portal.data import contact_points as contact_points_data
from portal.models import Communication, ContactPoint, ContactVerification
from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.preferences.rules import CHANNEL_KIND

CODE_LIFETIME = timedelta(minutes=10)
MAX_LIVE_CODES = 5
MAX_WRONG_TRIES = 5
KINDS = ("email", "phone", "address")

CONTACT_VERIFIED = "contact-verified"
CONTACT_UNUSABLE = "contact-unusable"

VERIFIED = "verified"
UNVERIFIED = "unverified"
UNUSABLE = "unusable"
MISSING = "missing"


class TooManyCodes(Exception):
    """Five codes are already live for this contact point: wait for one to expire."""


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    # "verified", "wrong" (try again) or "expired" (no live code: ask for a new one).
    outcome: str


def stored_value(kind: str, value: str | list[str] | tuple[str, ...]) -> str:
    return "\n".join(value) if kind == "address" and not isinstance(value, str) else str(value)


def statuses(session: Session, victim_id: str, document: Mapping[str, Any]) -> dict[str, str]:
    """For the document's email, phone and address: verified, unverified, unusable or missing."""
    return statuses_of(contact_points_data.contact_points_for_victim(session, victim_id), document)


def statuses_of(contact_points: Iterable[ContactPoint], document: Mapping[str, Any]) -> dict[str, str]:
    """`statuses` from contact points already read (a list of many victims reads them all at once)."""
    points = {(p.kind, p.value): p for p in contact_points}
    result = {}
    for kind in KINDS:
        value = document.get(kind)
        if not value:
            result[kind] = MISSING
            continue
        point = points.get((kind, stored_value(kind, value)))
        if point is not None and point.unusable_at is not None:
            result[kind] = UNUSABLE
        elif kind == "address" or (point is not None and point.verified_at is not None):
            result[kind] = VERIFIED
        else:
            result[kind] = UNVERIFIED
    return result


def is_verified(session: Session, victim_id: str, kind: str, value: str) -> bool:
    point = contact_points_data.get_contact_point(session, victim_id, kind, stored_value(kind, value))
    return point is not None and point.verified_at is not None and point.unusable_at is None


def has_live_code(session: Session, victim_id: str, kind: str, value: str) -> bool:
    """Whether a code sent to this contact point can still be used."""
    live = contact_points_data.live_verifications_for_contact_point(
        session, victim_id, kind, value, datetime.now(UTC)
    )
    return any(v.failed_attempts < MAX_WRONG_TRIES for v in live)


def _hash(victim_id: str, kind: str, value: str, code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"contact-code:{victim_id}:{kind}:{value}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def send_code(
    session: Session, victim_id: str, kind: str, value: str, *, now: datetime | None = None
) -> None:
    """Send a new code to an email address ("email") or phone number ("phone", by text message)."""
    if kind not in ("email", "phone"):
        raise ValueError("only email addresses and phone numbers are verified by code")
    now = now or datetime.now(UTC)
    if (
        len(contact_points_data.live_verifications_for_contact_point(session, victim_id, kind, value, now))
        >= MAX_LIVE_CODES
    ):
        raise TooManyCodes
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification = contact_points_data.add_verification(
        session,
        ContactVerification(
            victim_id=victim_id,
            kind=kind,
            value=value,
            code_hash=_hash(victim_id, kind, value, code),
            expires_at=now + CODE_LIFETIME,
            failed_attempts=0,
            created_at=now,
        ),
    )
    # Discreet: nothing about a case, an agency or a court.
    body = _(
        "Your security code is %(code)s. It expires in 10 minutes. Do not share it with anyone.", code=code
    )
    channel = "email" if kind == "email" else "sms"
    message = enqueue(
        session,
        channel=channel,
        recipient=value,
        subject=_("Your security code") if kind == "email" else None,
        body=body,
        correlation=f"contact-verification:{verification.id}",
        waited_for=True,
    )
    communications_data.add_communication(
        session,
        Communication(
            victim_id=victim_id,
            outbound_message_id=message.id,
            channel=channel,
            purpose="verification",
            detailed=False,
            created_at=now,
        ),
    )


def check_code(
    session: Session, victim_id: str, kind: str, value: str, code: str, *, actor: Actor | None = None
) -> CodeCheck:
    """Check a code; on success the contact point is verified and every live code for it is used up."""
    now = datetime.now(UTC)
    live = [
        v
        for v in contact_points_data.live_verifications_for_contact_point(
            session, victim_id, kind, value, now
        )
        if v.failed_attempts < MAX_WRONG_TRIES
    ]
    if not live:
        return CodeCheck(False, "expired")
    candidate = _hash(victim_id, kind, value, (code or "").strip().replace(" ", ""))
    match = next((v for v in live if hmac.compare_digest(v.code_hash, candidate)), None)
    if match is None:
        live[0].failed_attempts += 1
        session.flush()
        return CodeCheck(False, "wrong")
    for verification in live:
        verification.used_at = now
    record_verified(session, victim_id, kind, value, at=now)
    audit.record(
        session,
        actor.label if actor else "victim",
        CONTACT_VERIFIED,
        actor_user_id=actor.user_id if actor else None,
        subject_victim_id=victim_id,
        detail={"kind": kind},
    )
    return CodeCheck(True, VERIFIED)


def record_verified(
    session: Session, victim_id: str, kind: str, value: str, *, at: datetime | None = None
) -> None:
    """Mark a contact point verified (a code was entered, or it is demo data)."""
    at = at or datetime.now(UTC)
    stored = stored_value(kind, value)
    point = contact_points_data.get_contact_point(session, victim_id, kind, stored)
    if point is None:
        contact_points_data.add_contact_point(
            session, ContactPoint(victim_id=victim_id, kind=kind, value=stored, verified_at=at, created_at=at)
        )
    else:
        point.verified_at = at
        point.unusable_at = None
        point.unusable_reason = None
        session.flush()


def mark_contact_point_unusable(
    session: Session, victim_id: str, channel: str, value: str | tuple[str, ...] | None, reason: str
) -> bool:
    """After a permanent delivery failure: stop using `value`, the victim's current contact point for
    `channel` (`Preferences.contact_for(channel)`).

    `channel` is "email", "sms", "letter" or "phone"; text messages and calls share the phone number, so
    both stop. Returns False if the victim has no contact point for that channel.
    """
    kind = CHANNEL_KIND[channel]
    if not value:
        return False
    stored = stored_value(kind, value)
    now = datetime.now(UTC)
    point = contact_points_data.get_contact_point(session, victim_id, kind, stored)
    if point is None:
        point = contact_points_data.add_contact_point(
            session, ContactPoint(victim_id=victim_id, kind=kind, value=stored, created_at=now)
        )
    point.unusable_at = now
    point.unusable_reason = reason[:60]
    session.flush()
    audit.record(
        session,
        "GOV.UK Notify",
        CONTACT_UNUSABLE,
        subject_victim_id=victim_id,
        detail={"kind": kind, "reason": reason[:60]},
    )
    return True
