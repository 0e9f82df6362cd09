"""Queries about cases and the victims on them (case victims), and locking a case while writing to it.
Scoping is applied by services/common/access.py."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import Select, bindparam, exists, select, update
from sqlalchemy.orm import Session

from portal.models import Case, CaseContact, CaseUpdate, CaseVictim, Delegation


def get_case(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


@functools.cache
def _case_by_urn_statement() -> Select[Case]:
    """Built once per process (every agency API call names its case); parameter urn."""
    return select(Case).where(Case.urn == bindparam("urn"))


def get_case_by_urn(session: Session, urn: str) -> Case | None:
    return session.scalar(_case_by_urn_statement(), {"urn": urn.strip().upper()})


@functools.cache
def _case_by_urn_for_victim_statement() -> Select[Case]:
    """Built once per process (every page of a victim's case); parameters urn and victim_id."""
    return (
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(Case.urn == bindparam("urn"), CaseVictim.victim_id == bindparam("victim_id"))
        .limit(1)
    )


def get_case_by_urn_for_victim(session: Session, urn: str, victim_id: str) -> Case | None:
    """The case with this URN if the victim is on it, else None."""
    return session.scalar(
        _case_by_urn_for_victim_statement(), {"urn": urn.strip().upper(), "victim_id": victim_id}
    )


def cases_for_victim(session: Session, victim_id: str) -> Sequence[Case]:
    """Every case the victim is on, newest first."""
    return session.scalars(
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
    ).all()


def cases_for_victim_in_force(session: Session, victim_id: str, force_code: str) -> Sequence[Case]:
    """The victim's cases of this police force (not their cases elsewhere), newest first."""
    return session.scalars(
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id, Case.force_code == force_code)
        .order_by(Case.created_at.desc(), Case.id.desc())
    ).all()


def is_victim_on_case(session: Session, victim_id: str, case_id: int) -> bool:
    return (
        session.scalar(
            select(CaseVictim.id).where(CaseVictim.case_id == case_id, CaseVictim.victim_id == victim_id)
        )
        is not None
    )


# --- Case victims: a victim's place on a case ----------------------------------------------------


def get_case_victim(session: Session, case_id: int, victim_id: str) -> CaseVictim | None:
    return session.scalar(
        select(CaseVictim).where(CaseVictim.case_id == case_id, CaseVictim.victim_id == victim_id)
    )


def get_case_victim_by_reference(session: Session, case_id: int, reference: str) -> CaseVictim | None:
    """The first victim on the case with this agency person reference."""
    return session.scalar(
        select(CaseVictim)
        .where(CaseVictim.case_id == case_id, CaseVictim.agency_person_reference == reference)
        .order_by(CaseVictim.id)
        .limit(1)
    )


def case_victims_for_case(session: Session, case_id: int) -> Sequence[CaseVictim]:
    """The victims on the case, in the order they were added."""
    return session.scalars(
        select(CaseVictim).where(CaseVictim.case_id == case_id).order_by(CaseVictim.added_at, CaseVictim.id)
    ).all()


@functools.cache
def _case_victims_with_delegations_statement() -> Select[CaseVictim, bool]:
    """Built once per process (every update announced reads it); parameter case_id."""
    gave = exists().where(Delegation.victim_id == CaseVictim.victim_id)
    return (
        select(CaseVictim, gave)
        .where(CaseVictim.case_id == bindparam("case_id"))
        .order_by(CaseVictim.added_at, CaseVictim.id)
    )


def case_victims_with_delegations(session: Session, case_id: int) -> list[tuple[CaseVictim, bool]]:
    """`case_victims_for_case`, each with whether the victim ever gave a delegation (one statement)."""
    rows = session.execute(_case_victims_with_delegations_statement(), {"case_id": case_id})
    return [(link, bool(delegated)) for link, delegated in rows]


@functools.cache
def _case_with_victims_statement() -> Select[Case, CaseVictim | None, bool]:
    """Built once per process (every update an agency sends); parameter urn."""
    gave = exists().where(Delegation.victim_id == CaseVictim.victim_id)
    return (
        select(Case, CaseVictim, gave)
        .outerjoin(CaseVictim, CaseVictim.case_id == Case.id)
        .where(Case.urn == bindparam("urn"))
        .order_by(CaseVictim.added_at, CaseVictim.id)
    )


def case_with_victims_by_urn(session: Session, urn: str) -> tuple[Case | None, list[tuple[CaseVictim, bool]]]:
    """`get_case_by_urn` and that case's `case_victims_with_delegations`, in one statement."""
    rows = session.execute(_case_with_victims_statement(), {"urn": urn.strip().upper()}).all()
    if not rows:
        return None, []
    return rows[0][0], [(link, bool(delegated)) for _case, link, delegated in rows if link is not None]


def move_victim_cases(session: Session, from_victim_id: str, to_victim_id: str) -> int:
    """Put every case of one victim record on another (the same person, added again by an agency).
    Returns how many cases were added."""
    added = 0
    for link in session.scalars(select(CaseVictim).where(CaseVictim.victim_id == from_victim_id)).all():
        exists = session.scalar(
            select(CaseVictim.id).where(
                CaseVictim.case_id == link.case_id, CaseVictim.victim_id == to_victim_id
            )
        )
        if exists is None:
            session.add(
                CaseVictim(
                    case_id=link.case_id,
                    victim_id=to_victim_id,
                    agency_person_reference=link.agency_person_reference,
                )
            )
            added += 1
    session.execute(
        update(CaseUpdate).where(CaseUpdate.victim_id == from_victim_id).values(victim_id=to_victim_id)
    )
    _move_own_contacts(session, from_victim_id, to_victim_id)
    session.flush()
    return added


def _move_own_contacts(session: Session, from_victim_id: str, to_victim_id: str) -> None:
    """Named contacts kept for one victim follow them; where both records have one for the same case and
    role, the one set last is kept."""
    for moving in session.scalars(select(CaseContact).where(CaseContact.victim_id == from_victim_id)).all():
        kept = session.scalar(
            select(CaseContact).where(
                CaseContact.case_id == moving.case_id,
                CaseContact.role == moving.role,
                CaseContact.victim_id == to_victim_id,
            )
        )
        if kept is not None and kept.updated_at >= moving.updated_at:
            session.delete(moving)
            continue
        if kept is not None:
            session.delete(kept)
            session.flush()
        moving.victim_id = moving.victim_key = to_victim_id


# --- Locking --------------------------------------------------------------------------------------


def lock_case(session: Session, case_id: int) -> None:
    """Hold the case row until the transaction ends, so checks-then-inserts on it run one at a time.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Case.id).where(Case.id == case_id).with_for_update())
    else:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(id=Case.id)
            .execution_options(synchronize_session=False)
        )


def serialise_case_writes(session: Session, case_id: int) -> None:
    """SQLite only: take the database's write lock now, before reading inside the transaction.

    SQLite cannot upgrade a read snapshot to a write once another connection has written (it fails at
    once instead of waiting), so a writer must lock first. PostgreSQL needs nothing: concurrent inserts
    of the same event meet at the unique constraint, and the loser's SAVEPOINT rolls back.
    """
    if session.get_bind().dialect.name == "sqlite":
        lock_case(session, case_id)
