"""Queries about case updates: a victim's timeline of a case, the updates an agency sent (by its event
ids), and which updates each victim has opened in the portal (seen records)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from typing import cast as cast_as

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    inspect,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from notifications.outbox import OutboundMessage
from notifications.rows import insert_rows
from portal.data import chunks
from portal.models import CaseUpdate, Communication, RecordedContact, RecordedContactUpdate, UpdateSeen
from portal.models.base import UTCDateTime, utcnow


@dataclass(frozen=True)
class LatestUpdate:
    update: CaseUpdate
    seen: bool  # the victim has opened it
    new_count: int  # updates of its case the victim has not opened yet


# --- A victim's timeline ------------------------------------------------------------------------


def _for_victim(victim_id: str) -> tuple[ColumnElement[bool], ...]:
    """What a victim's timeline shows: current (not superseded) updates for every victim on the case or
    for this victim alone. Every timeline query below applies this one rule."""
    return (
        CaseUpdate.superseded.is_(False),
        or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == victim_id),
    )


def _for_bound_victim() -> tuple[ColumnElement[bool], ...]:
    """`_for_victim` with the victim id bound as the parameter "victim_id", for statements built once."""
    return (
        CaseUpdate.superseded.is_(False),
        or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == bindparam("victim_id")),
    )


#: Newest first; the update id breaks ties so that pages never overlap or skip an update.
NEWEST_FIRST = (CaseUpdate.occurred_at.desc(), CaseUpdate.created_at.desc(), CaseUpdate.id.desc())


def updates_for_victim(session: Session, case_ids: Iterable[int], victim_id: str) -> Sequence[CaseUpdate]:
    """Current (not superseded) updates on these cases meant for this victim, newest first."""
    ids = list(case_ids)
    if not ids:
        return []
    return session.scalars(
        select(CaseUpdate).where(CaseUpdate.case_id.in_(ids), *_for_victim(victim_id)).order_by(*NEWEST_FIRST)
    ).all()


def update_counts_by_agency(session: Session, case_id: int, victim_id: str) -> dict[str, int]:
    """agency -> how many updates the victim's timeline of this case has from it (one GROUP BY)."""
    rows = session.execute(
        select(CaseUpdate.agency, func.count())
        .where(CaseUpdate.case_id == case_id, *_for_victim(victim_id))
        .group_by(CaseUpdate.agency)
    )
    return {str(agency): int(count) for agency, count in rows}


def _seen_by(victim_id: str) -> ColumnElement[bool]:
    return and_(UpdateSeen.update_id == CaseUpdate.id, UpdateSeen.victim_id == victim_id)


@functools.cache
def _timeline_page_statement(of_agency: bool) -> Select[CaseUpdate, int]:
    """Built once per process (the hot path: building and keying a statement costs about as much as
    running it); parameters victim_id, case_id, limit, offset and, `of_agency`, agency."""
    query = (
        select(CaseUpdate, UpdateSeen.id)
        .outerjoin(
            UpdateSeen,
            and_(UpdateSeen.update_id == CaseUpdate.id, UpdateSeen.victim_id == bindparam("victim_id")),
        )
        .where(CaseUpdate.case_id == bindparam("case_id"), *_for_bound_victim())
        .order_by(*NEWEST_FIRST)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if of_agency:
        query = query.where(CaseUpdate.agency == bindparam("agency"))
    return query


def updates_for_timeline_page(
    session: Session, case_id: int, victim_id: str, agency: str | None, *, limit: int, offset: int
) -> list[tuple[CaseUpdate, bool]]:
    """One page of the victim's timeline of this case, newest first, optionally from one agency only:
    each update with whether the victim has opened it (read in the same statement, for this page only)."""
    parameters: dict[str, Any] = {
        "victim_id": victim_id,
        "case_id": case_id,
        "limit": limit,
        "offset": offset,
    }
    if agency is not None:
        parameters["agency"] = agency
    rows = session.execute(_timeline_page_statement(agency is not None), parameters)
    return [(update, seen_id is not None) for update, seen_id in rows]


def count_updates_before(
    session: Session, case_id: int, victim_id: str, agency: str | None, update_id: str
) -> int:
    """How many updates come before this one on the victim's timeline of this case (optionally from one
    agency only): its position from 0. 0 when the timeline does not show it."""
    target = (
        select(CaseUpdate.occurred_at, CaseUpdate.created_at, CaseUpdate.id)
        .where(CaseUpdate.id == update_id, CaseUpdate.case_id == case_id, *_for_victim(victim_id))
        .subquery()
    )
    query = (
        select(func.count())
        .select_from(CaseUpdate)
        .join(
            target,
            tuple_(CaseUpdate.occurred_at, CaseUpdate.created_at, CaseUpdate.id)
            > tuple_(target.c.occurred_at, target.c.created_at, target.c.id),
        )
        .where(CaseUpdate.case_id == case_id, *_for_victim(victim_id))
    )
    if agency is not None:
        query = query.where(CaseUpdate.agency == agency)
    return session.scalar(query) or 0


def _ranked_newest_first() -> ColumnElement[int]:
    return func.row_number().over(partition_by=CaseUpdate.case_id, order_by=NEWEST_FIRST)


def latest_updates_by_case(
    session: Session, case_ids: Iterable[int], victim_id: str
) -> dict[int, LatestUpdate]:
    """case id -> its latest update for this victim, whether they opened it and how many updates of the
    case they have not opened yet: one statement for all the cases (cases without updates are left out)."""
    ids = list(case_ids)
    if not ids:
        return {}
    not_opened = case((UpdateSeen.id.is_(None), 1), else_=0)
    ranked = (
        select(
            CaseUpdate.id.label("update_id"),
            UpdateSeen.id.label("seen_id"),
            _ranked_newest_first().label("rank"),
            func.sum(not_opened).over(partition_by=CaseUpdate.case_id).label("new_count"),
        )
        .outerjoin(UpdateSeen, _seen_by(victim_id))
        .where(CaseUpdate.case_id.in_(ids), *_for_victim(victim_id))
        .subquery()
    )
    rows = session.execute(
        select(CaseUpdate, ranked.c.seen_id, ranked.c.new_count)
        .join(ranked, ranked.c.update_id == CaseUpdate.id)
        .where(ranked.c.rank == 1)
    )
    return {
        update.case_id: LatestUpdate(update=update, seen=seen_id is not None, new_count=int(new_count))
        for update, seen_id, new_count in rows
    }


# --- Seen records: the victim opened an update in the portal ------------------------------------


def add_seen(session: Session, victim_id: str, update_ids: Iterable[str]) -> None:
    """Record that the victim opened these updates: one executemany on the table, however many updates
    (the ORM would insert them one by one on SQLite, and its bulk INSERT costs more than the table's)."""
    now = datetime.now(UTC)
    rows = [{"update_id": update_id, "victim_id": victim_id, "seen_at": now} for update_id in update_ids]
    if rows:
        session.flush()
        session.execute(insert(cast_as(Table, UpdateSeen.__table__)), rows)


def seen_times_by_update_and_victim(
    session: Session, update_ids: Iterable[str]
) -> dict[tuple[str, str], datetime]:
    """(update id, victim id) -> when the victim first opened the update in the portal."""
    ids = list(update_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(UpdateSeen.update_id, UpdateSeen.victim_id, UpdateSeen.seen_at).where(
            UpdateSeen.update_id.in_(ids)
        )
    )
    return {(update_id, victim_id): seen_at for update_id, victim_id, seen_at in rows}


# --- What agencies sent -------------------------------------------------------------------------


def updates_for_case(session: Session, case_id: int) -> Sequence[CaseUpdate]:
    """Every update on the case, superseded ones included, in the order things happened."""
    return session.scalars(
        select(CaseUpdate)
        .where(CaseUpdate.case_id == case_id)
        .order_by(CaseUpdate.occurred_at, CaseUpdate.created_at, CaseUpdate.id)
    ).all()


def get_update_by_agency_event(session: Session, agency: str, agency_event_id: str) -> CaseUpdate | None:
    return session.scalar(
        select(CaseUpdate).where(CaseUpdate.agency == agency, CaseUpdate.agency_event_id == agency_event_id)
    )


def add_updates(session: Session, updates: Sequence[CaseUpdate]) -> None:
    """Write new updates in one statement (COPY on PostgreSQL: see notifications/rows.py), then put them
    in the session as if they had been read back. Raises IntegrityError if one's agency event id was
    stored before: call it inside a SAVEPOINT. The session's own pending changes are not flushed."""
    insert_rows(session, _case_update_table(), [_row(update) for update in updates])
    for update in updates:
        make_transient_to_detached(update)
        session.add(update)


def add_update_unless_event_stored(session: Session, update: CaseUpdate) -> bool:
    """Write a new update in one INSERT that does nothing if its agency and event id were stored before
    (a replay, or a concurrent request a moment earlier); whether it was written. Unlike a flush that
    meets the unique constraint, a conflict leaves the caller's transaction usable, so no SAVEPOINT is
    needed. Once written, `update` is in the session as if it had been read back (nothing more is sent).
    Any other refusal (a foreign key) raises IntegrityError, as a flush would."""
    written = session.execute(_add_unless_stored_statement(session.get_bind().dialect.name), _row(update))
    if written.scalar() is None:
        return False
    make_transient_to_detached(update)
    session.add(update)
    return True


def _row(update: CaseUpdate) -> dict[str, Any]:
    """Every column of a new update as it is written (its creation time set now if it has none)."""
    if update.created_at is None:
        update.created_at = utcnow()
    return {key: getattr(update, key) for key in _update_columns()}


@functools.cache
def _update_columns() -> tuple[str, ...]:
    """Every column of case_update, each an attribute of the same name (checked: a renamed attribute
    would otherwise be written as NULL)."""
    keys = tuple(attribute.key for attribute in inspect(CaseUpdate).column_attrs)
    if sorted(keys) != sorted(CaseUpdate.__table__.c.keys()):
        raise RuntimeError("CaseUpdate's attributes are not named as its columns")
    return keys


def _case_update_table() -> Table:
    return cast_as(Table, CaseUpdate.__table__)


@functools.cache
def _add_unless_stored_statement(dialect: str) -> Any:
    """Built once per process and dialect; a parameter for each column."""
    table = _case_update_table()
    insert_into = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert_into(table)
        .on_conflict_do_nothing(index_elements=[table.c.agency, table.c.agency_event_id])
        .returning(table.c.id)
    )


def updates_by_agency_event(
    session: Session, agency: str, agency_event_ids: Iterable[str]
) -> dict[str, CaseUpdate]:
    """The updates already stored under these event ids of this agency, by event id (one query per 500)."""
    ids = list(dict.fromkeys(agency_event_ids))
    found: dict[str, CaseUpdate] = {}
    for chunk in chunks(ids):
        for row in session.scalars(
            select(CaseUpdate).where(CaseUpdate.agency == agency, CaseUpdate.agency_event_id.in_(chunk))
        ):
            found[row.agency_event_id] = row
    return found


# --- Light reads: what a case's standing and its next hearing are worked out from ----------------


class UpdateFacts(NamedTuple):
    """The columns of an update that say what happened (no message, no wording). A named tuple: a page
    reads one per update of the case, and a tuple is made several times faster than a frozen dataclass."""

    id: str
    case_id: int
    event_type: str
    details: dict[str, Any]
    occurred_at: datetime
    received_at: datetime
    agency: str = ""


@functools.cache
def _update_facts_statement(of_types: bool) -> Select[str, int, str, Any, datetime, datetime, str]:
    """Built once per process; parameters case_ids, victim_id and, `of_types`, event_types."""
    query = (
        select(
            CaseUpdate.id,
            CaseUpdate.case_id,
            CaseUpdate.event_type,
            CaseUpdate.details,
            CaseUpdate.occurred_at,
            CaseUpdate.received_at,
            CaseUpdate.agency,
        )
        .where(CaseUpdate.case_id.in_(bindparam("case_ids", expanding=True)), *_for_bound_victim())
        .order_by(CaseUpdate.occurred_at, CaseUpdate.received_at, CaseUpdate.id)
    )
    if of_types:
        query = query.where(CaseUpdate.event_type.in_(bindparam("event_types", expanding=True)))
    return query


def update_facts(
    session: Session, case_ids: Iterable[int], victim_id: str, event_types: Iterable[str] | None = None
) -> list[UpdateFacts]:
    """The updates on the victim's timeline of these cases (optionally of these event types only), light
    columns only, in the order things happened: one statement however many cases and updates."""
    ids = list(case_ids)
    if not ids:
        return []
    parameters: dict[str, Any] = {"case_ids": ids, "victim_id": victim_id}
    if event_types is not None:
        parameters["event_types"] = list(event_types)
    # Each row's details are a dict of its own (decoded from JSON for this row): no copy needed.
    return [
        UpdateFacts(
            update_id, case_id, event_type, {} if details is None else details, occurred, received, agency
        )
        for update_id, case_id, event_type, details, occurred, received, agency in session.execute(
            _update_facts_statement(event_types is not None), parameters
        )
    ]


@functools.cache
def _told_times_statement(of_case: bool) -> Any:
    """Built once per process; parameters victim_id and case_id (`of_case`) or update_ids."""
    scope: Any = (
        select(CaseUpdate.id).where(CaseUpdate.case_id == bindparam("case_id")).scalar_subquery()
        if of_case
        else bindparam("update_ids", expanding=True)
    )
    victim_id: Any = bindparam("victim_id")
    seen = select(
        UpdateSeen.update_id.label("update_id"),
        cast(null(), String(10)).label("channel"),
        UpdateSeen.seen_at.label("at"),
    ).where(UpdateSeen.victim_id == victim_id, UpdateSeen.update_id.in_(scope))
    delivered = (
        select(
            Communication.update_id,
            OutboundMessage.channel,
            type_coerce(func.min(OutboundMessage.delivered_at), UTCDateTime()),
        )
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(
            Communication.victim_id == victim_id,
            Communication.recipient_user_id.is_(None),
            OutboundMessage.delivered_at.is_not(None),
            Communication.update_id.in_(scope),
        )
        .group_by(Communication.update_id, OutboundMessage.channel)
    )
    recorded = (
        select(RecordedContactUpdate.update_id, cast(null(), String(10)), RecordedContact.told_at)
        .join(RecordedContact, RecordedContact.id == RecordedContactUpdate.recorded_contact_id)
        .where(RecordedContact.victim_id == victim_id, RecordedContactUpdate.update_id.in_(scope))
    )
    return union_all(seen, delivered, recorded)


def told_times_for_victim(
    session: Session,
    victim_id: str,
    told_by_message: Callable[[str, datetime], datetime],
    *,
    update_ids: Iterable[str] | None = None,
    case_id: int | None = None,
) -> dict[str, datetime]:
    """update id -> when this victim was first told of it: the earliest of their first opening it in the
    portal, the first message about it that reached them (`told_by_message(channel, delivered_at)`: a
    letter tells them when it is expected to arrive) and a contact an officer recorded (by phone, in
    person...: its told_at). Copies to a support worker do not count. For the
    updates `update_ids`, or every update of the case `case_id`: one statement either way."""
    parameters: dict[str, Any] = {"victim_id": victim_id}
    if update_ids is not None:
        parameters["update_ids"] = list(update_ids)
        if not parameters["update_ids"]:
            return {}
    elif case_id is not None:
        parameters["case_id"] = case_id
    else:
        raise ValueError("give update_ids or case_id")
    told: dict[str, datetime] = {}
    rows: list[Any] = list(session.execute(_told_times_statement(case_id is not None), parameters))
    for row in rows:
        update_id: str | None = row[0]
        channel: str | None = row[1]
        at: datetime | None = row[2]
        if update_id is None or at is None:
            continue
        moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        if channel is not None:
            moment = told_by_message(channel, moment)
        if update_id not in told or moment < told[update_id]:
            told[update_id] = moment
    return told
