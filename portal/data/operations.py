"""Counts for monitoring: how many messages wait in each state, how many updates are overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import CaseUpdate, Communication, UpdateSeen


def outbox_counts_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)
    ).all()
    return {str(status): int(count) for status, count in rows}


def count_updates_past_deadline_untold(session: Session, today: date) -> int:
    """Current updates past their deadline that no victim has opened and no message has announced."""
    seen = exists().where(UpdateSeen.update_id == CaseUpdate.id)
    told = (
        exists()
        .where(
            Communication.update_id == CaseUpdate.id, Communication.outbound_message_id == OutboundMessage.id
        )
        .where(OutboundMessage.delivered_at.is_not(None))
    )
    return (
        session.scalar(
            select(func.count())
            .select_from(CaseUpdate)
            .where(CaseUpdate.superseded.is_(False), CaseUpdate.code_deadline < today, ~seen, ~told)
        )
        or 0
    )
