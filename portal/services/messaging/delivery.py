"""What the portal does when the notifications package reports on a message: delivery receipts in,
permanent failures handled (the contact point marked unusable, the next safe channel tried, the
witness care officer alerted through the delivery-problems list and the audit trail)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from notifications import receipts, signals
from notifications.outbox import OutboundMessage
from portal.data import communications as communications_data
from portal.services.common import audit
from portal.services.messaging import dispatch
from portal.services.preferences.contact_points import mark_contact_point_unusable
from portal.services.preferences.records import current_preferences

log = logging.getLogger(__name__)

ReceiptError = receipts.ReceiptError


def callback_token_ok(authorization_header: str | None, expected_token: str | None) -> bool:
    return receipts.check_bearer(authorization_header, expected_token)


def apply_receipt(session: Session, payload: Mapping[str, Any]) -> bool:
    """Record a Notify delivery receipt. Idempotent and out-of-order safe. Raises ReceiptError."""
    return receipts.apply_receipt(session, dict(payload))


def on_message_failed(
    sender: str, *, session: Session, message: OutboundMessage, reason: str, **_: Any
) -> None:
    """A message will never arrive: stop using that contact point if it is wrong, try the next safe
    channel, and leave a record the officer sees.

    Signals are process-wide: outside a portal app context (the notifications package's own tests, or
    another composition of the worker) there is nothing of the portal's to update.
    """
    if not has_app_context() or "database" not in current_app.extensions:
        return
    for communication in communications_data.communications_for_message(session, message.id):
        # A copy to a support worker failed on the worker's address: the victim's contact point is fine.
        if reason == signals.REASON_PERMANENT_FAILURE and communication.recipient_user_id is None:
            current = current_preferences(session, communication.victim_id).contact_for(communication.channel)
            mark_contact_point_unusable(
                session, communication.victim_id, communication.channel, current, reason
            )
        fallback = None
        try:
            with session.begin_nested():  # a failed fallback must not lose the failure itself
                fallback = dispatch.fall_back(session, communication)
        except Exception:
            log.exception("could not fall back to another channel for message %s", message.id)
        audit.record(
            session,
            "GOV.UK Notify",
            "delivery.failed",
            subject_victim_id=communication.victim_id,
            detail={
                "channel": communication.channel,
                "reason": reason,
                "message_id": message.id,
                "fallback_channel": fallback.channel if fallback else None,
            },
        )


_connected: set[int] = set()


def connect(app: Flask) -> None:
    """Subscribe the portal's listeners (once per process)."""
    if id(signals.message_failed) in _connected:
        return
    signals.message_failed.connect(on_message_failed, weak=False)
    _connected.add(id(signals.message_failed))
