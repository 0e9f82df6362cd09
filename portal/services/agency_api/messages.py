"""Secure messages as an agency's system reads and answers them (issue 15): the messages victims (or the
support workers they allowed) wrote to the people on the case that the caller's agency answers, new since
it last looked, and a reply to one of them.

Which messages a client may see is decided in services/common/message_access.py (its agency's threads,
on its force's cases for police and witness care; never replies or internal notes). A reply goes through
services/secure_messages/threads.py, which answers every earlier message on the thread and tells the
victim discreetly that there is something new (never what it says).

Polling: `next_since` is the time the last listed message was written. Messages are listed oldest first;
a page that would end part-way through several messages written at the very same microsecond ends before
them, so the next call lists them all (as the requests feed does: services/agency_api/requests.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import secure_messages as messages_data
from portal.models import Case, MessageAttachment, MessageThread, SecureMessage
from portal.models import messages as messages_model
from portal.services import vocabulary
from portal.services.agency_api import audit as api_audit
from portal.services.agency_api.ingest import ApiInputError
from portal.services.common import message_access
from portal.services.common.actors import ApiCaller
from portal.services.secure_messages import threads
from portal.services.secure_messages.threads import MessageRefused

#: Whom a victim can write to, as the API names them.
RECIPIENTS: tuple[str, ...] = messages_model.RECIPIENTS
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_BODY = threads.MAX_BODY
MAX_AUTHOR = 100
#: The audit verb of one message listed to a system (the call itself is "read_messages", with the count).
READ_MESSAGE = "read_message"
#: Where an agency downloads an attached file (the route in portal/api/messages_routes.py).
ATTACHMENT_PATH = "/api/v1/messages/{message_id}/attachments/{attachment_id}"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _attachment_json(attachment: MessageAttachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": ATTACHMENT_PATH.format(message_id=attachment.message_id, attachment_id=attachment.id),
    }


def message_json(
    message: SecureMessage, thread: MessageThread, case: Case, attachments: Sequence[MessageAttachment]
) -> dict[str, Any]:
    return {
        "id": message.id,
        "thread_reference": thread.reference,
        "urn": case.urn,
        "victim_id": thread.victim_id,
        "to": thread.recipient,
        "subject": thread.subject,
        "body": message.body,
        "author": message.author_label,
        "attachments": [_attachment_json(a) for a in attachments],
        "written_at": _iso(message.created_at),
        "reply_due": message.reply_due.isoformat() if message.reply_due else None,
        "replied_at": _iso(message.replied_at),
    }


def messages_for(
    session: Session, caller: ApiCaller, *, since: datetime | None, limit: int
) -> dict[str, Any]:
    """The messages the caller's agency should answer, written after `since`, oldest first: two queries
    whatever the number of messages. Each message listed is audited against its victim ("api.read_message",
    shown on their "Who has viewed your information"), with the thread's reference."""
    rows = message_access.messages_for_api_client(session, caller, since=since, limit=limit + 1)
    more = len(rows) > limit
    if more:
        boundary = rows[limit][0].created_at
        page = rows[:limit]
        # Never end a page part-way through messages written at the same instant (see the module's note).
        rows = [row for row in page if row[0].created_at != boundary] or page
    attachments: dict[str, list[MessageAttachment]] = {}
    for attachment in messages_data.attachments_of(session, [message.id for message, _t, _c in rows]):
        attachments.setdefault(str(attachment.message_id), []).append(attachment)
    for message, thread, _case in rows:  # each victim sees that the agency's system read their message
        api_audit.record_call(
            session,
            caller,
            READ_MESSAGE,
            status=200,
            victim_id=thread.victim_id,
            detail={"what": f"message {thread.reference}", "message_id": message.id},
        )
    last = rows[-1][0].created_at if rows else since
    return {
        "messages": [message_json(m, t, c, attachments.get(m.id, [])) for m, t, c in rows],
        "next_since": _iso(last),
        "more": more,
    }


def default_author(thread: MessageThread) -> str:
    """Who a reply is shown as when the system does not say: the agency's name (e.g. "Probation Service")."""
    try:
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(thread.agency)])
    except ValueError:  # pragma: no cover - a thread's agency is one of RECIPIENT_AGENCY's
        return thread.agency


def reply(
    session: Session, caller: ApiCaller, message_id: str, body: dict[str, Any], *, now: datetime | None = None
) -> tuple[dict[str, Any], MessageThread]:
    """Reply on the thread of one of the caller's messages (validated against MessageReplyRequest): the
    reply as JSON, and the thread. NotFound when the message is not the caller's to answer."""
    message, thread, case = message_access.message_for_api_client(session, caller, message_id)
    text = str(body["body"])
    if not text.strip():
        raise ApiInputError(["body: must contain words, not only spaces"])
    author = str(body.get("author") or "").strip() or default_author(thread)
    try:
        written = threads.add_reply(
            session, thread, body=text, by_api_client_id=caller.client_id, author_label=author, now=now
        )
    except MessageRefused as error:  # pragma: no cover - the schema and the check above come first
        raise ApiInputError([f"body: {error}"]) from None
    return {
        "id": written.id,
        "in_reply_to": message.id,
        "thread_reference": thread.reference,
        "urn": case.urn,
        "victim_id": thread.victim_id,
        "body": written.body,
        "author": written.author_label,
        "written_at": _iso(written.created_at),
    }, thread


def attachment(
    session: Session, caller: ApiCaller, message_id: str, attachment_id: str
) -> tuple[MessageThread, MessageAttachment]:
    """A file attached to a message the caller may read, with the message's thread."""
    _message, thread, found = message_access.attachment_for_api_client(
        session, caller, message_id, attachment_id
    )
    return thread, found
