"""Staff accounts: admins create officers, support workers and admins (an invitation to set a password and
an authenticator app), revoke them, sign them out everywhere and reset a lost second factor."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from werkzeug.wrappers import Response
from wtforms import EmailField, RadioField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, StopValidation

from portal.admin import bp
from portal.extensions import db
from portal.services.accounts import invitations
from portal.services.accounts import staff as staff_accounts
from portal.services.accounts.invitations import InvitationError
from portal.services.common.roles import CREATABLE_ROLES, ROLE_LABELS
from portal.services.preferences.rules import normalise_email
from portal.web.forms import NoControlCharacters
from portal.web.guards import admin_required
from portal.web.recovery_fields import YES, password_forgotten_field

ROLE_HINTS = {
    "witness_care_officer": _l("Sees the cases of their witness care unit"),
    "support_worker": _l("Sees only what a victim lets their organisation see"),
    "admin": _l("Manages accounts, organisations and API keys. Sees no victim information"),
}


class NewUserForm(FlaskForm):
    display_name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter their full name")),
            NoControlCharacters(_l("Their full name")),
            Length(max=200, message=_l("Their full name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(
        _l("Work email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter their work email address")),
            NoControlCharacters(_l("Their work email address")),
            Length(max=320, message=_l("Their work email address must be 320 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in CREATABLE_ROLES],
        validators=[InputRequired(message=_l("Select their role"))],
    )
    organisation = SelectField(_l("Organisation"), widget=GovSelect(), coerce=str, validate_choice=True)
    submit = SubmitField(_l("Create account and send invitation"), widget=GovSubmitInput())

    def validate_email(self, field: EmailField) -> None:
        """The invitation goes through GOV.UK Notify, which refuses more addresses than the standard does
        (a non-ASCII name part, an unlikely top-level domain): such an address could never get it."""
        try:
            normalise_email(field.data or "")
        except ValueError as error:
            raise StopValidation(str(error)) from None


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ResetForm(FlaskForm):
    how = StringField(
        _l("How did you check who they are?"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter how you checked who they are")),
            NoControlCharacters(_l("How you checked who they are")),
            Length(max=200, message=_l("How you checked who they are must be 200 characters or fewer")),
        ],
    )
    password_forgotten = password_forgotten_field()
    submit = SubmitField(_l("Reset their security codes"), widget=GovSubmitInput())


@bp.route("/users")
@admin_required
def users() -> str:
    rows = staff_accounts.list_staff(db.session, current_user.actor)
    return render_template(
        "admin/users/list.html", title=_("Staff accounts"), rows=rows, role_labels=ROLE_LABELS
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new() -> str | Response:
    form = NewUserForm()
    choices = staff_accounts.organisation_choices(db.session)
    form.organisation.choices = [SelectChoice("", _("None (administrators)"))] + [
        SelectChoice(str(i), name) for i, name, _k in choices
    ]
    if form.validate_on_submit():
        try:
            user = invitations.invite_staff(
                db.session,
                current_user.actor,
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                role=form.role.data or "",
                organisation_id=int(form.organisation.data) if form.organisation.data else None,
            )
        except InvitationError as error:
            if error.code == "email-taken":
                form.email.errors = [_("There is already an account with this email address")]
            else:
                form.organisation.errors = [
                    _(
                        "Choose a witness care unit for an officer, a support organisation for a support worker, and none for an administrator"
                    )
                ]
        else:
            flash(_("Account created. We have sent an invitation to set it up."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template(
        "admin/users/new.html", title=_("Create a staff account"), form=form, hints=ROLE_HINTS
    )


@bp.route("/users/<int:user_id>")
@admin_required
def user_detail(user_id: int) -> str:
    row = staff_accounts.get_staff(db.session, current_user.actor, user_id)
    return render_template(
        "admin/users/detail.html",
        title=row.user.display_name,
        row=row,
        role_labels=ROLE_LABELS,
        form=ActionForm(),
        reset_form=ResetForm(),
    )


@bp.route("/users/<int:user_id>/<action>", methods=["POST"])
@admin_required
def user_action(user_id: int, action: str) -> str | Response:
    actor = current_user.actor
    form = ResetForm() if action == "reset-security-codes" else ActionForm()
    if not form.validate_on_submit():
        if action == "reset-security-codes":
            row = staff_accounts.get_staff(db.session, actor, user_id)
            return render_template(
                "admin/users/detail.html",
                title=row.user.display_name,
                row=row,
                role_labels=ROLE_LABELS,
                form=ActionForm(),
                reset_form=form,
                error_in_title=True,
            )
        abort(400)
    if action == "revoke":
        staff_accounts.revoke(db.session, actor, user_id)
        flash(_("The account is closed and every session has ended."), "success")
    elif action == "sign-out-everywhere":
        staff_accounts.sign_out_everywhere(db.session, actor, user_id)
        flash(_("They have been signed out everywhere."), "success")
    elif action == "resend-invitation":
        staff_accounts.resend_invitation(db.session, actor, user_id)
        flash(_("A new invitation link has been sent. The old link no longer works."), "success")
    elif action == "reset-security-codes":
        staff_accounts.reset_second_factor(
            db.session,
            actor,
            user_id,
            form.how.data or "",
            password_forgotten=form.password_forgotten.data == YES,
        )
        flash(
            _("Their security codes have been reset and a link to set them up again has been sent."),
            "success",
        )
    else:
        abort(404)
    return redirect(url_for("admin.user_detail", user_id=user_id))
