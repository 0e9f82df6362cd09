"""Queries over the audit trail for a victim's "Who has viewed your information": the views of one victim's
information, a page at a time, newest first."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from portal.models import AuditEvent


def _views(victim_id: str, actions: Collection[str], not_what: Collection[str]) -> list[ColumnElement[Any]]:
    """Events about the victim with these actions, except those whose detail's "what" is one of `not_what`
    (pages that only listed the victim among others, recorded so before such pages had an action of their
    own)."""
    what = AuditEvent.detail["what"].as_string()
    conditions: list[ColumnElement[Any]] = [
        AuditEvent.subject_victim_id == victim_id,
        AuditEvent.action.in_(list(actions)),
    ]
    if not_what:
        conditions.append(or_(what.is_(None), what.not_in(list(not_what))))
    return conditions


def count_views_of_victim(
    session: Session, victim_id: str, actions: Collection[str], not_what: Collection[str] = ()
) -> int:
    conditions = _views(victim_id, actions, not_what)
    return session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0


def views_of_victim(
    session: Session,
    victim_id: str,
    actions: Collection[str],
    *,
    offset: int,
    limit: int,
    not_what: Collection[str] = (),
) -> Sequence[AuditEvent]:
    """One page of the events `count_views_of_victim` counts, newest first."""
    conditions = _views(victim_id, actions, not_what)
    return session.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
