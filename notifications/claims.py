"""How workers claim due messages so that no two ever hold the same one.

A claim marks the row `sending`, adds one to `attempts` (which then serves as the claim's fencing
token), sets a lease (`claimed_until`) and commits before anyone talks to Notify. PostgreSQL uses
`SELECT ... FOR UPDATE SKIP LOCKED`; other databases (SQLite) a compare-and-set UPDATE per row that only
succeeds if status, attempts and lease are still what we read. A lease that expires (the worker died)
makes the row claimable again; the next claimer asks Notify by reference before sending. A worker
renews its lease just before each call to Notify, so a batch waiting behind slow calls cannot be sent
twice: if the lease ran out and someone else claimed the row, the renewal fails and the row is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from notifications import outbox
from notifications.outbox import OutboundMessage

_NO_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class Claim:
    """A row this worker holds: `attempts` after the claim; `maybe_sent` if an earlier attempt may have
    reached Notify (so look it up by reference before sending again)."""

    message_id: str
    attempts: int
    maybe_sent: bool


def due(now: datetime) -> ColumnElement[bool]:
    """Messages to send now: retry states whose time has come, and sends whose lease has expired."""
    return or_(
        and_(
            OutboundMessage.status.in_(outbox.RETRY_STATUSES),
            OutboundMessage.next_attempt_at <= now,
            or_(OutboundMessage.not_before.is_(None), OutboundMessage.not_before <= now),
        ),
        and_(OutboundMessage.status == outbox.SENDING, OutboundMessage.claimed_until < now),
    )


#: Messages someone is waiting for on a page first (a security code), then the oldest due.
CLAIM_ORDER = (OutboundMessage.waited_for.desc(), OutboundMessage.next_attempt_at)


def claim_batch(
    session: Session, *, now: datetime, limit: int, lease: timedelta, give_up_after: timedelta
) -> list[Claim]:
    """Claim up to `limit` due messages: those someone is waiting for first, then the oldest due. The
    caller commits."""
    if session.get_bind().dialect.name == "postgresql":
        return _claim_skip_locked(session, now=now, limit=limit, lease=lease, give_up_after=give_up_after)
    return _claim_compare_and_set(session, now=now, limit=limit, lease=lease, give_up_after=give_up_after)


def _claim_skip_locked(
    session: Session, *, now: datetime, limit: int, lease: timedelta, give_up_after: timedelta
) -> list[Claim]:
    rows = session.scalars(
        select(OutboundMessage)
        .where(due(now))
        .order_by(*CLAIM_ORDER)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claims = []
    for message in rows:
        claims.append(Claim(message.id, message.attempts + 1, maybe_sent=message.attempts > 0))
        message.status = outbox.SENDING
        message.attempts += 1
        message.claimed_until = now + lease
        message.give_up_at = message.give_up_at or now + give_up_after
        message.updated_at = now
    session.flush()
    return claims


def _claim_compare_and_set(
    session: Session, *, now: datetime, limit: int, lease: timedelta, give_up_after: timedelta
) -> list[Claim]:
    candidates = session.execute(
        select(OutboundMessage.id, OutboundMessage.attempts)
        .where(due(now))
        .order_by(*CLAIM_ORDER)
        .limit(limit)
    ).all()
    claims = []
    for message_id, attempts in candidates:
        result = session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message_id, OutboundMessage.attempts == attempts, due(now))
            .values(
                status=outbox.SENDING,
                attempts=attempts + 1,
                claimed_until=now + lease,
                give_up_at=func.coalesce(OutboundMessage.give_up_at, now + give_up_after),
                updated_at=now,
            )
            .execution_options(**_NO_SYNC)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
            claims.append(Claim(message_id, attempts + 1, maybe_sent=attempts > 0))
    return claims


def renew(session: Session, claim: Claim, *, now: datetime, lease: timedelta) -> bool:
    """Extend our lease right before talking to Notify; False if the claim was lost (another worker
    claimed the row after our lease ran out, or a receipt moved it on). The caller commits."""
    result = session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == claim.message_id,
            OutboundMessage.status == outbox.SENDING,
            OutboundMessage.attempts == claim.attempts,
        )
        .values(claimed_until=now + lease, updated_at=now)
        .execution_options(**_NO_SYNC)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult


def release(session: Session, claims: list[Claim], *, now: datetime) -> None:
    """Give back claims not worked on (shutting down): due again at once. The caller commits."""
    for claim in claims:
        session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == claim.message_id,
                OutboundMessage.status == outbox.SENDING,
                OutboundMessage.attempts == claim.attempts,
            )
            .values(status=outbox.QUEUED, claimed_until=None, next_attempt_at=now, updated_at=now)
            .execution_options(**_NO_SYNC)
        )


def claim_reconcile(session: Session, *, now: datetime, limit: int, max_delay: timedelta) -> list[str]:
    """Sent messages with no receipt by `next_attempt_at`: push that time back (so no other worker asks
    at once) and return their ids for a status check. The caller commits."""
    candidates = session.execute(
        select(OutboundMessage.id, OutboundMessage.next_attempt_at, OutboundMessage.sent_at)
        .where(
            OutboundMessage.status == outbox.SENT,
            OutboundMessage.next_attempt_at <= now,
            OutboundMessage.notify_id.is_not(None),
        )
        .order_by(OutboundMessage.next_attempt_at)
        .limit(limit)
    ).all()
    ids = []
    for message_id, next_attempt_at, sent_at in candidates:
        age = now - (sent_at or now)
        later = now + min(max(age, timedelta(minutes=1)), max_delay)
        result = session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == message_id,
                OutboundMessage.status == outbox.SENT,
                OutboundMessage.next_attempt_at == next_attempt_at,
            )
            .values(next_attempt_at=later)
            .execution_options(**_NO_SYNC)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
            ids.append(message_id)
    return ids
