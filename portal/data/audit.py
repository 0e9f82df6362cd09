"""Queries over the audit trail (append-only: rows are added, never changed)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Insert, Select, Table, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.models import AuditEvent, User


def latest_by_actor(session: Session, user_id: int, action: str) -> datetime | None:
    """When the user last did `action` (by the audit trail), or None."""
    return session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.actor_user_id == user_id, AuditEvent.action == action
        )
    )


def add_audit_events(session: Session, events: Sequence[Mapping[str, Any]]) -> None:
    """Several events (each with the same keys) in one INSERT (an executemany: no ids are read back, and
    no object is added to the session: the table's own statement, built once per process)."""
    if events:
        session.execute(_insert_events_statement(), list(events))


@functools.cache
def _insert_events_statement() -> Insert:
    return insert(cast(Table, AuditEvent.__table__))


def count_audit_event(session: Session, repeat_key: str, event: Mapping[str, Any]) -> None:
    """Add `event` with this `repeat_key`, or, if an event with that key is there already, add 1 to its
    occurrences and leave the rest of it as it was (see models/audit.py: refusals counted, not repeated).

    One INSERT ... ON CONFLICT DO UPDATE on the unique key: concurrent requests with the same key add to
    one row, and neither waits for the other's transaction to fail.
    """
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert_into(AuditEvent).values(**event, repeat_key=repeat_key, occurrences=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[AuditEvent.repeat_key], set_={"occurrences": AuditEvent.occurrences + 1}
        )
    )


def _search(
    query: Select[Any],
    action: str | None,
    since: datetime | None,
    before: datetime | None,
    user_email: str | None,
) -> Select[Any]:
    if action and action.endswith(".*"):  # a family of actions, such as every "api.<verb>"
        query = query.where(AuditEvent.action.startswith(action[:-1], autoescape=True))
    elif action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if before is not None:
        query = query.where(AuditEvent.at < before)
    if user_email:
        query = query.join(User, User.id == AuditEvent.actor_user_id).where(
            func.lower(User.email) == user_email.strip().lower()
        )
    return query


def search_audit_events(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    user_email: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[AuditEvent]:
    """The events that match, newest first: `limit` of them from position `offset` (from 0)."""
    query = _search(select(AuditEvent), action, since, before, user_email)
    ordered = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return session.scalars(ordered.limit(limit).offset(offset)).all()


def count_audit_events(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    user_email: str | None = None,
) -> int:
    """How many events `search_audit_events` would find with no limit."""
    query = _search(select(func.count()).select_from(AuditEvent), action, since, before, user_email)
    return int(session.scalar(query) or 0)


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
