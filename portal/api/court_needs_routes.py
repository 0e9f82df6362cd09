"""Changes to victims' dates to avoid and needs at court through the agency API (issue 16): witness care's
and the CPS's systems poll with `since` to learn what changed, without reading every victim's preferences.

Authenticated, rate-limited and audited as every other call (routes.py: the verb is in its VERBS);
scoped in services/common/access.py: police and witness care read their force's cases only.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, g, request

from portal.api import bp
from portal.api.routes import _json, per_client_limit
from portal.api.validation import feed_query
from portal.extensions import db
from portal.services.agency_api import court_needs as api_court_needs

_QUERY = ("since", "limit")


def _query() -> tuple[datetime | None, int]:
    """since and limit from the query string, validated with the CourtNeedsChangesQuery schema."""
    query, since = feed_query("CourtNeedsChangesQuery", _QUERY, request.args)
    return since, int(query.get("limit", api_court_needs.DEFAULT_LIMIT))


@bp.route("/court-needs/changes", methods=["GET"])
@per_client_limit
def court_needs_changes() -> Response:
    since, limit = _query()
    payload = api_court_needs.changes_for(db.session, g.api_caller, since=since, limit=limit)
    g.api_detail = {"count": len(payload["changes"])}
    return _json(payload, 200)
