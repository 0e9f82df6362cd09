"""The officer's alert list: messages to their unit's victims that will never arrive (a wrong number or
address, or Notify refused them, or we gave up), with what happened next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import communications as communications_data
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
    victim_ids = access.officer_victim_ids(session, actor)
    rows = communications_data.failed_communications_for_victims(session, victim_ids, FAILED_STATUSES)
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
