"""Queries about erasure requests, and what a victim's download reads that no other query gives.
May flush, never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import Communication, ErasureRequest, UpdateSeen


def add_request(session: Session, request: ErasureRequest) -> ErasureRequest:
    session.add(request)
    session.flush()
    return request


def open_request_for_victim(session: Session, victim_id: str) -> ErasureRequest | None:
    """The victim's request that is neither carried out nor withdrawn, if any."""
    return session.scalar(
        select(ErasureRequest)
        .where(
            ErasureRequest.victim_id == victim_id,
            ErasureRequest.carried_out_at.is_(None),
            ErasureRequest.cancelled_at.is_(None),
        )
        .order_by(ErasureRequest.id)
        .limit(1)
    )


def open_requests(session: Session, limit: int = 200) -> Sequence[ErasureRequest]:
    """Requests waiting for an administrator, oldest first."""
    return session.scalars(
        select(ErasureRequest)
        .where(ErasureRequest.carried_out_at.is_(None), ErasureRequest.cancelled_at.is_(None))
        .order_by(ErasureRequest.requested_at, ErasureRequest.id)
        .limit(limit)
    ).all()


def messages_to_victim(session: Session, victim_id: str) -> Sequence[tuple[Communication, OutboundMessage]]:
    """Every message the portal decided to send the victim themselves (not copies to a support
    worker), with its outbox row, oldest first."""
    rows = session.execute(
        select(Communication, OutboundMessage)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(Communication.victim_id == victim_id, Communication.recipient_user_id.is_(None))
        .order_by(OutboundMessage.created_at, Communication.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def seen_times(session: Session, victim_id: str) -> dict[str, object]:
    """update id -> when the victim first opened it."""
    rows = session.execute(
        select(UpdateSeen.update_id, UpdateSeen.seen_at).where(UpdateSeen.victim_id == victim_id)
    )
    return {str(row[0]): row[1] for row in rows}
