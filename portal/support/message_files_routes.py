"""Downloading a file attached to a message in a client's thread (issue 15), for a support worker the
victim lets send messages for them (checked in the database on every request). Always a download; the
files of the unit's internal notes, and anything outside the delegation, are a 404. Audited: the victim
sees it under "Who has viewed your information" (services/secure_messages/attachments.py)."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.extensions import db
from portal.services.secure_messages import attachments
from portal.support import bp
from portal.web.guards import support_worker_required


@bp.route(
    "/clients/<victim_id>/cases/<urn>/messages/<thread_id>/files/<attachment_id>", endpoint="message_file"
)
@support_worker_required
def message_file(victim_id: str, urn: str, thread_id: str, attachment_id: str) -> Response:
    found = attachments.for_support_worker(
        db.session, current_user.actor, victim_id, urn, thread_id, attachment_id
    )
    return Response(found.content, headers=attachments.download_headers(found))
