"""Counts for monitoring: how many messages wait in each state, how many updates are overdue."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import CaseUpdate, Communication, RecordedContactUpdate, UpdateSeen


def outbox_counts_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)
    ).all()
    return {str(status): int(count) for status, count in rows}


def count_updates_past_deadline_untold(session: Session, today: date, letters_arrived_by: datetime) -> int:
    """Current updates past their deadline that no victim has opened, no officer recorded telling a victim
    of (by phone, in person...), and no message has told of: a text or email once delivered, a letter once
    posted by `letters_arrived_by` (it has arrived since)."""
    seen = exists().where(UpdateSeen.update_id == CaseUpdate.id)
    recorded = exists().where(RecordedContactUpdate.update_id == CaseUpdate.id)
    told = (
        exists()
        .where(
            Communication.update_id == CaseUpdate.id, Communication.outbound_message_id == OutboundMessage.id
        )
        .where(OutboundMessage.delivered_at.is_not(None))
        .where(or_(OutboundMessage.channel != "letter", OutboundMessage.delivered_at <= letters_arrived_by))
    )
    return (
        session.scalar(
            select(func.count())
            .select_from(CaseUpdate)
            .where(
                CaseUpdate.superseded.is_(False), CaseUpdate.code_deadline < today, ~seen, ~recorded, ~told
            )
        )
        or 0
    )
