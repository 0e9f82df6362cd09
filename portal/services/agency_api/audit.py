"""Every agency API call leaves an audit event: which client, what it did, the outcome. Never the body,
the token or anyone's personal details: only ids and counts.

Accepted calls (and calls refused after authentication: out of scope, invalid) are written one by one.
Calls refused at authentication are counted instead (security finding 6): a flood of bad tokens must not
fill the trail. All refusals in one minute with the same caller address, named client, verb and reason
are one event whose `occurrences` says how many there were; the address is kept only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from portal.data import audit as audit_data
from portal.models.base import utcnow
from portal.services.common import audit
from portal.services.common.actors import ApiCaller

UNKNOWN_CLIENT = "unidentified API client"


def record_call(
    session: Session,
    caller: ApiCaller | None,
    verb: str,
    *,
    status: int,
    victim_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add an `api.<verb>` event to `session` (the caller decides which transaction it joins)."""
    audit.record(
        session,
        caller.name if caller else UNKNOWN_CLIENT,
        f"api.{verb}",
        subject_victim_id=victim_id,
        detail={
            "client_id": caller.client_id if caller else None,
            "agency": caller.agency if caller else None,
            "force": caller.force_code if caller else None,
            "status_code": status,
            **(detail or {}),
        },
    )


def address_hash(address: str) -> str:
    """A caller's IP address as the audit trail keeps it: 16 hex digits of an HMAC-SHA256 under SECRET_KEY.
    The same address is the same hash in every minute, so a flood can be followed; whoever holds the key
    can check whether a given address was the one (rotating SECRET_KEY changes every hash)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"api-refusal-address:{address}".encode(), hashlib.sha256).hexdigest()[:16]


def record_refusal(
    session: Session,
    verb: str,
    *,
    status: int,
    reason: str,
    address: str,
    named_client_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Count a call refused at authentication: the first in its minute adds an `api.<verb>` event (by an
    unidentified client, with the reason, the address hash and the request id of that first call), each
    later one adds 1 to its occurrences. `reason` is the refusal's message (a fixed text, never the token);
    `named_client_id` the existing client the token claimed to come from, if any (not proof it did)."""
    now = now or utcnow()
    minute = now.replace(second=0, microsecond=0).isoformat()
    hashed = address_hash(address)
    same = "\x1f".join((minute, hashed, named_client_id or "", verb, str(status), reason))
    audit_data.count_audit_event(
        session,
        hashlib.sha256(same.encode()).hexdigest(),
        {
            "at": now,
            "actor_user_id": None,
            "actor_label": UNKNOWN_CLIENT,
            "action": f"api.{verb}",
            "subject_victim_id": None,
            "request_id": audit.current_request_id(),
            "detail": {
                "client_id": None,
                "agency": None,
                "force": None,
                "status_code": status,
                **(detail or {}),
                "refused": reason,
                "named_client_id": named_client_id,
                "ip_hash": hashed,
                "minute": minute,
            },
        },
    )
