"""Writing in a secure message thread: starting one, adding a message from the victim's side, replying,
internal notes, assigning and closing. May flush, never commits (one transaction per request or job).

Every message from the victim's side should be answered within the witness care unit's target
(`Organisation.message_reply_days`, working days, default 2): the message's `reply_due`, and the thread's
`reply_due` is the oldest unanswered one's. A reply answers every message before it (their `replied_at`),
leaves the thread WAITING for the victim, and tells the victim discreetly through the outbox, in their
safe time and by their first safe channel ("You have a new message"): never what it says. A new message
from the victim's side reopens a waiting or closed thread. Internal notes change nothing the victim sees
(not even the thread's `updated_at`, by which the victim's list is ordered).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import secure_messages as messages_data
from portal.models import Case, MessageThread, SecureMessage
from portal.models.messages import (
    ASSIGNED,
    CLOSED,
    FROM_VICTIM,
    NEW,
    NOTE,
    RECIPIENTS,
    TO_OFFICER_IN_CASE,
    TO_VICTIM,
    TO_VLO,
    TO_WITNESS_CARE,
    WAITING,
)
from portal.services.messaging.notices import tell_victim
from portal.services.vocabulary.deadlines import add_working_days, london_date

#: Which agency answers a thread, by whom the victim wrote to (the officer in the case is police).
RECIPIENT_AGENCY: dict[str, str] = {
    TO_WITNESS_CARE: "witness_care",
    TO_OFFICER_IN_CASE: "police",
    TO_VLO: "probation",
}
DEFAULT_REPLY_DAYS = 2
NOTICE_PURPOSE = "message-notice"
MAX_BODY = 5000
MAX_SUBJECT = 100
# No 0/O, 1/I/L: a reference read out over the phone is not misheard (as requests' references).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class MessageRefused(ValueError):
    """A message or subject that cannot be saved (the message says why, in words for the writer)."""


def new_reference() -> str:
    """E.g. "MSG-7K3M-Q9XP": 8 random characters in two groups."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"MSG-{body[:4]}-{body[4:]}"


def reply_days(session: Session, case: Case) -> int:
    """Working days to answer a message on `case`: its witness care unit's target, else the default."""
    days = messages_data.unit_reply_days(session, case.force_code)
    return DEFAULT_REPLY_DAYS if days is None else days


def check_body(body: str) -> str:
    """The message without surrounding spaces; MessageRefused when it is empty or too long."""
    text = (body or "").strip()
    if not text:
        raise MessageRefused(_("Enter a message"))
    if len(text) > MAX_BODY:
        limit = f"{MAX_BODY:,}"
        raise MessageRefused(_("A message must be %(max)s characters or fewer", max=limit))
    return text


def check_subject(subject: str) -> str:
    """The subject without surrounding spaces; MessageRefused when it is empty or too long."""
    text = (subject or "").strip()
    if not text:
        raise MessageRefused(_("Enter a subject"))
    if len(text) > MAX_SUBJECT:
        raise MessageRefused(_("A subject must be %(max)s characters or fewer", max=MAX_SUBJECT))
    return text


def start(
    session: Session,
    *,
    victim_id: str,
    case: Case,
    recipient: str,
    subject: str,
    body: str,
    written_by_user_id: int | None,
    author_label: str,
    now: datetime | None = None,
) -> tuple[MessageThread, SecureMessage]:
    """A new thread on `case` to `recipient` (RECIPIENTS) with its first message from the victim's side.
    The caller has checked who may write for the victim on this case."""
    if recipient not in RECIPIENTS:
        raise MessageRefused(f"unknown recipient {recipient!r}")
    subject = check_subject(subject)
    text = check_body(body)
    now = now or datetime.now(UTC)
    reference = new_reference()
    while messages_data.reference_taken(session, reference):
        reference = new_reference()  # pragma: no cover - 31**8 references
    thread = MessageThread(
        reference=reference,
        victim_id=victim_id,
        case_id=case.id,
        recipient=recipient,
        agency=RECIPIENT_AGENCY[recipient],
        subject=subject,
        status=NEW,
        created_at=now,
        updated_at=now,
    )
    messages_data.add_thread(session, thread)
    message = _from_victim_side(session, thread, case, text, written_by_user_id, author_label, now)
    return thread, message


def add_from_victim_side(
    session: Session,
    thread: MessageThread,
    *,
    body: str,
    written_by_user_id: int | None,
    author_label: str,
    now: datetime | None = None,
) -> SecureMessage:
    """A further message from the victim (or a support worker for them): reopens a waiting or closed
    thread (NEW, or ASSIGNED when someone has it) and is due an answer in the unit's working days."""
    text = check_body(body)
    now = now or datetime.now(UTC)
    case = cases_data.get_case(session, thread.case_id)
    if case is None:  # pragma: no cover - a thread's case is a foreign key
        raise MessageRefused("the thread's case no longer exists")
    if thread.status in (WAITING, CLOSED):
        thread.status = ASSIGNED if thread.assigned_to_user_id is not None else NEW
    return _from_victim_side(session, thread, case, text, written_by_user_id, author_label, now)


def _from_victim_side(
    session: Session,
    thread: MessageThread,
    case: Case,
    text: str,
    written_by_user_id: int | None,
    author_label: str,
    now: datetime,
) -> SecureMessage:
    message = SecureMessage(
        thread_id=thread.id,
        direction=FROM_VICTIM,
        body=text,
        written_by_user_id=written_by_user_id,
        author_label=author_label,
        created_at=now,
        reply_due=add_working_days(london_date(now), reply_days(session, case)),
    )
    messages_data.add_message(session, message)
    waiting = messages_data.unanswered_from_victim(session, thread.id)
    thread.reply_due = waiting[0].reply_due if waiting else None
    thread.updated_at = now
    return message


def add_reply(
    session: Session,
    thread: MessageThread,
    *,
    body: str,
    written_by_user_id: int | None = None,
    by_api_client_id: str | None = None,
    author_label: str,
    now: datetime | None = None,
) -> SecureMessage:
    """A reply to the victim (by an officer, or an agency system): answers every message before it,
    leaves the thread waiting for the victim, and tells them discreetly that there is something new."""
    text = check_body(body)
    now = now or datetime.now(UTC)
    for waiting in messages_data.unanswered_from_victim(session, thread.id):
        waiting.replied_at = now
    message = SecureMessage(
        thread_id=thread.id,
        direction=TO_VICTIM,
        body=text,
        written_by_user_id=written_by_user_id,
        by_api_client_id=by_api_client_id,
        author_label=author_label,
        created_at=now,
    )
    messages_data.add_message(session, message)
    thread.status = WAITING
    thread.reply_due = None
    thread.updated_at = now
    tell_victim(session, thread.victim_id, now=now, purpose=NOTICE_PURPOSE)
    return message


def add_note(
    session: Session,
    thread: MessageThread,
    *,
    body: str,
    written_by_user_id: int | None,
    author_label: str,
    now: datetime | None = None,
) -> SecureMessage:
    """An internal note on the thread: never shown to the victim or their support worker."""
    text = check_body(body)
    message = SecureMessage(
        thread_id=thread.id,
        direction=NOTE,
        body=text,
        written_by_user_id=written_by_user_id,
        author_label=author_label,
        created_at=now or datetime.now(UTC),
    )
    messages_data.add_message(session, message)
    return message


def assign(
    session: Session, thread: MessageThread, user_id: int | None, *, now: datetime | None = None
) -> None:
    """Give the thread to someone in the unit (None: nobody). A waiting or closed thread keeps its
    status; otherwise it is ASSIGNED (or NEW again when nobody has it)."""
    thread.assigned_to_user_id = user_id
    if thread.status not in (WAITING, CLOSED):
        thread.status = ASSIGNED if user_id is not None else NEW
    thread.updated_at = now or datetime.now(UTC)
    session.flush()


def close(session: Session, thread: MessageThread, *, now: datetime | None = None) -> None:
    """Nothing more to do on the thread (until the victim's side writes again): no reply is due."""
    thread.status = CLOSED
    thread.reply_due = None
    thread.updated_at = now or datetime.now(UTC)
    session.flush()
