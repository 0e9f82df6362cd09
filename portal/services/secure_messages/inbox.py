"""The witness care officer's side of secure messages: the unit's inbox (new, assigned to me, assigned to
others, waiting for the victim, closed; overdue first), a thread's page with every message and internal
note, and what an officer does there: assign to themselves or to nobody, reply (with attachments),
add an internal note, close.

Scoping is common/message_access.py's (the unit's cases, threads the unit answers; anything else is
NotFound). Every look at a thread is an audited view of the victim's information, and every reply and
note an audited action the victim sees under "Who has viewed your information" (common/audit.py words
them); the inbox lists victims, so it is audited once per victim as a listing. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import secure_messages as messages_data
from portal.data import users as users_data
from portal.models import Case, MessageThread, SecureMessage, Victim
from portal.models.messages import (
    ASSIGNED,
    CLOSED,
    FROM_VICTIM,
    NEW,
    NOTE,
    TO_OFFICER_IN_CASE,
    TO_VLO,
    TO_WITNESS_CARE,
    WAITING,
)
from portal.services.common import audit, message_access
from portal.services.common.actors import Actor
from portal.services.secure_messages import attachments, threads
from portal.services.vocabulary import deadlines

# --- Words --------------------------------------------------------------------------------------------

NEW_TAB, MINE_TAB, OTHERS_TAB, WAITING_TAB, CLOSED_TAB = "new", "mine", "others", "waiting", "closed"
TABS: tuple[str, ...] = (NEW_TAB, MINE_TAB, OTHERS_TAB, WAITING_TAB, CLOSED_TAB)
TAB_LABELS: dict[str, Any] = {
    NEW_TAB: _l("New"),
    MINE_TAB: _l("Assigned to me"),
    OTHERS_TAB: _l("Assigned to others"),
    WAITING_TAB: _l("Waiting for the victim"),
    CLOSED_TAB: _l("Closed"),
}
STATUS_LABELS: dict[str, Any] = {
    NEW: _l("New"),
    ASSIGNED: _l("Assigned"),
    WAITING: _l("Waiting for the victim"),
    CLOSED: _l("Closed"),
}
TAG_CLASSES = {
    NEW: "govuk-tag--blue",
    ASSIGNED: "govuk-tag--yellow",
    WAITING: "govuk-tag--green",
    CLOSED: "govuk-tag--grey",
}
RECIPIENT_LABELS: dict[str, Any] = {
    TO_WITNESS_CARE: _l("Witness care unit"),
    TO_OFFICER_IN_CASE: _l("Officer in the case"),
    TO_VLO: _l("Victim Liaison Officer"),
}
#: The closed tab shows this many, the most recently closed first (the others show every thread).
CLOSED_SHOWN = 100
#: What the audit trail records as shown: the inbox (a listing), a thread (by its reference), a reply, a note.
LISTED_MESSAGES = "message inbox"
VIEWED_THREAD = "message"
REPLIED = "reply to message"
NOTED = "note on message"

# --- The inbox ----------------------------------------------------------------------------------------


def is_overdue(thread: MessageThread, now: datetime) -> bool:
    """Waiting for an answer from the unit, and the day the answer was due has ended (London time)."""
    return (
        thread.status in (NEW, ASSIGNED)
        and thread.reply_due is not None
        and now > deadlines.deadline_end(thread.reply_due)
    )


@dataclass(frozen=True)
class InboxRow:
    thread_id: str
    reference: str
    subject: str
    victim_id: str
    victim_name: str
    urn: str
    recipient_label: str
    status: str
    status_label: str
    tag_class: str
    reply_due: date | None
    overdue: bool
    assigned_to: str | None
    updated_at: datetime


@dataclass(frozen=True)
class Inbox:
    tab: str
    rows: list[InboxRow]
    counts: dict[str, int]  # threads in each tab
    overdue: int  # overdue threads in the whole inbox (every tab)


def _tab_of(thread: MessageThread, user_id: int) -> str:
    if thread.status == NEW:
        return NEW_TAB
    if thread.status == ASSIGNED:
        return MINE_TAB if thread.assigned_to_user_id == user_id else OTHERS_TAB
    return WAITING_TAB if thread.status == WAITING else CLOSED_TAB


_TAB_STATUSES = {
    NEW_TAB: (NEW,),
    MINE_TAB: (ASSIGNED,),
    OTHERS_TAB: (ASSIGNED,),
    WAITING_TAB: (WAITING,),
    CLOSED_TAB: (CLOSED,),
}


def counts(session: Session, actor: Actor) -> dict[str, int]:
    """How many of the unit's threads are in each tab."""
    found = dict.fromkeys(TABS, 0)
    for status, user_id, count in message_access.officer_thread_statuses(session, actor):
        if status == ASSIGNED:
            found[MINE_TAB if user_id == actor.user_id else OTHERS_TAB] += count
        elif status in (NEW, WAITING, CLOSED):
            found[{NEW: NEW_TAB, WAITING: WAITING_TAB, CLOSED: CLOSED_TAB}[status]] += count
    return found


def _sort_key(row: InboxRow) -> tuple[int, str, float]:
    """Overdue first, then the oldest due first (none due last); waiting and closed: latest change first."""
    if row.status in (WAITING, CLOSED):
        return (2, "", -row.updated_at.timestamp())
    due = (row.reply_due or date.max).isoformat()
    return (0 if row.overdue else 1, due, row.updated_at.timestamp())


def _row(thread: MessageThread, case: Case, victim: Victim, names: dict[int, str], now: datetime) -> InboxRow:
    return InboxRow(
        thread_id=thread.id,
        reference=thread.reference,
        subject=thread.subject,
        victim_id=victim.id,
        victim_name=victim.full_name,
        urn=case.urn,
        recipient_label=str(RECIPIENT_LABELS.get(thread.recipient, thread.recipient)),
        status=thread.status,
        status_label=str(STATUS_LABELS.get(thread.status, thread.status)),
        tag_class=TAG_CLASSES.get(thread.status, "govuk-tag--grey"),
        reply_due=thread.reply_due,
        overdue=is_overdue(thread, now),
        assigned_to=names.get(thread.assigned_to_user_id) if thread.assigned_to_user_id else None,
        updated_at=thread.updated_at if thread.updated_at.tzinfo else thread.updated_at.replace(tzinfo=UTC),
    )


def _names(session: Session, user_ids: Sequence[int | None]) -> dict[int, str]:
    return {user.id: user.display_name for user in users_data.users_by_id(session, user_ids).values()}


def inbox(session: Session, actor: Actor, tab: str, *, now: datetime | None = None) -> Inbox:
    """One tab of the unit's inbox (an unknown tab is "new"), overdue first then the oldest due first;
    audited as a listing of each victim shown."""
    now = now or datetime.now(UTC)
    tab = tab if tab in TABS else NEW_TAB
    found = message_access.officer_threads(
        session, actor, statuses=_TAB_STATUSES[tab], limit=CLOSED_SHOWN if tab == CLOSED_TAB else None
    )
    found = [row for row in found if _tab_of(row[0], actor.user_id) == tab]
    names = _names(session, [thread.assigned_to_user_id for thread, _case, _victim in found])
    rows = sorted((_row(thread, case, victim, names, now) for thread, case, victim in found), key=_sort_key)
    if rows:
        audit.record_each_victim(
            session, actor, audit.VICTIM_LISTED, [row.victim_id for row in rows], {"what": LISTED_MESSAGES}
        )
    return Inbox(
        tab=tab, rows=rows, counts=counts(session, actor), overdue=overdue_count(session, actor, now)
    )


def overdue_count(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """How many of the unit's threads wait past their reply-by day."""
    now = now or datetime.now(UTC)
    waiting = message_access.officer_threads(session, actor, statuses=(NEW, ASSIGNED))
    return sum(1 for thread, _case, _victim in waiting if is_overdue(thread, now))


def waiting_for_unit(session: Session, actor: Actor) -> int:
    """How many of the unit's threads wait for an answer (new or assigned): the officer's home page."""
    found = counts(session, actor)
    return found[NEW_TAB] + found[MINE_TAB] + found[OTHERS_TAB]


# --- A thread -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentRow:
    id: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageRow:
    id: str
    direction: str
    author_label: str
    body: str
    created_at: datetime
    reply_due: date | None
    attachments: list[AttachmentRow]

    @property
    def is_note(self) -> bool:
        return self.direction == NOTE

    @property
    def from_victim(self) -> bool:
        return self.direction == FROM_VICTIM


@dataclass(frozen=True)
class ThreadPage:
    row: InboxRow
    assigned_to_me: bool
    messages: list[MessageRow]
    reply_by: date  # the date a "we will reply by" common reply promises


def _messages(session: Session, thread: MessageThread) -> list[MessageRow]:
    found = messages_data.messages_of(session, thread.id, with_notes=True)
    files: dict[str, list[AttachmentRow]] = {}
    for item in messages_data.attachments_of(session, [message.id for message in found]):
        files.setdefault(str(item.message_id), []).append(
            AttachmentRow(item.id, item.filename, item.content_type, item.size)
        )
    return [
        MessageRow(
            id=message.id,
            direction=message.direction,
            author_label=message.author_label,
            body=message.body,
            created_at=message.created_at,
            reply_due=message.reply_due,
            attachments=files.get(message.id, []),
        )
        for message in found
    ]


def thread_page(session: Session, actor: Actor, thread_id: str, *, now: datetime | None = None) -> ThreadPage:
    """A thread the unit answers, every message and note in order; audited as a look at the victim's
    messages. NotFound for anyone else's."""
    now = now or datetime.now(UTC)
    thread, case, victim = message_access.thread_for_officer(session, actor, thread_id)
    audit.record_view(session, actor, victim.id, f"{VIEWED_THREAD} {thread.reference}")
    names = _names(session, [thread.assigned_to_user_id])
    # What a "we will reply by" promises: the thread's own date, unless it has passed (then the unit's
    # target from today).
    today = deadlines.london_date(now)
    due = thread.reply_due
    reply_by = (
        due
        if due is not None and due >= today
        else deadlines.add_working_days(today, threads.reply_days(session, case))
    )
    return ThreadPage(
        row=_row(thread, case, victim, names, now),
        assigned_to_me=thread.assigned_to_user_id == actor.user_id,
        messages=_messages(session, thread),
        reply_by=reply_by,
    )


# --- What an officer does on a thread -----------------------------------------------------------------


def _author_label(session: Session, actor: Actor) -> str:
    """How a reply is signed for the victim: the officer and their unit, "Olu Officer, Demo Witness Care
    Unit"."""
    unit = users_data.get_organisation(session, actor.organisation_id) if actor.organisation_id else None
    return f"{actor.label}, {unit.name}" if unit is not None else actor.label


def reply(
    session: Session,
    actor: Actor,
    thread_id: str,
    body: str,
    files: list[attachments.CleanFile] | None = None,
    *,
    now: datetime | None = None,
) -> SecureMessage:
    """The officer replies to the victim, with the files (already checked); the victim is told discreetly
    (threads.add_reply). MessageRefused for an empty or too long reply. Audited."""
    thread, _case, victim = message_access.thread_for_officer(session, actor, thread_id)
    message = threads.add_reply(
        session,
        thread,
        body=body,
        written_by_user_id=actor.user_id,
        author_label=_author_label(session, actor),
        now=now,
    )
    if files:
        attachments.attach(session, message, files)
    audit.record_for_actor(
        session,
        actor,
        audit.MESSAGE_REPLIED,
        subject_victim_id=victim.id,
        detail={"what": f"{REPLIED} {thread.reference}", "files": len(files or [])},
    )
    return message


def add_note(
    session: Session, actor: Actor, thread_id: str, body: str, *, now: datetime | None = None
) -> SecureMessage:
    """An internal note on the thread, never shown to the victim or their support worker. Audited (the
    victim sees that a note was written, never what it says)."""
    thread, _case, victim = message_access.thread_for_officer(session, actor, thread_id)
    note = threads.add_note(
        session, thread, body=body, written_by_user_id=actor.user_id, author_label=actor.label, now=now
    )
    audit.record_for_actor(
        session,
        actor,
        audit.MESSAGE_NOTE_ADDED,
        subject_victim_id=victim.id,
        detail={"what": f"{NOTED} {thread.reference}"},
    )
    return note


ASSIGN_TO_ME, UNASSIGN, CLOSE = "assign-to-me", "unassign", "close"
CHANGES: tuple[str, ...] = (ASSIGN_TO_ME, UNASSIGN, CLOSE)


def change(session: Session, actor: Actor, thread_id: str, what: str, *, now: datetime | None = None) -> None:
    """Assign the thread to the officer, to nobody, or close it (ValueError for anything else). Audited,
    not shown to the victim (nobody looked at anything more)."""
    if what not in CHANGES:
        raise ValueError(what)
    thread, _case, victim = message_access.thread_for_officer(session, actor, thread_id)
    if what == CLOSE:
        threads.close(session, thread, now=now)
    else:
        threads.assign(session, thread, actor.user_id if what == ASSIGN_TO_ME else None, now=now)
    audit.record_for_actor(
        session,
        actor,
        audit.MESSAGE_THREAD_CHANGED,
        subject_victim_id=victim.id,
        detail={"reference": thread.reference, "change": what},
    )
