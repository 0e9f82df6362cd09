"""The admin home page: the areas of service administration."""

from __future__ import annotations

from flask import render_template

from portal.admin import AREAS, bp
from portal.web.guards import admin_required


@bp.route("/")
@admin_required
def index() -> str:
    return render_template("admin/index.html", title="Administration", areas=AREAS)
