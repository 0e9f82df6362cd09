"""Named contacts on the officer's pages (on the staff blueprint): a witness care officer sets or clears
who a victim can reach about a case (officer in the case, witness care officer, Victim Liaison Officer),
how and when. Only the unit's own cases (services/common/access.py); anything else is a 404. Every change
is audited by the contacts service."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField

from portal.extensions import db
from portal.services.cases import contacts, officer_contacts
from portal.staff import bp
from portal.web.guards import officer_required

#: The form's fields for each role, named `<role with underscores>_<field>`.
FIELDS: tuple[str, ...] = ("name", "phone", "email", "when_to_reach")


def field_prefix(role: str) -> str:
    """officer-in-case -> officer_in_case (the role's fields are officer_in_case_name, ...)."""
    return role.replace("-", "_")


def _name() -> StringField:
    return StringField(
        _l("Name"),
        widget=GovTextInput(),
        description=_l("As the victim should ask for them, with their rank or title if they use one"),
    )


def _phone() -> StringField:
    return StringField(
        _l("Phone number (optional)"),
        widget=GovTextInput(),
        description=_l("A number to call, for example 01632 960 201"),
    )


def _email() -> StringField:
    return StringField(_l("Email address (optional)"), widget=GovTextInput())


def _when_to_reach() -> StringField:
    return StringField(
        _l("When to reach them (optional)"),
        widget=GovTextInput(),
        description=_l("For example, Monday to Friday, 9am to 5pm"),
    )


class ContactsForm(FlaskForm):
    officer_in_case_name = _name()
    officer_in_case_phone = _phone()
    officer_in_case_email = _email()
    officer_in_case_when_to_reach = _when_to_reach()
    witness_care_officer_name = _name()
    witness_care_officer_phone = _phone()
    witness_care_officer_email = _email()
    witness_care_officer_when_to_reach = _when_to_reach()
    victim_liaison_officer_name = _name()
    victim_liaison_officer_phone = _phone()
    victim_liaison_officer_email = _email()
    victim_liaison_officer_when_to_reach = _when_to_reach()
    submit = SubmitField(_l("Save named contacts"), widget=GovSubmitInput())

    def field(self, role: str, name: str) -> StringField:
        field: StringField = self[f"{field_prefix(role)}_{name}"]
        return field

    def changes(self) -> list[contacts.ContactChange]:
        """One change per role: what the officer entered (all empty clears the contact)."""
        return [
            contacts.ContactChange(
                role=role,
                name=self.field(role, "name").data,
                phone=self.field(role, "phone").data,
                email=self.field(role, "email").data,
                when_to_reach=self.field(role, "when_to_reach").data,
            )
            for role in contacts.CONTACT_ROLES
        ]

    def show_problems(self, problems: list[contacts.ContactProblem]) -> None:
        for problem in problems:
            name = problem.field if problem.field in FIELDS else "name"
            role = problem.role if problem.role in contacts.CONTACT_ROLES else contacts.OFFICER_IN_CASE
            field = self.field(role, name)
            message = problem.message
            role_label = str(contacts.ROLE_LABELS[role])
            if role_label.lower() not in message.lower():
                # "Enter a phone number, like ..." could be any of the three contacts': say whose.
                message = f"{role_label}: {message}"
            if not field.errors:
                field.errors = [message]


def _current(page: officer_contacts.OfficerContacts) -> dict[str, str]:
    """What the victim sees now, to start the form from."""
    data: dict[str, str] = {}
    for item in page.roles:
        if item.contact is None:
            continue
        prefix = field_prefix(item.role)
        data[f"{prefix}_name"] = item.contact.name
        data[f"{prefix}_phone"] = item.contact.phone or ""
        data[f"{prefix}_email"] = item.contact.email or ""
        data[f"{prefix}_when_to_reach"] = item.contact.when_to_reach or ""
    return data


@bp.route("/victims/<victim_id>/cases/<urn>/contacts", methods=["GET", "POST"])
@officer_required
def case_contacts(victim_id: str, urn: str) -> str | Response:
    actor = current_user.actor
    viewing = request.method == "GET"
    page = officer_contacts.officer_contacts(db.session, actor, victim_id, urn, audit_view=viewing)
    form = ContactsForm(data=_current(page)) if viewing else ContactsForm()
    if form.validate_on_submit():
        try:
            officer_contacts.set_contacts_for_officer(db.session, actor, victim_id, urn, form.changes())
        except contacts.InvalidContacts as problem:
            form.show_problems(problem.problems)
        else:
            flash(_("Named contacts saved."), "success")
            return redirect(url_for(".case", victim_id=victim_id, urn=urn))
    return render_template(
        "staff/contacts.html",
        title=_("Named contacts"),
        form=form,
        page=page,
        field_prefix=field_prefix,
    )
