"""Victims' dates to avoid and needs at court, for the officer (issue 16): marking a change as reviewed
(the review queue, the victim's page and the home page read theirs in their own routes). Only the officer's unit's cases (services/court_needs/officer.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.court_needs import labels as court_labels
from portal.services.court_needs import officer as court_officer
from portal.staff import bp
from portal.web.forms import EmptyForm
from portal.web.guards import officer_required


@bp.app_template_global()
def court_needs_labels() -> object:
    return court_labels


@bp.route("/victims/<victim_id>/cases/<urn>/court-needs/reviewed", methods=["POST"])
@officer_required
def court_needs_reviewed(victim_id: str, urn: str) -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(404)
    court_officer.mark_reviewed(db.session, current_user.actor, victim_id, urn, int(version))
    flash(_("Marked as reviewed."), "success")
    if request.form.get("back") == "victim":
        return redirect(url_for(".victim", victim_id=victim_id) + "#court-needs")
    return redirect(url_for(".review_queue") + "#court-needs")
