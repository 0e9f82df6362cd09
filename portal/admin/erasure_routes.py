"""Erasure requests an officer has checked, carried out (or refused) by an administrator. Administrators
see no victim information: each request shows the victim's pseudonym and the officer's note."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from werkzeug.wrappers import Response
from wtforms import BooleanField, SubmitField
from wtforms.validators import InputRequired

from portal.admin import bp
from portal.extensions import db
from portal.services.retention import erasure
from portal.web.forms import EmptyForm
from portal.web.guards import admin_required


class CarryOutForm(FlaskForm):
    confirmed = BooleanField(
        _l("I understand that this cannot be undone"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you understand this cannot be undone"))],
    )
    submit = SubmitField(_l("Erase their information"), widget=GovSubmitInput())


@bp.route("/erasure-requests")
@admin_required
def erasure_requests() -> str:
    requests = erasure.open_requests(db.session, current_user.actor)
    return render_template("admin/erasure/list.html", requests=requests)


@bp.route("/erasure-requests/<victim_id>", methods=["GET", "POST"])
@admin_required
def erasure_request(victim_id: str) -> str | Response:
    actor = current_user.actor
    request = erasure.open_request(db.session, actor, victim_id)
    form = CarryOutForm()
    if form.validate_on_submit():
        try:
            erasure.carry_out(db.session, actor, victim_id, datetime.now(UTC))
        except erasure.ErasureProblem as problem:
            form.confirmed.errors = [str(problem)]
        else:
            flash(_("Their information has been erased (%(who)s).", who=request.pseudonym), "success")
            return redirect(url_for("admin.erasure_requests"))
    return render_template("admin/erasure/request.html", request=request, form=form, refuse_form=EmptyForm())


@bp.route("/erasure-requests/<victim_id>/refuse", methods=["POST"])
@admin_required
def refuse_erasure(victim_id: str) -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    request = erasure.open_request(db.session, current_user.actor, victim_id)
    erasure.refuse(db.session, current_user.actor, victim_id, datetime.now(UTC))
    flash(
        _("The request was not carried out (%(who)s). Tell the officer who asked.", who=request.pseudonym),
        "success",
    )
    return redirect(url_for("admin.erasure_requests"))
