"""The parts of a victim's download (export.py) about being in touch with the people on their case
(issue 15): their secure messages, contacts officers recorded with them, and reminders sent before
hearings.

- Secure messages: every thread of theirs with every message the victim sees on its page, oldest first:
  who wrote each as the portal shows it ("You", "Written by <worker> for <victim>", the reply's signature),
  when, the words, and the names of the files sent with it (never the files: like statement documents,
  they are the victim's own or were sent to them). Internal notes are never in it.
- Contacts recorded: how and when they were told, who told them (as the officer recorded it) and of which
  updates; never the officer's note (a note the victim never sees, like an internal note).
- Reminders: the hearing each was about, when it was queued, by which channel, and whether it arrived.

Words are in the language the victim reads the portal in; keys and codes are the same in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import recorded_contacts as recorded_data
from portal.data import retention as retention_data
from portal.data import secure_messages as messages_data
from portal.data import updates as updates_data
from portal.data import users as users_data
from portal.models import Case, MessageAttachment, MessageThread, SecureMessage
from portal.models.messages import FROM_VICTIM, TO_OFFICER_IN_CASE, TO_VICTIM, TO_VLO, TO_WITNESS_CARE
from portal.services.cases.recorded_contacts import METHOD_LABELS
from portal.services.secure_messages.victim_views import STATUS_LABELS
from portal.services.vocabulary import registry

#: Who a thread went to, by role only: a staff member's own name is theirs (export.py).
TO_WORDS = {
    TO_WITNESS_CARE: _l("Witness Care Unit"),
    TO_OFFICER_IN_CASE: _l("The officer in the case"),
    TO_VLO: _l("The Victim Liaison Officer"),
}


def _iso(value: Any) -> str | None:
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else None


def _title(event_type: str) -> str:
    try:
        return str(registry.get_event_type(event_type).title)
    except LookupError:
        return event_type


def _file(attachment: MessageAttachment) -> dict[str, Any]:
    """A file sent with a message, described (name, type, size, when), never its bytes."""
    return {
        "name": attachment.filename,
        "type": attachment.content_type,
        "size_in_bytes": attachment.size,
        "uploaded_at": _iso(attachment.uploaded_at),
    }


def _authors(
    session: Session, victim_id: str, victim_name: str, messages: Sequence[SecureMessage]
) -> dict[str, str]:
    """Who wrote each message, as the victim reads it on the thread's page."""
    users = users_data.users_by_id(session, [message.written_by_user_id for message in messages])
    found = {}
    for message in messages:
        writer = users.get(message.written_by_user_id) if message.written_by_user_id else None
        if message.direction != FROM_VICTIM or writer is None:
            found[message.id] = message.author_label
        elif writer.victim_id == victim_id:
            found[message.id] = gettext("You")
        else:
            found[message.id] = gettext(
                "Written by %(worker)s for %(victim)s", worker=writer.display_name, victim=victim_name
            )
    return found


def _thread(
    session: Session, thread: MessageThread, urns: dict[int, str], victim_name: str
) -> dict[str, Any]:
    messages = messages_data.messages_of(session, thread.id, with_notes=False)
    files: dict[str, list[dict[str, Any]]] = {}
    for attachment in messages_data.attachments_of(session, [message.id for message in messages]):
        files.setdefault(str(attachment.message_id), []).append(_file(attachment))
    authors = _authors(session, thread.victim_id, victim_name, messages)
    return {
        "reference": thread.reference,
        "case_reference": urns.get(thread.case_id),
        "to": thread.recipient,
        "to_words": str(TO_WORDS.get(thread.recipient, thread.recipient)),
        "subject": thread.subject,
        "status": thread.status,
        "status_words": str(STATUS_LABELS.get(thread.status, thread.status)),
        "reply_by": thread.reply_due.isoformat() if thread.reply_due else None,
        "started_at": _iso(thread.created_at),
        "messages": [
            {
                "from_your_side": message.direction == FROM_VICTIM,
                "written_by": authors[message.id],
                "written_at": _iso(message.created_at),
                "text": message.body,
                "you_opened_it_at": _iso(message.read_at) if message.direction == TO_VICTIM else None,
                "files": files.get(message.id, []),
            }
            for message in messages
        ],
    }


def secure_messages(
    session: Session, cases: Sequence[Case], victim_id: str, victim_name: str
) -> list[dict[str, Any]]:
    """Their threads, the most recently changed first, each with its messages oldest first (no notes)."""
    urns = {case.id: case.urn for case in cases}
    return [
        _thread(session, thread, urns, victim_name)
        for thread in messages_data.threads_of_victim(session, victim_id)
    ]


def contacts_recorded(session: Session, cases: Sequence[Case], victim_id: str) -> list[dict[str, Any]]:
    """The contacts officers recorded with them (by phone, in person, at court, a letter by hand), the
    latest told first on each case, without the officer's note."""
    found = []
    for case in cases:
        contacts = recorded_data.contacts_for_case_and_victim(session, case.id, victim_id)
        if not contacts:
            continue
        titles = {
            update.id: _title(update.event_type) for update in updates_data.updates_for_case(session, case.id)
        }
        found += [
            {
                "case_reference": case.urn,
                "how": contact.method,
                "how_words": str(METHOD_LABELS.get(contact.method, contact.method)),
                "told_at": _iso(contact.told_at),
                "told_by": contact.by_label,
                "about_updates": [titles.get(link.update_id, "") for link in contact.updates],
            }
            for contact in contacts
        ]
    return found


def hearing_reminders(session: Session, cases: Sequence[Case], victim_id: str) -> list[dict[str, Any]]:
    """The reminders sent to them before hearings they were needed at, the latest first."""
    urns = {case.id: case.urn for case in cases}
    return [
        {
            "case_reference": urns.get(reminder.case_id),
            "hearing_at": _iso(reminder.hearing_at),
            "channel": reminder.channel,
            "queued_at": _iso(reminder.queued_at),
            "status": status,
        }
        for reminder, status in retention_data.hearing_reminders_of(session, victim_id)
    ]
