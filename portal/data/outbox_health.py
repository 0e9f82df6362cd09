"""How delivery is going, for operators (`/_status`, `/metrics`): messages waiting to go out and the oldest
of them, messages Notify has failed lately by kind, and the workers' last heartbeat. Counts and times only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from notifications import heartbeat, outbox
from notifications.outbox import OutboundMessage

# Waiting: due to go out (its safe time has come) and not yet accepted by Notify.
_WAITING_STATUSES = (*outbox.RETRY_STATUSES, outbox.SENDING)
# Final failures count for this long after they happened.
RECENT_FAILURES = timedelta(hours=1)
FAILURE_KINDS = (
    "rate-limited",  # Notify answered 429; waiting to try again
    "unavailable",  # Notify answered 5xx, timed out or refused the connection; waiting to try again
    "temporary-failure",  # Notify's receipt; we send again later
    "technical-failure",  # Notify's receipt; we send again later
    "permanent-failure",  # Notify's receipt in the last hour: a wrong number or address
    "rejected",  # Notify answered 400/403 in the last hour: our request was wrong (never retried)
    "gave-up",  # still failing at give_up_at, in the last hour
)


def _waiting(now: datetime) -> list[object]:
    return [
        OutboundMessage.status.in_(_WAITING_STATUSES),
        or_(OutboundMessage.not_before.is_(None), OutboundMessage.not_before <= now),
    ]


def waiting(session: Session, now: datetime) -> tuple[int, datetime | None]:
    """How many messages are waiting to go out, and since when the oldest has waited (from when it was
    written, or from the start of the victim's safe time if that came later)."""
    since = case(
        (OutboundMessage.not_before > OutboundMessage.created_at, OutboundMessage.not_before),
        else_=OutboundMessage.created_at,
    )
    count, oldest = session.execute(
        select(func.count(), func.min(since)).where(*_waiting(now))  # type: ignore[arg-type]
    ).one()
    if isinstance(oldest, str):  # SQLite returns CASE results as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return int(count or 0), oldest


def failures_by_kind(session: Session, now: datetime) -> dict[str, int]:
    """Messages Notify is failing, by kind (FAILURE_KINDS): those waiting to be tried again, and final
    failures of the last hour."""
    retrying = and_(OutboundMessage.status == outbox.QUEUED, OutboundMessage.attempts > 0)
    kind = case(
        (and_(retrying, OutboundMessage.failure_reason.like("429%")), "rate-limited"),
        (retrying, "unavailable"),
        (
            OutboundMessage.status == outbox.FAILED,
            case((OutboundMessage.failure_reason.like("gave up%"), "gave-up"), else_="rejected"),
        ),
        else_=OutboundMessage.status,
    )
    recent = OutboundMessage.updated_at >= now - RECENT_FAILURES
    rows = session.execute(
        select(kind, func.count())
        .where(
            or_(
                retrying,
                OutboundMessage.status.in_((outbox.TEMPORARY_FAILURE, outbox.TECHNICAL_FAILURE)),
                and_(OutboundMessage.status.in_((outbox.FAILED, outbox.PERMANENT_FAILURE)), recent),
            )
        )
        .group_by(kind)
    ).all()
    counts = dict.fromkeys(FAILURE_KINDS, 0)
    counts.update({str(name): int(number) for name, number in rows})
    return counts


def last_heartbeat(session: Session) -> datetime | None:
    return heartbeat.latest(session)
