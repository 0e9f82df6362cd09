"""Queries about invitations: single-use links to set up an account (victims, staff) or a second factor again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, CaseVictim, Invitation


def add_invitation(session: Session, invitation: Invitation) -> Invitation:
    session.add(invitation)
    session.flush()
    return invitation


def get_invitation(session: Session, invitation_id: int) -> Invitation | None:
    return session.get(Invitation, invitation_id)


def get_invitation_by_token_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def open_invitations_for_victim(session: Session, victim_id: str) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation).where(
            Invitation.victim_id == victim_id,
            Invitation.used_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
    ).all()


def open_invitations_for_user(session: Session, user_id: int) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation).where(
            Invitation.user_id == user_id,
            Invitation.used_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
    ).all()


def invitations_for_victim(session: Session, victim_id: str) -> Sequence[Invitation]:
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
