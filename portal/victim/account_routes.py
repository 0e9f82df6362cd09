"""Who has viewed the victim's information: every staff and support-worker view of their record, from
the audit trail (SECURITY.md 13), in plain words, by day, a page at a time."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.extensions import db
from portal.services.common import audit, pagination
from portal.services.common.roles import VICTIM
from portal.victim import bp
from portal.web.guards import role_required


@bp.route("/account/who-has-viewed")
@role_required(VICTIM)
def who_has_viewed() -> str:
    page = pagination.page_number(request.args.get("page"))
    views = audit.views_of_victim(db.session, current_user.victim_id, page)
    return render_template("victim/who_has_viewed.html", views=views)
