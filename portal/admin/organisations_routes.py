"""Witness care units (each owns the cases of one police force) and support organisations."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.admin import bp
from portal.extensions import db
from portal.services.accounts import staff as staff_accounts
from portal.web.forms import NoControlCharacters
from portal.web.guards import admin_required

KIND_LABELS = {
    staff_accounts.WITNESS_CARE_UNIT: _l("Witness care unit"),
    staff_accounts.SUPPORT_SERVICE: _l("Support organisation"),
}
FORCE_CODE_ERROR = _l("Enter the 2-digit police force code, like 01")
REPLY_DAYS_ERROR = _l("Enter a whole number of working days from 1 to 20, like 2")


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the name of the organisation")),
            NoControlCharacters(_l("The name of the organisation")),
            Length(max=200, message=_l("The name of the organisation must be 200 characters or fewer")),
        ],
    )
    kind = RadioField(
        _l("Type of organisation"),
        widget=GovRadioInput(),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Select the type of organisation"))],
    )
    force_code = StringField(
        _l("Police force code (witness care units only)"),
        widget=GovTextInput(),
        description=_l("The first 2 digits of the unit's case URNs, like 01"),
        validators=[
            NoControlCharacters(_l("The police force code")),
            Length(max=2, message=FORCE_CODE_ERROR),
        ],
    )
    message_reply_days = StringField(
        _l("Working days to reply to a victim's message (witness care units only)"),
        widget=GovTextInput(),
        description=_l("Leave empty for the standard 2 working days"),
        validators=[NoControlCharacters(_l("The working days to reply"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


@bp.route("/organisations")
@admin_required
def organisations() -> str:
    rows = staff_accounts.organisations(db.session, current_user.actor)
    return render_template(
        "admin/users/organisations.html", title=_("Organisations"), rows=rows, kind_labels=KIND_LABELS
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@admin_required
def organisation_edit(organisation_id: int | None = None) -> str | Response:
    actor = current_user.actor
    existing = None
    if organisation_id is not None:
        existing = staff_accounts.get_organisation(db.session, actor, organisation_id)
    form = OrganisationForm(obj=existing)
    if existing is not None:
        form.kind.data = existing.kind
    if form.validate_on_submit():
        reply_days_text = (form.message_reply_days.data or "").strip()
        reply_days = (
            int(reply_days_text) if reply_days_text.isdecimal() and len(reply_days_text) < 4 else None
        )
        try:
            if reply_days_text and reply_days is None:
                raise staff_accounts.OrganisationError("message-reply-days")
            if existing is None:
                staff_accounts.create_organisation(
                    db.session,
                    actor,
                    name=form.name.data or "",
                    kind=form.kind.data or "",
                    force_code=form.force_code.data,
                    message_reply_days=reply_days,
                )
            else:
                staff_accounts.update_organisation(
                    db.session,
                    actor,
                    existing.id,
                    name=form.name.data or "",
                    force_code=form.force_code.data,
                    message_reply_days=reply_days,
                )
        except staff_accounts.OrganisationError as problem:
            if str(problem) == "message-reply-days":
                form.message_reply_days.errors = [str(REPLY_DAYS_ERROR)]
            else:
                form.force_code.errors = [str(FORCE_CODE_ERROR)]
        else:
            flash(_("Organisation saved."), "success")
            return redirect(url_for("admin.organisations"))
    title = _("Change an organisation") if existing else _("Add an organisation")
    return render_template("admin/users/organisation_form.html", title=title, form=form, existing=existing)
