"""Downloading a file attached to a message in one of the victim's threads (issue 15): a photo or a
letter they sent, or one sent to them. Always a download, never shown in the browser; the files of the
unit's internal notes, another victim's files and files on another case are a 404
(services/secure_messages/attachments.py)."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.extensions import db
from portal.services.secure_messages import attachments
from portal.victim import bp
from portal.web.guards import victim_required


@bp.route("/cases/<urn>/messages/<thread_id>/files/<attachment_id>", endpoint="message_file")
@victim_required
def message_file(urn: str, thread_id: str, attachment_id: str) -> Response:
    found = attachments.for_victim(db.session, current_user.actor, urn, thread_id, attachment_id)
    return Response(found.content, headers=attachments.download_headers(found))
