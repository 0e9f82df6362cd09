"""The officer's list of messages that did not arrive (registered on the staff blueprint)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.extensions import db
from portal.services.cases import delivery_problems
from portal.services.common import audit
from portal.staff import bp
from portal.web.guards import officer_required


@bp.route("/messages-not-delivered")
@officer_required
def messages_not_delivered() -> str:
    actor = current_user.actor
    problems = delivery_problems.delivery_problems(db.session, actor)
    for victim_id in {p.victim_id for p in problems}:
        audit.record_view(db.session, actor, victim_id, "messages not delivered")
    return render_template("staff/messages_not_delivered.html", problems=problems)
