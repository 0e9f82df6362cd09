"""Queries about invitations: single-use links to set up an account (victims, staff) or a second factor again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.models import Case, CaseVictim, Invitation


def add_invitation(session: Session, invitation: Invitation) -> Invitation:
    session.add(invitation)
    session.flush()
    return invitation


def get_invitation(session: Session, invitation_id: int) -> Invitation | None:
    return session.get(Invitation, invitation_id)


def get_invitation_by_token_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def add_failed_code(session: Session, invitation: Invitation) -> int:
    """One more wrong security code entered through this invitation, counted by the database itself so
    that requests running at the same time cannot lose a count. Returns the new count."""
    session.flush()
    count = session.scalar(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(failed_codes=Invitation.failed_codes + 1)
        .returning(Invitation.failed_codes)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(invitation, "failed_codes", count)
    return int(count or 0)


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
