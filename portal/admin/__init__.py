"""Service administration: agency API clients, staff accounts, the audit trail and organisations.

Admins only: anyone else signed in gets 404. Each area lives in its own module and adds its views to
`bp`; `AREAS` lists them for the home page and the navigation.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: (endpoint, link text) of each admin area, shown on the admin home page and in the navigation.
AREAS: list[tuple[str, str]] = [
    ("admin.api_clients", "API clients"),
    ("admin.users", "Staff accounts"),
    ("admin.audit", "Audit trail"),
    ("admin.organisations", "Organisations"),
]


def navigation() -> list[dict[str, Any]]:
    """The admin area's service navigation."""
    return [
        {
            "href": url_for(endpoint),
            "text": text,
            **({"active": True} if request.endpoint == endpoint else {}),
        }
        for endpoint, text in AREAS
    ]


@bp.context_processor
def _admin_navigation() -> dict[str, object]:
    return {"navigation_items": navigation()}


from portal.admin import api_clients, audit_routes, organisations_routes, routes, users_routes  # noqa: E402, F401
