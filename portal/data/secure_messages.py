"""Queries about secure messages (portal.models.messages). May flush, never commits. Scoping by who is
asking is done in services/common/message_access.py, which calls these. Other helpers append their own
query functions at the end of this module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer

from portal.models import (
    Case,
    MessageAttachment,
    MessageThread,
    Organisation,
    OrganisationKind,
    SecureMessage,
    Victim,
)
from portal.models.messages import FROM_VICTIM, NOTE, TO_VICTIM


def add_thread(session: Session, thread: MessageThread) -> None:
    session.add(thread)
    session.flush()


def add_message(session: Session, message: SecureMessage) -> None:
    session.add(message)
    session.flush()


def get_thread(session: Session, thread_id: str) -> MessageThread | None:
    return session.get(MessageThread, thread_id)


def reference_taken(session: Session, reference: str) -> bool:
    return session.scalar(select(MessageThread.id).where(MessageThread.reference == reference)) is not None


def unit_reply_days(session: Session, force_code: str) -> int | None:
    """The witness care unit's target in working days for the force's cases (None: no unit, or unset)."""
    return session.scalar(
        select(Organisation.message_reply_days)
        .where(
            Organisation.kind == OrganisationKind.WITNESS_CARE_UNIT.value,
            Organisation.force_code == force_code,
            Organisation.message_reply_days.is_not(None),
        )
        .order_by(Organisation.id)
        .limit(1)
    )


def threads_of_victim(
    session: Session, victim_id: str, *, case_id: int | None = None
) -> Sequence[MessageThread]:
    """A victim's threads, the most recently changed first; only one case's when given."""
    query = select(MessageThread).where(MessageThread.victim_id == victim_id)
    if case_id is not None:
        query = query.where(MessageThread.case_id == case_id)
    return session.scalars(query.order_by(MessageThread.updated_at.desc(), MessageThread.id)).all()


def messages_of(session: Session, thread_id: str, *, with_notes: bool) -> Sequence[SecureMessage]:
    """A thread's messages, oldest first; internal notes only when `with_notes`."""
    query = select(SecureMessage).where(SecureMessage.thread_id == thread_id)
    if not with_notes:
        query = query.where(SecureMessage.direction != NOTE)
    return session.scalars(query.order_by(SecureMessage.created_at, SecureMessage.id)).all()


def unanswered_from_victim(session: Session, thread_id: str) -> Sequence[SecureMessage]:
    """The thread's messages from the victim's side that no reply has followed yet, oldest first."""
    return session.scalars(
        select(SecureMessage)
        .where(
            SecureMessage.thread_id == thread_id,
            SecureMessage.direction == FROM_VICTIM,
            SecureMessage.replied_at.is_(None),
        )
        .order_by(SecureMessage.created_at, SecureMessage.id)
    ).all()


def attachments_of(session: Session, message_ids: Sequence[str]) -> Sequence[MessageAttachment]:
    """The attachments of these messages, in the order they were uploaded, without their content (a list
    of links does not load up to 50 MB of files)."""
    if not message_ids:
        return []
    return session.scalars(
        select(MessageAttachment)
        .options(defer(MessageAttachment.content))
        .where(MessageAttachment.message_id.in_(message_ids))
        .order_by(MessageAttachment.uploaded_at, MessageAttachment.id)
    ).all()


def unread_replies(session: Session, thread_ids: Sequence[str]) -> Sequence[SecureMessage]:
    """The replies in these threads that the victim's side has not opened yet."""
    if not thread_ids:
        return []
    return session.scalars(
        select(SecureMessage).where(
            SecureMessage.thread_id.in_(thread_ids),
            SecureMessage.direction == TO_VICTIM,
            SecureMessage.read_at.is_(None),
        )
    ).all()


# --- The officers' inbox (services/secure_messages/inbox.py; scoped by common/message_access.py) -----


def threads_in_force(
    session: Session,
    force_code: str,
    agencies: Sequence[str],
    *,
    statuses: Sequence[str],
    limit: int | None = None,
) -> Sequence[tuple[MessageThread, Case, Victim]]:
    """Threads in `statuses` on the force's cases that `agencies` answer, with their case and victim, the
    most recently changed first (at most `limit`)."""
    query = (
        select(MessageThread, Case, Victim)
        .join(Case, Case.id == MessageThread.case_id)
        .join(Victim, Victim.id == MessageThread.victim_id)
        .where(
            Case.force_code == force_code,
            MessageThread.agency.in_(agencies),
            MessageThread.status.in_(statuses),
        )
        .order_by(MessageThread.updated_at.desc(), MessageThread.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(thread, case, victim) for thread, case, victim in session.execute(query)]


def thread_in_force(
    session: Session, thread_id: str, force_code: str, agencies: Sequence[str]
) -> tuple[MessageThread, Case, Victim] | None:
    """One thread on the force's cases that `agencies` answer, with its case and victim; None otherwise."""
    row = session.execute(
        select(MessageThread, Case, Victim)
        .join(Case, Case.id == MessageThread.case_id)
        .join(Victim, Victim.id == MessageThread.victim_id)
        .where(
            MessageThread.id == thread_id,
            Case.force_code == force_code,
            MessageThread.agency.in_(agencies),
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def thread_statuses_in_force(
    session: Session, force_code: str, agencies: Sequence[str]
) -> Sequence[tuple[str, int | None, int]]:
    """(status, assigned user id, how many threads) on the force's cases that `agencies` answer."""
    rows = session.execute(
        select(MessageThread.status, MessageThread.assigned_to_user_id, func.count())
        .join(Case, Case.id == MessageThread.case_id)
        .where(Case.force_code == force_code, MessageThread.agency.in_(agencies))
        .group_by(MessageThread.status, MessageThread.assigned_to_user_id)
    )
    return [(status, user_id, count) for status, user_id, count in rows]


# --- Agency systems (the API) and the timeliness report ------------------------------------------------


def from_victim_for_agency(
    session: Session, agency: str, *, since: datetime | None, force_code: str | None, limit: int
) -> Sequence[tuple[SecureMessage, MessageThread, Case]]:
    """Messages from the victim's side on threads `agency` answers, written after `since` (oldest first),
    only on the cases of `force_code` when given; with their threads and cases."""
    query = (
        select(SecureMessage, MessageThread, Case)
        .join(MessageThread, MessageThread.id == SecureMessage.thread_id)
        .join(Case, Case.id == MessageThread.case_id)
        .where(SecureMessage.direction == FROM_VICTIM, MessageThread.agency == agency)
    )
    if since is not None:
        query = query.where(SecureMessage.created_at > since)
    if force_code is not None:
        query = query.where(Case.force_code == force_code)
    query = query.order_by(SecureMessage.created_at, SecureMessage.id).limit(limit)
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def message_with_thread(
    session: Session, message_id: str
) -> tuple[SecureMessage, MessageThread, Case] | None:
    """A message with its thread and the thread's case (None: no such message)."""
    row = session.execute(
        select(SecureMessage, MessageThread, Case)
        .join(MessageThread, MessageThread.id == SecureMessage.thread_id)
        .join(Case, Case.id == MessageThread.case_id)
        .where(SecureMessage.id == message_id)
    ).first()
    return (row[0], row[1], row[2]) if row is not None else None


def get_attachment(session: Session, attachment_id: str) -> MessageAttachment | None:
    return session.get(MessageAttachment, attachment_id)


def from_victim_in_force(
    session: Session, force_code: str, *, written_from: datetime, written_before: datetime
) -> Sequence[tuple[SecureMessage, MessageThread]]:
    """Messages from the victim's side on the cases of `force_code` written in [written_from,
    written_before), with their threads, oldest first."""
    return [
        (row[0], row[1])
        for row in session.execute(
            select(SecureMessage, MessageThread)
            .join(MessageThread, MessageThread.id == SecureMessage.thread_id)
            .join(Case, Case.id == MessageThread.case_id)
            .where(
                SecureMessage.direction == FROM_VICTIM,
                Case.force_code == force_code,
                SecureMessage.created_at >= written_from,
                SecureMessage.created_at < written_before,
            )
            .order_by(SecureMessage.created_at, SecureMessage.id)
        )
    ]


# --- Downloads of attached files (services/secure_messages/attachments.py; scoped by message_access) ---


def attachment_in_thread(
    session: Session, attachment_id: str, thread_id: str
) -> tuple[MessageAttachment, SecureMessage] | None:
    """A file attached to one of the thread's messages, with its message (None: no such file there)."""
    row = session.execute(
        select(MessageAttachment, SecureMessage)
        .join(SecureMessage, SecureMessage.id == MessageAttachment.message_id)
        .where(MessageAttachment.id == attachment_id, SecureMessage.thread_id == thread_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


# --- Files held for a message being written (MessageAttachment with no message yet) ---------------------


def held_files(session: Session, victim_id: str, key: str) -> Sequence[MessageAttachment]:
    """The files held for the victim's message being written under `key`, without their content."""
    return session.scalars(
        select(MessageAttachment)
        .options(defer(MessageAttachment.content))
        .where(
            MessageAttachment.message_id.is_(None),
            MessageAttachment.held_for_victim_id == victim_id,
            MessageAttachment.held_key == key,
        )
        .order_by(MessageAttachment.uploaded_at, MessageAttachment.id)
    ).all()


def drop_held_files(session: Session, victim_id: str, key: str) -> None:
    session.execute(
        delete(MessageAttachment).where(
            MessageAttachment.message_id.is_(None),
            MessageAttachment.held_for_victim_id == victim_id,
            MessageAttachment.held_key == key,
        ),
        execution_options={"synchronize_session": False},
    )


def attach_held_files(session: Session, message_id: str, victim_id: str, key: str) -> None:
    """The held files become the message's."""
    session.execute(
        update(MessageAttachment)
        .where(
            MessageAttachment.message_id.is_(None),
            MessageAttachment.held_for_victim_id == victim_id,
            MessageAttachment.held_key == key,
        )
        .values(message_id=message_id, held_for_victim_id=None, held_key=None),
        execution_options={"synchronize_session": False},
    )
