"""Every agency API call leaves an audit event: which client, what it did, the outcome. Never the body,
the token or anyone's personal details: only ids and counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

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
