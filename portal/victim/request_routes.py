"""A victim's requests (reviews, statements, complaints): all of them on one page ("Your requests"), and
each one (on one of their cases, or about no case: a complaint about this portal): what they asked, what
has happened to it, the answer; and withdrawing it while it is not answered. Another victim's request, or
one on another case, is a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.common import access
from portal.services.requests import lifecycle
from portal.services.requests import views as request_views
from portal.victim import bp
from portal.web.forms import EmptyForm
from portal.web.guards import victim_required

#: The routes of a request about no case.
NO_CASE = {"urn": None}


@bp.route("/requests")
@victim_required
def all_requests() -> str:
    return render_template(
        "victim/requests/all.html",
        title=_("Your requests"),
        requests=request_views.all_requests(db.session, current_user.actor),
    )


@bp.route("/cases/<urn>/requests/<reference>")
@bp.route("/requests/<reference>", endpoint="request_page", defaults=NO_CASE)
@victim_required
def request_page(urn: str | None, reference: str) -> str:
    actor = current_user.actor
    case_record = None if urn is None else access.case_for_actor(db.session, actor, urn)
    detail = request_views.victim_request(db.session, actor, urn, reference)
    return render_template(
        "victim/requests/request.html", title=detail.summary.kind_name, case=case_record, detail=detail
    )


@bp.route("/cases/<urn>/requests/<reference>/withdraw", methods=["GET", "POST"])
@bp.route(
    "/requests/<reference>/withdraw", endpoint="withdraw_request", methods=["GET", "POST"], defaults=NO_CASE
)
@victim_required
def withdraw_request(urn: str | None, reference: str) -> str | Response:
    actor = current_user.actor
    detail = request_views.victim_request(db.session, actor, urn, reference)
    back = url_for("victim.request_page", urn=urn, reference=detail.summary.reference)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            request_views.withdraw(db.session, actor, urn, reference)
        except lifecycle.TransitionRefused:
            flash(
                _("This request has already been answered or withdrawn, so it cannot be withdrawn."),
                "important",
            )
            return redirect(back)
        flash(
            _("You have withdrawn your request %(reference)s.", reference=detail.summary.reference), "success"
        )
        return redirect(back)
    if form.is_submitted():
        abort(400)
    if not detail.summary.is_open:
        flash(
            _("This request has already been answered or withdrawn, so it cannot be withdrawn."), "important"
        )
        return redirect(back)
    return render_template(
        "victim/requests/withdraw.html",
        title=_("Are you sure you want to withdraw this request?"),
        detail=detail,
        form=form,
    )
