"""Queries about invitations, and moving a victim's cases onto the account that accepted them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Case, CaseUpdate, CaseVictim, Invitation, Victim


def add(session: Session, invitation: Invitation) -> Invitation:
    session.add(invitation)
    session.flush()
    return invitation


def get(session: Session, invitation_id: int) -> Invitation | None:
    return session.get(Invitation, invitation_id)


def by_token_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def open_for_victim(session: Session, victim_id: str) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation).where(
            Invitation.victim_id == victim_id,
            Invitation.used_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
    ).all()


def open_for_user(session: Session, user_id: int) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation).where(
            Invitation.user_id == user_id,
            Invitation.used_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
    ).all()


def for_victim(session: Session, victim_id: str) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation).where(Invitation.victim_id == victim_id).order_by(Invitation.created_at.desc())
    ).all()


def victim_invitations_for_force(session: Session, force_code: str, limit: int = 200) -> Sequence[Invitation]:
    """Victim invitations whose victim is on a case of this police force (an officer's unit)."""
    on_force = (
        select(CaseVictim.victim_id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(Case.force_code == force_code)
    )
    return session.scalars(
        select(Invitation)
        .where(Invitation.victim_id.in_(on_force))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(limit)
    ).all()


def victim_is_on_force_case(session: Session, victim_id: str, force_code: str) -> bool:
    return (
        session.scalar(
            select(CaseVictim.id)
            .join(Case, Case.id == CaseVictim.case_id)
            .where(CaseVictim.victim_id == victim_id, Case.force_code == force_code)
            .limit(1)
        )
        is not None
    )


def victim(session: Session, victim_id: str) -> Victim | None:
    return session.get(Victim, victim_id)


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
    session.flush()
    return added
