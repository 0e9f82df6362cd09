"""Secure messages as the victim, or a support worker writing for them, sees them (issue 15): who they can
write to on a case, their threads on it, and a thread's messages (never internal notes). The caller has
scoped the case and thread (services/common/message_access.py). Opening a thread marks its replies read;
a support worker's look is audited (the victim sees it under "Who has viewed your information").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import secure_messages as messages_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import Case, Delegation, MessageAttachment, MessageThread, SecureMessage, User
from portal.models.case_contacts import OFFICER_IN_CASE, VICTIM_LIAISON_OFFICER, WITNESS_CARE_OFFICER
from portal.models.messages import (
    ASSIGNED,
    CLOSED,
    FROM_VICTIM,
    NEW,
    TO_OFFICER_IN_CASE,
    TO_VICTIM,
    TO_VLO,
    TO_WITNESS_CARE,
    WAITING,
)
from portal.services.cases.contacts import named_contacts
from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.secure_messages import threads
from portal.services.vocabulary.deadlines import add_working_days, london_date

#: The victim's words for a thread's state (the officer's inbox states are theirs, not the victim's).
STATUS_LABELS = {
    NEW: _l("Sent"),
    ASSIGNED: _l("Sent"),
    WAITING: _l("Replied"),
    CLOSED: _l("Closed"),
}
STATUS_TAG_CLASSES = {
    NEW: "govuk-tag--blue",
    ASSIGNED: "govuk-tag--blue",
    WAITING: "govuk-tag--green",
    CLOSED: "govuk-tag--grey",
}
_UNIT = _l("Witness Care Unit")
# Which named contact each recipient is, if the case has one.
_NAMED = {
    TO_OFFICER_IN_CASE: OFFICER_IN_CASE,
    TO_VLO: VICTIM_LIAISON_OFFICER,
    TO_WITNESS_CARE: WITNESS_CARE_OFFICER,
}
_ROLE_WORDS = {
    TO_OFFICER_IN_CASE: _l("%(name)s, officer in the case"),
    TO_VLO: _l("%(name)s, Victim Liaison Officer"),
}
# When the case no longer names the person a thread went to: the role only.
_NAMED_ROLE_ONLY = {
    TO_OFFICER_IN_CASE: _l("The officer in the case"),
    TO_VLO: _l("The Victim Liaison Officer"),
}


@dataclass(frozen=True)
class Recipient:
    """Someone the victim can write to about the case: `value` is a RECIPIENTS value."""

    value: str
    label: str
    hint: str | None = None


def recipients(session: Session, case: Case, victim_id: str) -> list[Recipient]:
    """Who the victim can write to on the case: the officer in the case and the Victim Liaison Officer
    when the case names them, and always the witness care unit (with their witness care officer's name
    when there is one)."""
    named = {contact.role: contact.name for contact in named_contacts(session, case.id, victim_id)}
    found: list[Recipient] = []
    for recipient in (TO_OFFICER_IN_CASE, TO_VLO):
        if _NAMED[recipient] in named:
            found.append(
                Recipient(recipient, str(_ROLE_WORDS[recipient]) % {"name": named[_NAMED[recipient]]})
            )
    officer = named.get(WITNESS_CARE_OFFICER)
    hint = (
        _("Your witness care officer, %(name)s, or someone else in the unit will reply.", name=officer)
        if officer
        else _("Someone in the unit that keeps you up to date about going to court will reply.")
    )
    found.append(Recipient(TO_WITNESS_CARE, str(_UNIT), hint))
    return found


def recipient_label(session: Session, case: Case, victim_id: str, recipient: str) -> str:
    """Who a thread is to, in the words of the question "Who do you want to write to?"."""
    for choice in recipients(session, case, victim_id):
        if choice.value == recipient:
            return choice.label
    return str(_UNIT) if recipient == TO_WITNESS_CARE else str(_NAMED_ROLE_ONLY.get(recipient, _UNIT))


def reply_due_on(session: Session, case: Case, now: datetime | None = None) -> date:
    """The date a message sent now should be answered by (the unit's working days)."""
    return add_working_days(london_date(now or datetime.now(UTC)), threads.reply_days(session, case))


@dataclass(frozen=True)
class ThreadRow:
    thread: MessageThread
    to: str
    status: str
    tag_class: str
    new_reply: bool


def threads_on_case(session: Session, case: Case, victim_id: str) -> list[ThreadRow]:
    """The victim's threads on the case, the most recently changed first."""
    found = messages_data.threads_of_victim(session, victim_id, case_id=case.id)
    unread = {message.thread_id for message in messages_data.unread_replies(session, [t.id for t in found])}
    labels = {choice.value: choice.label for choice in recipients(session, case, victim_id)}
    return [
        ThreadRow(
            thread=thread,
            to=labels.get(thread.recipient) or recipient_label(session, case, victim_id, thread.recipient),
            status=str(STATUS_LABELS[thread.status]),
            tag_class=STATUS_TAG_CLASSES[thread.status],
            new_reply=thread.id in unread,
        )
        for thread in found
    ]


@dataclass(frozen=True)
class MessageView:
    message: SecureMessage
    from_victim_side: bool
    author: str
    attachments: list[MessageAttachment]
    new: bool  # a reply opened for the first time now


@dataclass(frozen=True)
class ThreadPage:
    thread: MessageThread
    to: str
    status: str
    tag_class: str
    messages: list[MessageView]


def thread_page(
    session: Session,
    case: Case,
    thread: MessageThread,
    *,
    reader: Actor,
    delegation: Delegation | None = None,
    now: datetime | None = None,
) -> ThreadPage:
    """Every message of the thread but internal notes, oldest first, with who wrote each and their
    attachments. The replies not opened before are marked read now. A support worker's look (through
    `delegation`) is audited."""
    now = now or datetime.now(UTC)
    messages = messages_data.messages_of(session, thread.id, with_notes=False)
    attachments = messages_data.attachments_of(session, [message.id for message in messages])
    by_message: dict[str, list[MessageAttachment]] = {}
    for attachment in attachments:
        by_message.setdefault(str(attachment.message_id), []).append(attachment)
    authors = _authors(session, thread, messages, reader)
    views = []
    for message in messages:
        new = message.direction == TO_VICTIM and message.read_at is None
        if new:
            message.read_at = now
        views.append(
            MessageView(
                message=message,
                from_victim_side=message.direction == FROM_VICTIM,
                author=authors[message.id],
                attachments=by_message.get(message.id, []),
                new=new,
            )
        )
    if delegation is not None:
        audit.record_for_actor(
            session,
            reader,
            audit.VICTIM_DATA_VIEWED,
            subject_victim_id=thread.victim_id,
            detail={"what": f"message {thread.reference}", "delegation_id": delegation.id},
        )
    session.flush()
    return ThreadPage(
        thread=thread,
        to=recipient_label(session, case, thread.victim_id, thread.recipient),
        status=str(STATUS_LABELS[thread.status]),
        tag_class=STATUS_TAG_CLASSES[thread.status],
        messages=views,
    )


def worker_looked_at_list(session: Session, reader: Actor, case: Case, delegation: Delegation) -> None:
    """A support worker opened the list of the victim's messages on a case: audited."""
    audit.record_for_actor(
        session,
        reader,
        audit.VICTIM_DATA_VIEWED,
        subject_victim_id=delegation.victim_id,
        detail={"what": f"messages on case {case.urn}", "delegation_id": delegation.id},
    )


def _authors(
    session: Session,
    thread: MessageThread,
    messages: Sequence[SecureMessage],
    reader: Actor,
) -> dict[str, str]:
    """Who wrote each message, as the reader sees it: "You" for the victim's own, "Written by <worker>
    for <victim>" for a support worker's, the replier's label for a reply."""
    users = users_data.users_by_id(session, [message.written_by_user_id for message in messages])
    victim = victims_data.get_victim(session, thread.victim_id)
    victim_name = victim.full_name if victim is not None else ""
    found = {}
    for message in messages:
        writer: User | None = users.get(message.written_by_user_id) if message.written_by_user_id else None
        if message.direction != FROM_VICTIM:
            found[message.id] = message.author_label
        elif writer is not None and writer.victim_id == thread.victim_id:
            found[message.id] = _("You") if reader.victim_id == thread.victim_id else victim_name
        elif writer is not None:
            found[message.id] = _(
                "Written by %(worker)s for %(victim)s", worker=writer.display_name, victim=victim_name
            )
        else:
            found[message.id] = message.author_label
    return found


def author_label_for(writer: Actor, victim_id: str, session: Session) -> str:
    """What a message from the victim's side is signed with for the people who answer it: the victim's
    name, or "<worker> for <victim>" (kept with the message, in English, as the inbox shows it)."""
    victim = victims_data.get_victim(session, victim_id)
    victim_name = victim.full_name if victim is not None else ""
    if writer.victim_id == victim_id:
        return victim_name
    user = users_data.get_user(session, writer.user_id)
    worker = user.display_name if user is not None else writer.label
    return f"{worker} for {victim_name}"


def character_count_words() -> dict[str, Any]:
    """The GOV.UK character count's words in the page's language (its own are in English only) and the
    message's limit, for the message boxes. GOV.UK Frontend puts the number in place of %{count}."""
    return {
        "maxlength": threads.MAX_BODY,
        "textareaDescriptionText": _("You can enter up to %{count} characters"),
        "charactersUnderLimitText": {
            "one": _("You have %{count} character remaining"),
            "other": _("You have %{count} characters remaining"),
        },
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": {
            "one": _("You have %{count} character too many"),
            "other": _("You have %{count} characters too many"),
        },
    }
