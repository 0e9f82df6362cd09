"""Queries about accessible format tasks (portal.models.accessible_formats). May flush, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import AccessibleFormatTask, Case, CaseUpdate, Victim


def existing_kinds(session: Session, victim_id: str, update_id: str) -> set[str]:
    return set(
        session.scalars(
            select(AccessibleFormatTask.kind).where(
                AccessibleFormatTask.victim_id == victim_id, AccessibleFormatTask.update_id == update_id
            )
        )
    )


def add_task(session: Session, task: AccessibleFormatTask) -> None:
    session.add(task)


def tasks_in_force(
    session: Session, force_code: str, *, done: bool, limit: int = 200
) -> Sequence[tuple[AccessibleFormatTask, Victim, Case, CaseUpdate]]:
    """Tasks on the force's cases, open (`done` False: oldest deadline first) or done (newest first)."""
    query = (
        select(AccessibleFormatTask, Victim, Case, CaseUpdate)
        .join(Victim, Victim.id == AccessibleFormatTask.victim_id)
        .join(Case, Case.id == AccessibleFormatTask.case_id)
        .join(CaseUpdate, CaseUpdate.id == AccessibleFormatTask.update_id)
        .where(Case.force_code == force_code)
        .limit(limit)
    )
    if done:
        query = query.where(AccessibleFormatTask.done_at.is_not(None)).order_by(
            AccessibleFormatTask.done_at.desc(), AccessibleFormatTask.id
        )
    else:
        query = query.where(AccessibleFormatTask.done_at.is_(None)).order_by(
            AccessibleFormatTask.due_on.is_(None), AccessibleFormatTask.due_on, AccessibleFormatTask.id
        )
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def count_open_in_force(session: Session, force_code: str) -> int:
    """How many tasks on the force's cases are not done yet."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AccessibleFormatTask)
            .join(Case, Case.id == AccessibleFormatTask.case_id)
            .where(Case.force_code == force_code, AccessibleFormatTask.done_at.is_(None))
        )
        or 0
    )


def task_in_force(session: Session, task_id: int, force_code: str) -> AccessibleFormatTask | None:
    """The task, only if its case is the force's."""
    return session.scalar(
        select(AccessibleFormatTask)
        .join(Case, Case.id == AccessibleFormatTask.case_id)
        .where(AccessibleFormatTask.id == task_id, Case.force_code == force_code)
    )


def tasks_in_force_received_between(
    session: Session, force_code: str, start: datetime, end: datetime
) -> Sequence[AccessibleFormatTask]:
    """Tasks on the force's cases whose update the agency had in [start, end) (the timeliness report)."""
    return list(
        session.scalars(
            select(AccessibleFormatTask)
            .join(Case, Case.id == AccessibleFormatTask.case_id)
            .join(CaseUpdate, CaseUpdate.id == AccessibleFormatTask.update_id)
            .where(
                Case.force_code == force_code, CaseUpdate.received_at >= start, CaseUpdate.received_at < end
            )
        )
    )
