"""Queries about victims: by id, on a police force's cases, on one case."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.data import chunks
from portal.models import Case, CaseVictim, Victim


def get_victim(session: Session, victim_id: str) -> Victim | None:
    return session.get(Victim, victim_id)


def victims_by_id(session: Session, victim_ids: Iterable[str]) -> dict[str, Victim]:
    """The victims with these ids (one query per 500; ids not found are left out)."""
    ids = list(victim_ids)
    found: dict[str, Victim] = {}
    for chunk in chunks(ids):
        found.update((v.id, v) for v in session.scalars(select(Victim).where(Victim.id.in_(chunk))))
    return found


def get_victim_on_force_case(session: Session, victim_id: str, force_code: str) -> Victim | None:
    """The victim if they are on at least one case of this force; otherwise None."""
    return session.scalar(
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(Victim.id == victim_id, Case.force_code == force_code)
        .limit(1)
    )


def victim_ids_for_force(session: Session, force_code: str) -> list[str]:
    """Every victim on at least one case of this force (each once)."""
    return list(
        session.scalars(
            select(CaseVictim.victim_id)
            .join(Case, Case.id == CaseVictim.case_id)
            .where(Case.force_code == force_code)
            .distinct()
        )
    )


def victims_for_case(session: Session, case_id: int) -> Sequence[Victim]:
    """The victims on the case, by family name then given name."""
    return session.scalars(
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == case_id)
        .order_by(Victim.family_name, Victim.given_name)
    ).all()
