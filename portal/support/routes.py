"""The support worker's pages: "Your clients" (only delegations in force now), "Your invitations" (accept
or decline), and for each client only what the victim granted: updates, preferences and needs, and
changing them. Support workers only (anyone else gets a 404). Every page checks the delegation in the
database (services/access.py), so a revocation or an expiry counts on the very next request, and a
client or scope outside an active grant is a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.cases import timeline
from portal.services.common import pagination
from portal.services.delegation import grants as delegations
from portal.services.delegation import work as delegation_work
from portal.services.preferences import labels as preference_labels
from portal.services.preferences.rules import InvalidPreferences
from portal.support import bp
from portal.support.forms import NeedsForm
from portal.web.forms import EmptyForm, flash_saved
from portal.web.guards import support_worker_required


@bp.route("")
@support_worker_required
def home() -> str:
    clients, invitations = delegation_work.worker_home(db.session, current_user.actor)
    return render_template(
        "support/home.html",
        title=_("Your clients"),
        clients=clients,
        invitations=invitations,
        form=EmptyForm(),
    )


@bp.route("/invitations/<int:delegation_id>/<answer>", methods=["POST"])
@support_worker_required
def answer_invitation(delegation_id: int, answer: str) -> Response:
    if answer not in ("accept", "decline"):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    invitation = delegation_work.invitation(db.session, current_user.actor, delegation_id)
    if answer == "accept":
        delegations.accept(db.session, current_user.actor, delegation_id)
        flash(_("You can now help %(name)s.", name=invitation.victim_name), "success")
    else:
        delegations.decline(db.session, current_user.actor, delegation_id)
        flash(_("You declined the request from %(name)s.", name=invitation.victim_name), "success")
    return redirect(url_for(".home"))


@bp.route("/clients/<victim_id>")
@support_worker_required
def client(victim_id: str) -> str:
    page = delegation_work.client_page(db.session, current_user.actor, victim_id)
    return render_template("support/client.html", title=page.client.name, page=page)


@bp.route("/clients/<victim_id>/cases/<urn>")
@support_worker_required
def case(victim_id: str, urn: str) -> str:
    name, found = delegation_work.client_case(
        db.session,
        current_user.actor,
        victim_id,
        urn,
        request.args.get("source"),
        pagination.page_number(request.args.get("page")),
    )
    return render_template(
        "support/case.html",
        title=found.timeline.case.offence,
        name=name,
        victim_id=victim_id,
        view=found.timeline,
        standing=found.standing,
        sources=timeline.SOURCES,
    )


@bp.route("/clients/<victim_id>/preferences")
@support_worker_required
def preferences(victim_id: str) -> str:
    page = delegation_work.client_preferences(db.session, current_user.actor, victim_id)
    return render_template(
        "support/preferences.html",
        title=_("Contact preferences and needs"),
        page=page,
        contact_rows=preference_labels.for_staff(page.contact_rows),
        needs_rows=preference_labels.for_staff(page.needs_rows),
        victim_id=victim_id,
    )


@bp.route("/clients/<victim_id>/needs", methods=["GET", "POST"])
@support_worker_required
def change_needs(victim_id: str) -> str | Response:
    actor = current_user.actor
    name, document = delegation_work.document_to_change(db.session, actor, victim_id)
    form = NeedsForm() if request.method == "POST" else NeedsForm.from_document(document)
    if request.method == "POST" and form.validate_on_submit():
        try:
            version = delegation_work.change_for_client(db.session, actor, victim_id, form.changes())
        except InvalidPreferences as problem:
            form.show_errors(problem.errors)
        else:
            flash_saved(
                None
                if version is None
                else _(
                    "Saved. %(name)s and their witness care officer can see that you made this change.",
                    name=name,
                )
            )
            return redirect(url_for(".client", victim_id=victim_id))
    return render_template(
        "support/needs.html",
        title=_("Change what %(name)s needs", name=name),
        name=name,
        victim_id=victim_id,
        form=form,
        has_errors=any(field.errors for field in form),
    )


@bp.route("/clients/<victim_id>/step-back", methods=["GET", "POST"])
@support_worker_required
def step_back(victim_id: str) -> str | Response:
    actor = current_user.actor
    name = delegation_work.client_name(db.session, actor, victim_id)
    form = EmptyForm()
    if form.validate_on_submit():
        delegations.step_back(db.session, actor, victim_id)
        flash(_("You are no longer helping %(name)s. We have told them.", name=name), "success")
        return redirect(url_for(".home"))
    return render_template(
        "support/step_back.html",
        title=_("Are you sure you want to stop helping %(name)s?", name=name),
        name=name,
        victim_id=victim_id,
        form=form,
    )
