"""Service administration: agency API clients now; staff accounts and organisations are added here too.

Admins only: anyone else signed in gets 404. Each area lives in its own module that adds its views to
`bp` (see api_clients.py).
"""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.services.common.roles import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def navigation() -> list[dict[str, str]]:
    """The admin area's service navigation (areas add themselves to AREAS)."""
    from flask import request, url_for

    return [
        {
            "href": url_for(endpoint),
            "text": text,
            **({"active": True} if request.endpoint == endpoint else {}),
        }
        for endpoint, text in AREAS
    ]


#: (endpoint, link text) of each admin area, shown on the admin home page and in the navigation.
AREAS: list[tuple[str, str]] = []


@bp.context_processor
def _admin_navigation() -> dict[str, object]:
    return {"navigation_items": navigation()}


@bp.route("/")
@admin_required
def index() -> str:
    return render_template("admin/index.html", title="Administration", areas=AREAS)


# Each area registers its pages on bp: API clients; staff accounts, organisations and the audit trail.
from portal.admin import api_clients, users_routes  # noqa: E402, F401
