"""Queries about cases, their victims and updates. Scoping is applied by services/access.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from portal.models import Case, CaseUpdate, CaseVictim, UpdateSeen


def get_case_by_urn(session: Session, urn: str) -> Case | None:
    return session.scalar(select(Case).where(Case.urn == urn.strip().upper()))


def cases_of_victim(session: Session, victim_id: str) -> Sequence[Case]:
    return session.scalars(
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
    ).all()


def victim_is_on_case(session: Session, victim_id: str, case_id: int) -> bool:
    return (
        session.scalar(
            select(CaseVictim.id).where(CaseVictim.case_id == case_id, CaseVictim.victim_id == victim_id)
        )
        is not None
    )


def updates_for_victim(session: Session, case_ids: Iterable[int], victim_id: str) -> Sequence[CaseUpdate]:
    """Current (not superseded) updates on these cases meant for this victim, newest first."""
    ids = list(case_ids)
    if not ids:
        return []
    return session.scalars(
        select(CaseUpdate)
        .where(
            CaseUpdate.case_id.in_(ids),
            CaseUpdate.superseded.is_(False),
            or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == victim_id),
        )
        .order_by(CaseUpdate.occurred_at.desc(), CaseUpdate.created_at.desc())
    ).all()


def seen_update_ids(session: Session, victim_id: str, update_ids: Iterable[str]) -> set[str]:
    ids = list(update_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(UpdateSeen.update_id).where(
                UpdateSeen.victim_id == victim_id, UpdateSeen.update_id.in_(ids)
            )
        )
    )


def seen_update_ids_on_cases(session: Session, victim_id: str, case_ids: Iterable[int]) -> set[str]:
    """The updates on these cases that this victim has opened. Joins on the case rather than listing
    every update id: a long timeline would otherwise send (and the driver parse) a statement with one
    parameter per update on every view."""
    ids = list(case_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(UpdateSeen.update_id)
            .join(CaseUpdate, CaseUpdate.id == UpdateSeen.update_id)
            .where(UpdateSeen.victim_id == victim_id, CaseUpdate.case_id.in_(ids))
        )
    )


def record_seen(session: Session, victim_id: str, update_ids: Iterable[str]) -> None:
    """One executemany, however many updates (the ORM would insert them one by one on SQLite)."""
    now = datetime.now(UTC)
    rows = [{"update_id": update_id, "victim_id": victim_id, "seen_at": now} for update_id in update_ids]
    session.flush()
    if rows:
        session.execute(insert(UpdateSeen), rows)
