"""Queries about what the portal told each victim (communications) and how each message fared (joined to
the outbox row that carried it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, or_, select
from sqlalchemy.orm import Session

from notifications.outbox import QUEUED, OutboundMessage
from notifications.rows import Write
from portal.models import Case, CaseUpdate, Communication, Victim


def add_communication(session: Session, communication: Communication, *, flush: bool = True) -> Communication:
    """`flush=False`: written at the session's next flush (with the outbox rows it refers to, which the
    unit of work inserts first)."""
    session.add(communication)
    if flush:
        session.flush()
    return communication


def communication_rows(rows: Sequence[dict[str, Any]]) -> Write:
    """New communications (each a dict of every column but `id`) for `rows.insert_tables`, which writes
    them without the ORM's unit of work (they are not objects in the session) after the rows they refer to:
    the session flushed, the outbox rows written before them."""
    return cast(Table, Communication.__table__), rows


def communications_for_message(session: Session, message_id: str) -> Sequence[Communication]:
    return session.scalars(select(Communication).where(Communication.outbound_message_id == message_id)).all()


def get_pending_digest(session: Session, victim_id: str, after: datetime) -> Communication | None:
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


def communications_for_updates(session: Session, update_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Messages sent about these updates, with their delivery outcome from the outbox."""
    ids = list(update_ids)
    if not ids:
        return []
    rows = session.execute(
        select(
            Communication.update_id,
            Communication.victim_id,
            Communication.channel,
            Communication.recipient_user_id,
            Communication.created_at,
            OutboundMessage.status,
            OutboundMessage.sent_at,
            OutboundMessage.delivered_at,
        )
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(Communication.update_id.in_(ids))
        .order_by(Communication.created_at, Communication.id)
    )
    return [dict(row._mapping) for row in rows]


def _about_force(force_code: str) -> ColumnElement[bool]:
    """A message about an update on a case of force `force_code`, or about no update at all (the caller
    joins Case through CaseUpdate with outer joins)."""
    return or_(Communication.update_id.is_(None), Case.force_code == force_code)


def communications_for_victim_in_force(
    session: Session, victim_id: str, force_code: str
) -> Sequence[tuple[Communication, OutboundMessage, CaseUpdate | None]]:
    """Every message sent to the victim (or a copy to their support worker) about an update on a case of
    force `force_code` or about no update, newest first, with the update it was about."""
    rows = session.execute(
        select(Communication, OutboundMessage, CaseUpdate)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .outerjoin(CaseUpdate, CaseUpdate.id == Communication.update_id)
        .outerjoin(Case, Case.id == CaseUpdate.case_id)
        .where(Communication.victim_id == victim_id, _about_force(force_code))
        .order_by(Communication.created_at.desc(), Communication.id.desc())
    ).all()
    return [(communication, message, update) for communication, message, update in rows]


def failed_communications_in_force(
    session: Session, victim_ids: Sequence[str], statuses: Sequence[str], force_code: str
) -> Sequence[tuple[Communication, OutboundMessage, Victim]]:
    """Messages to these victims that will never arrive, about an update on a case of force `force_code`
    or about no update, newest first (at most 500), with the victim."""
    if not victim_ids:
        return []
    rows = session.execute(
        select(Communication, OutboundMessage, Victim)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .join(Victim, Victim.id == Communication.victim_id)
        .outerjoin(CaseUpdate, CaseUpdate.id == Communication.update_id)
        .outerjoin(Case, Case.id == CaseUpdate.case_id)
        .where(
            Communication.victim_id.in_(list(victim_ids)),
            OutboundMessage.status.in_(list(statuses)),
            _about_force(force_code),
        )
        .order_by(OutboundMessage.updated_at.desc())
        .limit(500)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]
