"""Status changes of an outbox message, in one place, with the signals they emit.

Used by the worker (after a send, a lookup or a status check) and by `receipts.apply_receipt`. Every
function here works on a row the caller has locked (`outbox.lock_message`) and never commits.

Notify statuses map onto ours as follows: created/sending/pending/accepted/sent -> `sent`; delivered (and
`received` for letters, i.e. printed and posted) -> `delivered`; permanent-failure -> `permanent-failure`
(final); temporary-failure and technical-failure -> the same status with a resend scheduled, unless that
would fall after `give_up_at`, in which case -> `failed`; validation-failed, virus-scan-failed,
cancelled -> `failed`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from notifications import outbox
from notifications.outbox import OutboundMessage
from notifications.signals import (
    REASON_GAVE_UP,
    REASON_INVALID,
    REASON_PERMANENT_FAILURE,
    message_failed,
    message_status_changed,
)

log = logging.getLogger(__name__)

NOTIFY_IN_PROGRESS = frozenset({"created", "sending", "pending", "accepted", "pending-virus-check"})
NOTIFY_SENT_NO_RECEIPT = frozenset({"sent"})  # international SMS: no further news will come
NOTIFY_DELIVERED = frozenset({"delivered", "received"})  # received: a letter printed and posted
NOTIFY_INVALID = frozenset({"validation-failed", "virus-scan-failed", "cancelled"})
NOTIFY_RETENTION = timedelta(days=7)  # Notify forgets notifications after this


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait before trying again. Delays use exponential backoff with full jitter."""

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=15)
    temporary_failure_delay: timedelta = timedelta(minutes=30)  # Notify already tried for up to 72 hours
    reconcile_after: timedelta = timedelta(minutes=15)  # ask Notify if no receipt has come by then
    random: Callable[[], float] = field(default=random.random, compare=False)

    def backoff(self, attempts: int) -> timedelta:
        """Full jitter: uniform in [0, min(cap, base * 2**(attempts-1))]."""
        exponent = min(max(attempts - 1, 0), 32)
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * (2**exponent))
        return timedelta(seconds=self.random() * ceiling)


DEFAULT_POLICY = RetryPolicy()


def set_status(session: Session, message: OutboundMessage, new_status: str, *, now: datetime) -> bool:
    """Change the status and emit `message_status_changed` (not for the worker's claim)."""
    old_status = message.status
    if old_status == new_status:
        return False
    message.status = new_status
    message.updated_at = now
    if new_status != outbox.SENDING:
        message_status_changed.send(
            message.id, session=session, message=message, old_status=old_status, new_status=new_status
        )
    return True


def fail(session: Session, message: OutboundMessage, *, reason: str, detail: str, now: datetime) -> None:
    """Move to `failed` (final) and emit `message_failed`."""
    message.failure_reason = detail[:2000]
    message.claimed_until = None
    message.next_attempt_at = None
    if set_status(session, message, outbox.FAILED, now=now):
        message_failed.send(message.id, session=session, message=message, reason=reason)


def retry_later(
    session: Session,
    message: OutboundMessage,
    *,
    status: str,
    delay: timedelta,
    detail: str,
    now: datetime,
) -> None:
    """Schedule another attempt after `delay`, or give up if that falls after `give_up_at`."""
    when = now + delay
    if message.give_up_at is not None and when > message.give_up_at:
        fail(session, message, reason=REASON_GAVE_UP, detail=f"gave up: {detail}", now=now)
        return
    message.failure_reason = detail[:2000]
    message.claimed_until = None
    message.next_attempt_at = when
    set_status(session, message, status, now=now)


def mark_sent(
    session: Session,
    message: OutboundMessage,
    notify_id: str,
    *,
    now: datetime,
    policy: RetryPolicy = DEFAULT_POLICY,
    sent_at: datetime | None = None,
) -> None:
    """Notify has (or had already) accepted it as `notify_id`; wait for the receipt."""
    message.notify_id = notify_id
    message.claimed_until = None
    message.sent_at = sent_at or message.sent_at or now
    message.next_attempt_at = now + policy.reconcile_after
    message.failure_reason = None
    set_status(session, message, outbox.SENT, now=now)


def apply_notify_status(
    session: Session,
    message: OutboundMessage,
    notify_status: str,
    *,
    now: datetime,
    completed_at: datetime | None = None,
    sent_at: datetime | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> bool:
    """Apply Notify's status of `message.notify_id` (already set by the caller). Returns True on a change.

    The caller decides whether this status is news (see receipts.apply_receipt); a final message is
    never changed here.
    """
    if message.is_final:
        return False
    before = (message.status, message.next_attempt_at, message.delivered_at)
    if notify_status in NOTIFY_IN_PROGRESS or notify_status in NOTIFY_SENT_NO_RECEIPT:
        if message.status != outbox.SENT:
            mark_sent(session, message, message.notify_id or "", now=now, policy=policy, sent_at=sent_at)
        if notify_status in NOTIFY_SENT_NO_RECEIPT:
            message.next_attempt_at = None  # nothing more to learn
    elif notify_status in NOTIFY_DELIVERED:
        message.delivered_at = completed_at or now
        message.sent_at = message.sent_at or sent_at or now
        message.claimed_until = None
        message.next_attempt_at = None
        message.failure_reason = None
        set_status(session, message, outbox.DELIVERED, now=now)
    elif notify_status == "permanent-failure":
        message.failure_reason = "permanent-failure: Notify could not deliver to this recipient"
        message.claimed_until = None
        message.next_attempt_at = None
        if set_status(session, message, outbox.PERMANENT_FAILURE, now=now):
            message_failed.send(message.id, session=session, message=message, reason=REASON_PERMANENT_FAILURE)
    elif notify_status == "temporary-failure":
        retry_later(
            session,
            message,
            status=outbox.TEMPORARY_FAILURE,
            delay=policy.temporary_failure_delay,
            detail="temporary-failure: the recipient's phone or inbox did not accept it",
            now=now,
        )
    elif notify_status == "technical-failure":
        retry_later(
            session,
            message,
            status=outbox.TECHNICAL_FAILURE,
            delay=policy.backoff(message.attempts),
            detail="technical-failure: Notify could not pass it on",
            now=now,
        )
    elif notify_status in NOTIFY_INVALID:
        fail(session, message, reason=REASON_INVALID, detail=f"Notify status {notify_status}", now=now)
    else:
        log.warning("ignoring unknown Notify status %r for message %s", notify_status, message.id)
        return False
    return before != (message.status, message.next_attempt_at, message.delivered_at)
