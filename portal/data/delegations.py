"""Queries about delegations. Who may see what is decided by services/access.py and
services/delegations.py; these only fetch rows (and may flush, never commit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Case, CaseVictim, Delegation, Organisation, User


def add(session: Session, delegation: Delegation) -> Delegation:
    session.add(delegation)
    session.flush()
    return delegation


def get(session: Session, delegation_id: int) -> Delegation | None:
    return session.get(Delegation, delegation_id)


def for_victim(session: Session, victim_id: str) -> Sequence[Delegation]:
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


def active_for_worker(
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


def pending_for_worker(
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


def active_for_victim(session: Session, victim_id: str, now: datetime) -> Sequence[Delegation]:
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


def expired_not_notified(session: Session, now: datetime) -> Sequence[Delegation]:
    """Delegations that reached their end date without being ended otherwise, not yet announced."""
    return session.scalars(
        select(Delegation)
        .where(_not_ended(), Delegation.ends_at <= now, Delegation.expiry_notified_at.is_(None))
        .order_by(Delegation.ends_at, Delegation.id)
    ).all()


def for_force(session: Session, force_code: str) -> Sequence[Delegation]:
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


def users_by_id(session: Session, user_ids: Iterable[int | None]) -> dict[int, User]:
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}


def organisations_by_id(session: Session, organisation_ids: Iterable[int | None]) -> dict[int, Organisation]:
    ids = {organisation_id for organisation_id in organisation_ids if organisation_id is not None}
    if not ids:
        return {}
    return {org.id: org for org in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}


def support_workers_of(session: Session, organisation_id: int) -> Sequence[User]:
    return session.scalars(
        select(User).where(
            User.organisation_id == organisation_id, User.role == "support_worker", User.is_active.is_(True)
        )
    ).all()


def audit_events_about_victim(
    session: Session, victim_id: str, actions: Sequence[str], limit: int = 2000
) -> Sequence[AuditEvent]:
    """Audit events about the victim with these actions, newest first (the caller picks those that name
    a delegation in their detail)."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_victim_id == victim_id, AuditEvent.action.in_(list(actions)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
