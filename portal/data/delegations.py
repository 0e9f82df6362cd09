"""Queries about delegations: a victim letting a support worker (or their organisation) see or do what
they chose. Who may see what is decided by services/common/access.py; these only fetch rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from portal.models import Case, CaseVictim, Delegation


def add_delegation(session: Session, delegation: Delegation) -> Delegation:
    session.add(delegation)
    session.flush()
    return delegation


def get_delegation(session: Session, delegation_id: int) -> Delegation | None:
    return session.get(Delegation, delegation_id)


def delegations_for_victim(session: Session, victim_id: str) -> Sequence[Delegation]:
    """Every delegation the victim ever gave, newest first."""
    return session.scalars(
        select(Delegation)
        .where(Delegation.victim_id == victim_id)
        .order_by(Delegation.created_at.desc(), Delegation.id.desc())
    ).all()


def _not_ended() -> ColumnElement[bool]:
    return and_(
        Delegation.declined_at.is_(None),
        Delegation.revoked_at.is_(None),
        Delegation.stepped_back_at.is_(None),
        Delegation.suspended_at.is_(None),
    )


def _reaches(user_id: int, organisation_id: int | None) -> ColumnElement[bool]:
    """Granted to this worker, or to their organisation."""
    if organisation_id is None:
        return Delegation.grantee_user_id == user_id
    return or_(Delegation.grantee_user_id == user_id, Delegation.grantee_organisation_id == organisation_id)


def active_delegations_for_worker(
    session: Session, user_id: int, organisation_id: int | None, now: datetime, victim_id: str | None = None
) -> Sequence[Delegation]:
    """Accepted, started, not yet ended and not revoked, stepped back, declined or suspended."""
    query = select(Delegation).where(
        _reaches(user_id, organisation_id),
        _not_ended(),
        Delegation.accepted_at.is_not(None),
        Delegation.starts_at <= now,
        Delegation.ends_at > now,
    )
    if victim_id is not None:
        query = query.where(Delegation.victim_id == victim_id)
    return session.scalars(query.order_by(Delegation.created_at, Delegation.id)).all()


def pending_delegations_for_worker(
    session: Session, user_id: int, organisation_id: int | None, now: datetime
) -> Sequence[Delegation]:
    """Waiting for this worker (or anyone in their organisation) to accept or decline."""
    return session.scalars(
        select(Delegation)
        .where(
            _reaches(user_id, organisation_id),
            _not_ended(),
            Delegation.accepted_at.is_(None),
            Delegation.ends_at > now,
        )
        .order_by(Delegation.created_at, Delegation.id)
    ).all()


def active_delegations_for_victim(session: Session, victim_id: str, now: datetime) -> Sequence[Delegation]:
    """The victim's delegations that are in force now (accepted, started, not ended)."""
    return session.scalars(
        select(Delegation)
        .where(
            Delegation.victim_id == victim_id,
            _not_ended(),
            Delegation.accepted_at.is_not(None),
            Delegation.starts_at <= now,
            Delegation.ends_at > now,
        )
        .order_by(Delegation.created_at, Delegation.id)
    ).all()


def expired_delegations_not_notified(session: Session, now: datetime) -> Sequence[Delegation]:
    """Delegations that reached their end date without being ended otherwise, not yet announced."""
    return session.scalars(
        select(Delegation)
        .where(_not_ended(), Delegation.ends_at <= now, Delegation.expiry_notified_at.is_(None))
        .order_by(Delegation.ends_at, Delegation.id)
    ).all()


def delegations_for_force(session: Session, force_code: str) -> Sequence[Delegation]:
    """Delegations of victims on at least one case of this force, newest first."""
    on_force = (
        select(CaseVictim.victim_id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(Case.force_code == force_code)
    )
    return session.scalars(
        select(Delegation)
        .where(Delegation.victim_id.in_(on_force))
        .order_by(Delegation.created_at.desc(), Delegation.id.desc())
    ).all()
