"""Queries for the Code timeliness measure: which updates each victim should be told about, and when
they were told (a message delivered by Notify, or the update opened in the portal, whichever first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.data import recorded_contacts as recorded_contacts_data
from portal.models import Case, CaseUpdate, CaseVictim, Communication, UpdateSeen, Victim


class UpdateForVictim(NamedTuple):
    """One update one victim should be told about, with what the Code compliance measures read."""

    update_id: str
    case_id: int
    agency: str
    event_type: str
    received_at: datetime
    code_deadline: date
    details: dict[str, Any] | None
    victim_id: str


def told_times_by_update_and_victim(
    session: Session,
    updates: Select[str],
    told_by_message: Callable[[str, datetime], datetime] = lambda _channel, delivered_at: delivered_at,
) -> dict[tuple[str, str], datetime]:
    """(update id, victim id) -> when the victim was first told: the earliest of the update first being
    opened in the portal (UpdateSeen), a contact an officer recorded (RecordedContact) and a message
    announcing it reaching the victim
    (Communication -> OutboundMessage.delivered_at, turned into the moment the victim had it by
    `told_by_message(channel, delivered_at)`: a letter is posted, then arrives days later). Copies sent
    to a support worker do not count.

    `updates` is a statement that selects the updates' ids (update_ids_for_force): each query here reads
    it as a subquery, rather than binding thousands of ids, whose parsing alone cost more than the query."""
    told: dict[tuple[str, str], datetime] = {}

    def earliest(key: tuple[str, str], at: datetime | None) -> None:
        if at is not None and (key not in told or at < told[key]):
            told[key] = at

    for update_id, victim_id, seen_at in session.execute(
        select(UpdateSeen.update_id, UpdateSeen.victim_id, UpdateSeen.seen_at).where(
            UpdateSeen.update_id.in_(updates)
        )
    ):
        earliest((update_id, victim_id), seen_at)
    for message_update_id, message_victim_id, channel, delivered_at in session.execute(
        select(
            Communication.update_id,
            Communication.victim_id,
            OutboundMessage.channel,
            func.min(OutboundMessage.delivered_at),
        )
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(
            Communication.update_id.in_(updates),
            Communication.recipient_user_id.is_(None),
            OutboundMessage.delivered_at.is_not(None),
        )
        .group_by(Communication.update_id, Communication.victim_id, OutboundMessage.channel)
    ):
        delivered = _aware(delivered_at)
        if message_update_id is not None:  # a message about an update (not a digest or a notice)
            key = (message_update_id, message_victim_id)
            earliest(key, told_by_message(channel, delivered) if delivered else None)
    # A third way: an officer recorded telling the victim (by phone, in person, at court, a letter by hand).
    for key, told_at in recorded_contacts_data.told_times_by_update_and_victim(session, updates).items():
        earliest(key, told_at)
    return told


def _aware(moment: datetime | None) -> datetime | None:
    # An aggregate loses the column type on SQLite, so min() may come back naive (it is UTC).
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UpdateDeadline:
    """The columns the timeliness measure reads from one update."""

    id: str
    agency: str
    event_type: str
    received_at: datetime
    code_deadline: date


def _force_updates(force_code: str, received_from: datetime, received_before: datetime) -> list[Any]:
    """The conditions updates_for_force and update_ids_for_force share (joined to the case)."""
    return [
        Case.force_code == force_code,
        CaseUpdate.superseded.is_(False),
        CaseUpdate.code_deadline.is_not(None),
        CaseUpdate.received_at >= received_from,
        CaseUpdate.received_at < received_before,
    ]


def update_ids_for_force(force_code: str, received_from: datetime, received_before: datetime) -> Select[str]:
    """The ids of the updates updates_for_force reads, as a statement (for told_times_by_update_and_victim)."""
    return (
        select(CaseUpdate.id)
        .join(Case, Case.id == CaseUpdate.case_id)
        .where(*_force_updates(force_code, received_from, received_before))
    )


def _per_victim(
    force_code: str, received_from: datetime, received_before: datetime, *update: Any, named: bool = True
) -> Select[Any]:
    """`update` (some of its columns) with the victim it is for and, `named`, their name and the case's
    URN: once per victim (an update for the whole case counts for each victim on it), in deadline order."""
    query = (
        select(*update, CaseVictim.victim_id)
        .join(Case, Case.id == CaseUpdate.case_id)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
    )
    if named:
        query = query.add_columns(Victim.given_name, Victim.family_name, Case.urn).join(
            Victim, Victim.id == CaseVictim.victim_id
        )
    return query.where(
        *_force_updates(force_code, received_from, received_before),
        or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == CaseVictim.victim_id),
    ).order_by(CaseUpdate.code_deadline, CaseUpdate.received_at, CaseUpdate.id, CaseVictim.victim_id)


def updates_for_force(
    session: Session, force_code: str, received_from: datetime, received_before: datetime
) -> list[UpdateForVictim]:
    """Current updates with a Code deadline on this force's cases, received in [from, before), once per
    victim they are for, with their details (the Code compliance measures read them): columns, not whole
    updates, which cost most of the quality report's time."""
    columns = (
        CaseUpdate.id,
        CaseUpdate.case_id,
        CaseUpdate.agency,
        CaseUpdate.event_type,
        CaseUpdate.received_at,
        CaseUpdate.code_deadline,
        CaseUpdate.details,
    )
    statement = _per_victim(force_code, received_from, received_before, *columns, named=False)
    return [UpdateForVictim(*row) for row in session.execute(statement)]


@dataclass(frozen=True)
class DeadlineForVictim:
    """One update one victim should be told about, with only what the timeliness measure reads."""

    update: UpdateDeadline
    victim_id: str
    victim_name: str
    urn: str


def deadlines_for_force(
    session: Session, force_code: str, received_from: datetime, received_before: datetime
) -> list[DeadlineForVictim]:
    """updates_for_force's rows with only the columns the timeliness report reads: a unit's year is
    thousands of rows, and reading each update's details (JSON) cost more than the rest of the report."""
    columns = (
        CaseUpdate.id,
        CaseUpdate.agency,
        CaseUpdate.event_type,
        CaseUpdate.received_at,
        CaseUpdate.code_deadline,
    )
    statement = _per_victim(force_code, received_from, received_before, *columns)
    return [
        DeadlineForVictim(
            update=UpdateDeadline(
                id=update_id,
                agency=agency,
                event_type=event_type,
                received_at=received_at,
                code_deadline=deadline,
            ),
            victim_id=vid,
            victim_name=f"{given} {family}",
            urn=urn,
        )
        for update_id, agency, event_type, received_at, deadline, vid, given, family, urn in session.execute(
            statement
        )
    ]
