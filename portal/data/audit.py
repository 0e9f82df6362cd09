"""Queries over the audit trail (append-only: rows are added, never changed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from portal.models import AuditEvent, User


def add_audit_event(session: Session, event: AuditEvent) -> AuditEvent:
    session.add(event)
    session.flush()
    return event


def add_audit_events(session: Session, events: Sequence[Mapping[str, Any]]) -> None:
    """Several events in one INSERT (an executemany: no ids are read back)."""
    if events:
        session.execute(insert(AuditEvent), list(events))


def search_audit_events(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    user_email: str | None = None,
    limit: int = 200,
) -> Sequence[AuditEvent]:
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if before is not None:
        query = query.where(AuditEvent.at < before)
    if user_email:
        query = query.join(User, User.id == AuditEvent.actor_user_id).where(
            func.lower(User.email) == user_email.strip().lower()
        )
    return session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()


def audit_events_for_victim(
    session: Session, victim_id: str, actions: Sequence[str], limit: int = 200
) -> Sequence[AuditEvent]:
    """Audit events about the victim with these actions, newest first (at most `limit`)."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_victim_id == victim_id, AuditEvent.action.in_(list(actions)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
