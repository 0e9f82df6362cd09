"""Queries about what the portal told each victim and how each message fared."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import QUEUED, OutboundMessage
from portal.models import Communication, Victim


def add(session: Session, communication: Communication, *, flush: bool = True) -> Communication:
    """`flush=False`: written at the session's next flush (with the outbox rows it refers to, which the
    unit of work inserts first)."""
    session.add(communication)
    if flush:
        session.flush()
    return communication


def for_message(session: Session, message_id: str) -> Sequence[Communication]:
    return session.scalars(select(Communication).where(Communication.outbound_message_id == message_id)).all()


def pending_digest(session: Session, victim_id: str, after: datetime) -> Communication | None:
    """A daily digest for this victim that has not gone yet and is due after `after`."""
    return session.scalar(
        select(Communication)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(
            Communication.victim_id == victim_id,
            Communication.purpose == "digest",
            OutboundMessage.status == QUEUED,
            OutboundMessage.not_before > after,
        )
        .limit(1)
    )


def log_for_victims(
    session: Session, victim_ids: Sequence[str]
) -> Sequence[tuple[Communication, OutboundMessage]]:
    """Every message to these victims with its delivery state, newest first."""
    if not victim_ids:
        return []
    rows = session.execute(
        select(Communication, OutboundMessage)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(Communication.victim_id.in_(list(victim_ids)))
        .order_by(Communication.created_at.desc(), Communication.id.desc())
    ).all()
    return [(row[0], row[1]) for row in rows]


def failed_for_victims(
    session: Session, victim_ids: Sequence[str], statuses: Sequence[str]
) -> Sequence[tuple[Communication, OutboundMessage, Victim]]:
    """Messages to these victims that will never arrive, newest first, with the victim."""
    if not victim_ids:
        return []
    rows = session.execute(
        select(Communication, OutboundMessage, Victim)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .join(Victim, Victim.id == Communication.victim_id)
        .where(Communication.victim_id.in_(list(victim_ids)), OutboundMessage.status.in_(list(statuses)))
        .order_by(OutboundMessage.updated_at.desc())
        .limit(500)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]
