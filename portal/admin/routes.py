"""/admin/: the admin's home is /staff, with the areas of service administration and what is in each."""

from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from portal.admin import bp
from portal.web.guards import admin_required


@bp.route("/")
@admin_required
def index() -> Response:
    return redirect(url_for("auth.signed_in_staff"))
