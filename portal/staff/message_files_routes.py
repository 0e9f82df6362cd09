"""Downloading a file attached to a message in a thread the officer's unit answers (issue 15), internal
notes included. Always a download; another unit's files are a 404. Audited: the victim sees it under
"Who has viewed your information" (services/secure_messages/attachments.py)."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.extensions import db
from portal.services.secure_messages import attachments
from portal.staff import bp
from portal.web.guards import officer_required


@bp.route("/messages/<thread_id>/files/<attachment_id>", endpoint="message_file")
@officer_required
def message_file(thread_id: str, attachment_id: str) -> Response:
    found = attachments.for_officer(db.session, current_user.actor, thread_id, attachment_id)
    return Response(found.content, headers=attachments.download_headers(found))
