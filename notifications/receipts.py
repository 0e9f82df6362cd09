"""Delivery receipts: Notify POSTs one per notification to the portal's callback URL.

`check_bearer` checks the callback token in constant time; `apply_receipt` records the outcome on the
outbox row in the caller's transaction (never commits). Receipts are idempotent and out-of-order safe:

- a final message (delivered, permanent-failure, failed) is never changed again;
- a receipt is applied to the notification we track (`notify_id`); while we track none yet (Notify's
  201 has not been recorded: the worker is mid-send, crashed or timed out) the receipt's notification
  is adopted, which also stops a second send;
- once a tracked notification has failed and a resend is pending or in flight, further receipts for it
  change nothing; receipts for any other notification are stale and ignored (the worker's periodic
  status check catches anything missed);
- created/sending/pending never move a `sent` message backwards.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications import outbox
from notifications.client import parse_notify_time
from notifications.outbox import OutboundMessage, lock_message
from notifications.transitions import DEFAULT_POLICY, RetryPolicy, apply_notify_status
from notifications.types import utcnow

log = logging.getLogger(__name__)


class ReceiptError(ValueError):
    """The receipt is malformed (answer 400)."""


def check_bearer(authorization_header: str | None, expected_token: str | None) -> bool:
    """True if the header is exactly `Bearer <expected_token>`; constant time; False if no token is set."""
    if not expected_token or not authorization_header:
        return False
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode("utf-8"), expected_token.encode("utf-8"))


def _text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReceiptError(f"{key} must be a string")
    return value.strip() or None


def _find(session: Session, reference: str | None, notify_id: str) -> OutboundMessage | None:
    message_id = None
    if reference:
        message_id = session.scalar(select(OutboundMessage.id).where(OutboundMessage.id == reference))
    if message_id is None:
        message_id = session.scalar(
            select(OutboundMessage.id).where(OutboundMessage.notify_id == notify_id).limit(1)
        )
    return lock_message(session, message_id) if message_id is not None else None


def apply_receipt(
    session: Session,
    payload: Mapping[str, Any],
    *,
    now: datetime | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> bool:
    """Record one Notify delivery receipt. True if the message changed; False for an unknown message, a
    duplicate, or a stale or out-of-order receipt. Raises ReceiptError if `id` or `status` is missing.
    Emits the signals of `notifications.signals` in this session; the caller commits.
    """
    if not isinstance(payload, Mapping):
        raise ReceiptError("the receipt must be a JSON object")
    notify_id = _text(payload, "id")
    status = _text(payload, "status")
    if not notify_id or not status:
        raise ReceiptError("a receipt needs id and status")
    reference = _text(payload, "reference")
    now = now or utcnow()

    message = _find(session, reference, notify_id)
    if message is None:
        log.info("receipt for unknown notification %s", notify_id)
        return False
    if message.is_final:
        return False
    if message.notify_id is None:
        message.notify_id = notify_id  # adopt: Notify has it, whatever our side managed to record
    elif message.notify_id != notify_id:
        log.info("stale receipt %s for message %s (tracking %s)", notify_id, message.id, message.notify_id)
        return False
    elif message.status != outbox.SENT:
        return False  # this notification already failed; a resend is pending or in flight
    return apply_notify_status(
        session,
        message,
        status,
        now=now,
        completed_at=parse_notify_time(payload.get("completed_at")),
        sent_at=parse_notify_time(payload.get("sent_at")),
        policy=policy,
    )
