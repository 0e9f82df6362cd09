"""The officer's alert list: messages to their unit's victims that will never arrive (a wrong number or
address, or Notify refused them, or we gave up), with what happened next. Only messages about the unit's
own cases, or about no case at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from notifications import outbox
from portal.services.cases.officer_views import DELIVERY_LABELS, PURPOSE_LABELS
from portal.services.common import access
from portal.services.common.actors import Actor

FAILED_STATUSES = (outbox.PERMANENT_FAILURE, outbox.FAILED)


@dataclass(frozen=True)
class DeliveryProblem:
    victim_id: str
    victim_name: str
    channel: str
    purpose: str
    status: str
    failed_at: datetime
    reason: str | None


def delivery_problems(session: Session, actor: Actor) -> list[DeliveryProblem]:
    """Failed messages to the unit's victims, leaving out those about another unit's case (a victim can
    have cases in several forces: access.officer_failed_communications)."""
    rows = access.officer_failed_communications(session, actor, FAILED_STATUSES)
    return [
        DeliveryProblem(
            victim_id=communication.victim_id,
            victim_name=victim.full_name,
            channel=communication.channel,
            purpose=str(PURPOSE_LABELS.get(communication.purpose, communication.purpose)),
            status=str(DELIVERY_LABELS.get(message.status, message.status)),
            failed_at=message.updated_at,
            reason=message.failure_reason,
        )
        for communication, message, victim in rows
    ]
