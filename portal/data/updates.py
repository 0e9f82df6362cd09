"""Queries about case updates: a victim's timeline of a case, the updates an agency sent (by its event
ids), and which updates each victim has opened in the portal (seen records)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, case, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from portal.data import chunks
from portal.models import CaseUpdate, UpdateSeen


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


def updates_for_timeline_page(
    session: Session, case_id: int, victim_id: str, agency: str | None, *, limit: int, offset: int
) -> list[tuple[CaseUpdate, bool]]:
    """One page of the victim's timeline of this case, newest first, optionally from one agency only:
    each update with whether the victim has opened it (read in the same statement, for this page only)."""
    query = (
        select(CaseUpdate, UpdateSeen.id)
        .outerjoin(UpdateSeen, _seen_by(victim_id))
        .where(CaseUpdate.case_id == case_id, *_for_victim(victim_id))
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
    )
    if agency is not None:
        query = query.where(CaseUpdate.agency == agency)
    return [(update, seen_id is not None) for update, seen_id in session.execute(query)]


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


def latest_updates_of_types_by_case(
    session: Session, case_ids: Iterable[int], victim_id: str, event_types: Iterable[str]
) -> dict[int, CaseUpdate]:
    """case id -> the latest update of one of these event types on the victim's timeline of the case
    (one statement for all the cases)."""
    ids = list(case_ids)
    if not ids:
        return {}
    ranked = (
        select(CaseUpdate.id.label("update_id"), _ranked_newest_first().label("rank"))
        .where(
            CaseUpdate.case_id.in_(ids), CaseUpdate.event_type.in_(list(event_types)), *_for_victim(victim_id)
        )
        .subquery()
    )
    updates = session.scalars(
        select(CaseUpdate).join(ranked, ranked.c.update_id == CaseUpdate.id).where(ranked.c.rank == 1)
    )
    return {update.case_id: update for update in updates}


def get_latest_update_of_types(
    session: Session, case_id: int, victim_id: str, event_types: Iterable[str]
) -> CaseUpdate | None:
    """The latest update of one of these event types on the victim's timeline of one case."""
    return session.scalar(
        select(CaseUpdate)
        .where(
            CaseUpdate.case_id == case_id,
            CaseUpdate.event_type.in_(list(event_types)),
            *_for_victim(victim_id),
        )
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )


# --- Seen records: the victim opened an update in the portal ------------------------------------


def add_seen(session: Session, victim_id: str, update_ids: Iterable[str]) -> None:
    """Record that the victim opened these updates: one executemany, however many updates (the ORM would
    insert them one by one on SQLite)."""
    now = datetime.now(UTC)
    rows = [{"update_id": update_id, "victim_id": victim_id, "seen_at": now} for update_id in update_ids]
    session.flush()
    if rows:
        session.execute(insert(UpdateSeen), rows)


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
