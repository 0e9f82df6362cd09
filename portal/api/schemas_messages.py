"""Schemas for secure messages as agencies read and answer them (GET /messages, POST
/messages/{id}/replies). Part of the one set of schemas (schemas.py adds them to its components), so they
validate calls and document them at once."""

from __future__ import annotations

from typing import Any

from portal.services.agency_api import messages as api_messages

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
# Free text for the victim: line breaks and tabs allowed, no other control characters (as schemas.py);
# one line: no control characters at all.
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"


def query_schema() -> dict[str, Any]:
    """The query of GET /messages, as the route reads it (limit as a number)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "since": {
                **DATE_TIME,
                "description": "Only messages written after this time: the `next_since` of your last call. "
                "URL-encode it (a + in the offset is %2B).",
            },
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": api_messages.MAX_LIMIT,
                "description": f"How many at most (default {api_messages.DEFAULT_LIMIT}).",
            },
        },
    }


def components() -> dict[str, Any]:
    return {
        "MessagesQuery": query_schema(),
        "MessageReplyRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["body"],
            "properties": {
                "body": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": api_messages.MAX_BODY,
                    "pattern": MULTI_LINE,
                    "description": "Your reply, in plain words for the victim (shown to them, and to a "
                    "support worker they allowed to write for them, when they sign in).",
                },
                "author": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": api_messages.MAX_AUTHOR,
                    "pattern": SINGLE_LINE,
                    "description": 'Who the reply is from, as the victim sees it, e.g. "Victim Liaison '
                    'Officer Jordan Ellis". Without it: your agency\'s name ("Probation Service").',
                },
            },
            "examples": [{"body": "Thank you for your message. I will call you on Tuesday."}],
        },
        "Messages": {
            "type": "object",
            "required": ["messages", "next_since", "more"],
            "properties": {
                "messages": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Message"},
                    "description": "Oldest first.",
                },
                "next_since": {
                    **NULLABLE_DATE_TIME,
                    "description": "Send as `since` next time to have only the messages written after "
                    "these: the time the last one listed was written, or your own `since` when none was.",
                },
                "more": {
                    "type": "boolean",
                    "description": "True when there may be more now: call again with `next_since`.",
                },
            },
        },
        "Message": {
            "type": "object",
            "required": [
                "id",
                "thread_reference",
                "urn",
                "victim_id",
                "to",
                "subject",
                "body",
                "author",
                "attachments",
                "written_at",
                "reply_due",
                "replied_at",
            ],
            "properties": {
                "id": {"type": "string", "format": "uuid", "description": "Reply to it with this id."},
                "thread_reference": {
                    "type": "string",
                    "description": "The conversation's reference, which the victim quotes, e.g. "
                    "MSG-7R4D-K2WM; every message of one conversation has the same.",
                },
                "urn": {"type": "string", "description": "The case the message is about."},
                "victim_id": {"type": "string", "format": "uuid"},
                "to": {
                    "enum": list(api_messages.RECIPIENTS),
                    "description": "Whom the victim wrote to: the witness care unit, the officer in the "
                    "case or the Victim Liaison Officer.",
                },
                "subject": {"type": "string"},
                "body": {"type": "string", "description": "What the victim (or their support worker) wrote."},
                "author": {
                    "type": "string",
                    "description": 'Who wrote it, e.g. "Sam Sample", or "Alex Adviser for Sam Sample" '
                    "when a support worker wrote for the victim.",
                },
                "attachments": {
                    "type": "array",
                    "description": "Files sent with it: JPEG and PNG images (re-encoded without location or "
                    "camera details) and PDFs. Download each from its `url`.",
                    "items": {
                        "type": "object",
                        "required": ["id", "filename", "content_type", "size", "url"],
                        "properties": {
                            "id": {"type": "string", "format": "uuid"},
                            "filename": {"type": "string"},
                            "content_type": {"enum": ["image/jpeg", "image/png", "application/pdf"]},
                            "size": {"type": "integer", "minimum": 0, "description": "In bytes."},
                            "url": {"type": "string", "description": "The path to download it from."},
                        },
                    },
                },
                "written_at": DATE_TIME,
                "reply_due": {
                    **NULLABLE_DATE,
                    "description": "The last day (UK time) to reply by: the unit's target in working days.",
                },
                "replied_at": {
                    **NULLABLE_DATE_TIME,
                    "description": "When it was first answered (by your system or in the portal); null when "
                    "it has not been yet.",
                },
            },
        },
        "MessageReply": {
            "type": "object",
            "required": [
                "id",
                "in_reply_to",
                "thread_reference",
                "urn",
                "victim_id",
                "body",
                "author",
                "written_at",
            ],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "in_reply_to": {"type": "string", "format": "uuid"},
                "thread_reference": {"type": "string"},
                "urn": {"type": "string"},
                "victim_id": {"type": "string", "format": "uuid"},
                "body": {"type": "string"},
                "author": {"type": "string"},
                "written_at": DATE_TIME,
            },
        },
    }
