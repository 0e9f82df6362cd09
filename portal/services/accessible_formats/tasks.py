"""Accessible-format tasks: made when an update is announced (portal.services.messaging.dispatch), listed
for the unit that owns the case, and marked done by an officer (audited). Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import accessible_formats as tasks_data
from portal.models import AccessibleFormatTask, CaseUpdate, Victim
from portal.models.accessible_formats import BRAILLE, BSL, EASY_READ, INTERPRETER, LARGE_PRINT
from portal.services import vocabulary
from portal.services.accessible_formats.rules import tasks_needed
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.preferences.records import Preferences
from portal.services.vocabulary import deadlines

TASK_DONE = audit.ACCESSIBLE_FORMAT_SENT
LONDON = ZoneInfo("Europe/London")

_WHAT = {
    LARGE_PRINT: _l("Send this update as a letter in large print"),
    BRAILLE: _l("Send this update as a letter in braille"),
    EASY_READ: _l("Send this update as an easy read letter"),
    BSL: _l("Explain this update in British Sign Language"),
}


def what_to_do(task: AccessibleFormatTask) -> str:
    if task.kind == INTERPRETER:
        return _("Explain this update through an interpreter in %(language)s", language=task.language or "")
    return str(_WHAT[task.kind])


def make_tasks(
    session: Session, victim: Victim, prefs: Preferences, update: CaseUpdate, channels: Sequence[str]
) -> list[AccessibleFormatTask]:
    """The tasks telling this victim about this update on `channels` needs, each made once (announcing
    the same update again adds none)."""
    needed = tasks_needed(
        channels,
        prefs.accessibility,
        interpreter_needed=prefs.interpreter_needed,
        interpreter_language=prefs.interpreter_language,
    )
    if not needed:
        return []
    made_before = tasks_data.existing_kinds(session, victim.id, update.id)
    made = []
    for need in needed:
        if need.kind in made_before:
            continue
        task = AccessibleFormatTask(
            victim_id=victim.id,
            case_id=update.case_id,
            update_id=update.id,
            kind=need.kind,
            language=need.language,
            due_on=update.code_deadline,
        )
        tasks_data.add_task(session, task)
        made.append(task)
    return made


@dataclass(frozen=True)
class TaskRow:
    id: int
    victim_id: str
    victim_name: str
    urn: str
    update_title: str
    what: str
    due_on: date | None
    done_at: datetime | None


def _rows(found: Sequence[tuple[AccessibleFormatTask, Victim, object, CaseUpdate]]) -> list[TaskRow]:
    rows = []
    for task, victim, case, update in found:
        try:
            title = str(vocabulary.get_event_type(update.event_type).title)
        except vocabulary.UnknownEventType:
            title = update.event_type
        rows.append(
            TaskRow(
                id=task.id,
                victim_id=victim.id,
                victim_name=victim.full_name,
                urn=str(getattr(case, "urn", "")),
                update_title=title,
                what=what_to_do(task),
                due_on=task.due_on,
                done_at=task.done_at,
            )
        )
    return rows


def open_tasks(session: Session, actor: Actor) -> list[TaskRow]:
    """The unit's tasks still to do, oldest deadline first."""
    return _rows(access.officer_accessible_format_tasks(session, actor, done=False))


def open_count(session: Session, actor: Actor) -> int:
    """How many of the unit's tasks are still to do (the officer's home page)."""
    return access.officer_open_accessible_format_task_count(session, actor)


def done_tasks(session: Session, actor: Actor) -> list[TaskRow]:
    """The unit's tasks done, newest first (the latest 200)."""
    return _rows(access.officer_accessible_format_tasks(session, actor, done=True))


def mark_done(
    session: Session, actor: Actor, task_id: int, *, now: datetime | None = None
) -> AccessibleFormatTask:
    """An officer records the update sent or explained in the form the victim needs. Doing it twice
    changes nothing (the first time stands)."""
    task = access.accessible_format_task_for_officer(session, actor, task_id)
    if task.done_at is None:
        task.done_at = now or datetime.now(UTC)
        task.done_by_user_id = actor.user_id
        audit.record_for_actor(
            session,
            actor,
            TASK_DONE,
            subject_victim_id=task.victim_id,
            detail={"task_id": task.id, "kind": task.kind, "update_id": task.update_id},
        )
    return task


@dataclass(frozen=True)
class Summary:
    """The unit's tasks due in a period, as the timeliness report counts them: done by the end of the
    deadline day (on time) or after it (late); not done and the deadline day over (overdue) or not."""

    on_time: int
    late: int
    overdue: int
    pending: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.pending


def summary(
    session: Session, actor: Actor, start: date, end: date, *, now: datetime | None = None
) -> Summary:
    """Tasks about updates the agency had from `start` to `end` (London dates), as the report chooses
    updates. A task whose update has no Code deadline is left out."""
    now = now or datetime.now(UTC)
    counts = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}
    since = datetime.combine(start, time(0), LONDON).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(0), LONDON).astimezone(UTC)
    for task in access.officer_accessible_format_tasks_received(session, actor, since, until):
        if task.due_on is None:
            continue
        if task.done_at is not None:
            counts["on_time" if deadlines.is_on_time(task.due_on, task.done_at) else "late"] += 1
        else:
            counts["overdue" if now > deadlines.deadline_end(task.due_on) else "pending"] += 1
    return Summary(**counts)
