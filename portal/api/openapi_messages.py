"""The secure messages part of the OpenAPI document (issue 15): listing the messages victims wrote that an
agency answers, replying to one, and downloading a file sent with one. Built with openapi.py's helpers and
the schemas in schemas_messages.py; every example works against the demo data (examples.py)."""

from __future__ import annotations

from typing import Any

from portal.api import examples
from portal.api.openapi import _errors, _json_content, _named
from portal.api.schemas import components

MESSAGE_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The message's id, as listed by GET /api/v1/messages.",
    "schema": {"type": "string", "format": "uuid"},
    "example": examples.DEMO_MESSAGE_ID,
}


def message_paths() -> dict[str, Any]:
    """Secure messages: what victims wrote to the people on their case, and replies."""
    query = components()["MessagesQuery"]["properties"]
    return {
        "/api/v1/messages": {
            "get": {
                "operationId": "listMessages",
                "summary": "List the messages victims wrote that your agency answers",
                "description": "Messages a victim (or a support worker they allowed to) wrote to the people "
                "on their case, on the conversations your agency answers (witness care: to the witness "
                "care unit; police: to the officer in the case; probation: to the Victim Liaison Officer; "
                "police and witness care on your force's cases only), oldest first, with the files sent "
                "with them and the day to reply by. Poll: send the `next_since` of your last call as "
                "`since` to have only the messages written after it. Your replies and internal notes "
                "are never listed.",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": schema["description"],
                        "schema": schema,
                    }
                    for name, schema in query.items()
                ],
                "responses": {
                    "200": {
                        "description": "The messages.",
                        "content": _json_content(
                            "Messages",
                            _named({"probation": ("The demo message", examples.MESSAGES_RESPONSE)}),
                        ),
                    },
                    **_errors("400"),
                },
            },
        },
        "/api/v1/messages/{id}/replies": {
            "parameters": [MESSAGE_ID],
            "post": {
                "operationId": "replyToMessage",
                "summary": "Reply to a victim's message",
                "description": "Your reply, on the message's conversation: it answers every earlier "
                "message there (their `replied_at`). The victim is told discreetly that they have a new "
                "message (never what it says) and reads it when they sign in. A message that is not "
                "yours to answer answers 404, as an unknown id does. Each call adds a reply: do not send "
                "the same reply again after a 201.",
                "requestBody": {
                    "required": True,
                    "content": _json_content("MessageReplyRequest", _named(examples.MESSAGE_REPLIES)),
                },
                "responses": {
                    "201": {
                        "description": "Sent: the reply.",
                        "content": _json_content(
                            "MessageReply", _named({"sent": ("Sent", examples.MESSAGE_REPLY_RESPONSE)})
                        ),
                    },
                    **_errors("400", "413", "415"),
                },
            },
        },
        "/api/v1/messages/{id}/attachments/{attachment_id}": {
            "parameters": [
                MESSAGE_ID,
                {
                    "name": "attachment_id",
                    "in": "path",
                    "required": True,
                    "description": "The file's id, from the message's `attachments`.",
                    "schema": {"type": "string", "format": "uuid"},
                    "example": examples.DEMO_ATTACHMENT_ID,
                },
            ],
            "get": {
                "operationId": "getMessageAttachment",
                "summary": "Download a file sent with a victim's message",
                "description": "A JPEG or PNG image (re-encoded when it was sent, without location or "
                "camera details) or a PDF, as a download not to be cached or shown in a browser. A file "
                "of a message that is not yours answers 404. Every download is audited.",
                "responses": {
                    "200": {
                        "description": "The file.",
                        "headers": {
                            "Content-Disposition": {
                                "description": "attachment, with the file's name as the sender gave it.",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": {
                            media: {"schema": {"type": "string", "format": "binary"}}
                            for media in ("image/jpeg", "image/png", "application/pdf")
                        },
                    },
                    **_errors(),
                },
            },
        },
    }
