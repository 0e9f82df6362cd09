"""Updates to send in an accessible format (issue 17): the unit's tasks, oldest deadline first, and
"Mark as sent" (registered on the staff blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.accessible_formats import tasks
from portal.services.common import audit
from portal.staff import bp
from portal.web.forms import ContinueForm
from portal.web.guards import officer_required


@bp.route("/accessible-formats")
@officer_required
def accessible_formats() -> str:
    actor = current_user.actor
    to_do = tasks.open_tasks(db.session, actor)
    done = tasks.done_tasks(db.session, actor)
    for victim_id in {row.victim_id for row in [*to_do, *done]}:
        audit.record_view(db.session, actor, victim_id, "accessible formats")
    return render_template(
        "staff/accessible_formats.html",
        title=_("Updates to send in an accessible format"),
        to_do=to_do,
        done=done,
        form=ContinueForm(),
    )


@bp.route("/accessible-formats/<int:task_id>/sent", methods=["POST"])
@officer_required
def accessible_format_sent(task_id: int) -> Response:
    if not ContinueForm().validate_on_submit():
        abort(400)
    task = tasks.mark_done(db.session, current_user.actor, task_id)
    flash(_("Marked as sent: %(what)s.", what=tasks.what_to_do(task)), "success")
    return redirect(url_for("staff.accessible_formats"))
