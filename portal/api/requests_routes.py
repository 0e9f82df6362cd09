"""Victims' requests through the agency API (issue 16): an agency's system lists the reviews, personal
statements and complaints it must answer, polling with `since`, and moves each through its statuses.

Authenticated, rate-limited and audited as every other call (routes.py: the verbs are in its VERBS);
scoped in services/common/access.py: another agency's or another force's request, a complaint about the
portal, and an id that is nobody's all answer the same 404.
"""

from __future__ import annotations

import io
from datetime import datetime

from flask import Response, g, request, send_file

from portal.api import bp
from portal.api.errors import error_response
from portal.api.routes import _json, _json_body, per_client_limit
from portal.api.validation import feed_query, validate
from portal.extensions import db
from portal.services.agency_api import requests as api_requests
from portal.services.agency_api.requests import RequestRefused

_QUERY = ("type", "since", "limit")


@bp.errorhandler(RequestRefused)
def _refused(error: RequestRefused) -> Response:
    return error_response(400, [str(error)], "BadRequestError")


def _query() -> tuple[str | None, datetime | None, int]:
    """type, since and limit from the query string, validated with the RequestsQuery schema."""
    query, since = feed_query("RequestsQuery", _QUERY, request.args)
    return query.get("type"), since, int(query.get("limit", api_requests.DEFAULT_LIMIT))


@bp.route("/requests", methods=["GET"])
@per_client_limit
def list_requests() -> Response:
    kind, since, limit = _query()
    payload = api_requests.requests_for(db.session, g.api_caller, kind=kind, since=since, limit=limit)
    g.api_detail = {"type": kind, "count": len(payload["requests"])}
    return _json(payload, 200)


@bp.route("/requests/<request_id>/status", methods=["POST"])
@per_client_limit
def request_status(request_id: str) -> Response:
    body = _json_body()
    validate("RequestStatusChange", body)
    changed, item = api_requests.change_status(db.session, g.api_caller, request_id, body)
    g.api_victim_id = changed.victim_id
    g.api_detail = {"request_id": changed.id, "type": changed.kind, "status": changed.status}
    return _json(item, 200)


@bp.route("/requests/<request_id>/document", methods=["GET"])
@per_client_limit
def request_document(request_id: str) -> Response:
    """The document sent with a personal statement, as the victim uploaded it (checked as a PDF or a Word
    document when it was uploaded): a download, never shown in the browser, never cached."""
    found, document = api_requests.statement_document(db.session, g.api_caller, request_id)
    g.api_victim_id = found.victim_id
    g.api_detail = {"request_id": found.id, "type": found.kind, "document_id": document.id}
    response = send_file(
        io.BytesIO(document.content),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
