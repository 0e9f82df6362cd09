"""Secure messages through the agency API (issue 15): an agency's system reads the messages victims wrote
to the people on their case that it answers, polling with `since`, downloads what was attached, and
replies, so that a probation Victim Liaison Officer can answer from their own system.

Authenticated, rate-limited and audited as every other call (routes.py: the verbs are in its VERBS);
scoped in services/common/message_access.py: another agency's or another force's message, a reply, an
internal note and an id that is nobody's all answer the same 404.
"""

from __future__ import annotations

import io
from datetime import datetime

from flask import Response, g, request, send_file

from portal.api import bp
from portal.api.routes import _json, _json_body, per_client_limit
from portal.api.validation import feed_query, validate
from portal.extensions import db
from portal.services.agency_api import messages as api_messages

_QUERY = ("since", "limit")


def _query() -> tuple[datetime | None, int]:
    """since and limit from the query string, validated with the MessagesQuery schema."""
    query, since = feed_query("MessagesQuery", _QUERY, request.args)
    return since, int(query.get("limit", api_messages.DEFAULT_LIMIT))


@bp.route("/messages", methods=["GET"])
@per_client_limit
def list_messages() -> Response:
    since, limit = _query()
    payload = api_messages.messages_for(db.session, g.api_caller, since=since, limit=limit)
    g.api_detail = {"count": len(payload["messages"])}
    return _json(payload, 200)


@bp.route("/messages/<message_id>/replies", methods=["POST"])
@per_client_limit
def reply_to_message(message_id: str) -> Response:
    body = _json_body()
    validate("MessageReplyRequest", body)
    reply, thread = api_messages.reply(db.session, g.api_caller, message_id, body)
    g.api_victim_id = thread.victim_id
    g.api_detail = {
        "what": f"reply to message {thread.reference}",  # shown on the victim's "Who has viewed"
        "message_id": reply["in_reply_to"],
        "reply_id": reply["id"],
    }
    return _json(reply, 201)


@bp.route("/messages/<message_id>/attachments/<attachment_id>", methods=["GET"])
@per_client_limit
def message_attachment(message_id: str, attachment_id: str) -> Response:
    """A file sent with a message, as kept (images re-encoded without their metadata when uploaded): a
    download, never shown in the browser, never cached."""
    thread, attachment = api_messages.attachment(db.session, g.api_caller, message_id, attachment_id)
    g.api_victim_id = thread.victim_id
    g.api_detail = {
        "what": f"file on message {thread.reference}",  # shown on the victim's "Who has viewed"
        "message_id": attachment.message_id,
        "attachment_id": attachment.id,
    }
    response = send_file(
        io.BytesIO(attachment.content),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
