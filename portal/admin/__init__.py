"""Service administration: agency API clients, staff accounts, the audit trail and organisations.

Admins only: anyone else signed in gets 404. Each area lives in its own module and adds its views to
`bp`. The admin's home page is /staff (auth.signed_in_staff), and the navigation on every admin page is
the admin role's in portal/navigation.py.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from portal.admin import (  # noqa: E402, F401
    api_clients,
    audit_routes,
    erasure_routes,
    organisations_routes,
    routes,
    users_routes,
)
