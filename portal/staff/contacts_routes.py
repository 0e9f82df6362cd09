"""Named contacts on the officer's pages (on the staff blueprint): a witness care officer sets or clears
who a victim can reach about a case (officer in the case, witness care officer, Victim Liaison Officer),
how and when. Only the unit's own cases (services/common/access.py); anything else is a 404. Every change
is audited by the contacts service."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
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
from portal.web.forms import NoControlCharacters, flash_saved
from portal.web.guards import officer_required

#: The form's fields for each role, named `<role with underscores>_<field>`.
FIELDS: tuple[str, ...] = ("name", "phone", "email", "when_to_reach")


def field_prefix(role: str) -> str:
    """officer-in-case -> officer_in_case (the role's fields are officer_in_case_name, ...)."""
    return role.replace("-", "_")


#: How an error names each field of each role ("The phone number of the officer in the case must not ...").
_NAMED = {
    contacts.OFFICER_IN_CASE: {
        "name": _l("The name of the officer in the case"),
        "phone": _l("The phone number of the officer in the case"),
        "email": _l("The email address of the officer in the case"),
        "when_to_reach": _l("When to reach the officer in the case"),
    },
    contacts.WITNESS_CARE_OFFICER: {
        "name": _l("The name of the witness care officer"),
        "phone": _l("The phone number of the witness care officer"),
        "email": _l("The email address of the witness care officer"),
        "when_to_reach": _l("When to reach the witness care officer"),
    },
    contacts.VICTIM_LIAISON_OFFICER: {
        "name": _l("The name of the Victim Liaison Officer"),
        "phone": _l("The phone number of the Victim Liaison Officer"),
        "email": _l("The email address of the Victim Liaison Officer"),
        "when_to_reach": _l("When to reach the Victim Liaison Officer"),
    },
}


def _checked(role: str, field: str) -> list[NoControlCharacters]:
    return [NoControlCharacters(_NAMED[role][field])]


def _name(role: str) -> StringField:
    return StringField(
        _l("Name"),
        widget=GovTextInput(),
        description=_l("As the victim should ask for them, with their rank or title if they use one"),
        validators=_checked(role, "name"),
    )


def _phone(role: str) -> StringField:
    return StringField(
        _l("Phone number (optional)"),
        widget=GovTextInput(),
        description=_l("A number to call, for example 01632 960 201"),
        validators=_checked(role, "phone"),
    )


def _email(role: str) -> StringField:
    return StringField(
        _l("Email address (optional)"), widget=GovTextInput(), validators=_checked(role, "email")
    )


def _when_to_reach(role: str) -> StringField:
    return StringField(
        _l("When to reach them (optional)"),
        widget=GovTextInput(),
        description=_l("For example, Monday to Friday, 9am to 5pm"),
        validators=_checked(role, "when_to_reach"),
    )


class ContactsForm(FlaskForm):
    officer_in_case_name = _name(contacts.OFFICER_IN_CASE)
    officer_in_case_phone = _phone(contacts.OFFICER_IN_CASE)
    officer_in_case_email = _email(contacts.OFFICER_IN_CASE)
    officer_in_case_when_to_reach = _when_to_reach(contacts.OFFICER_IN_CASE)
    witness_care_officer_name = _name(contacts.WITNESS_CARE_OFFICER)
    witness_care_officer_phone = _phone(contacts.WITNESS_CARE_OFFICER)
    witness_care_officer_email = _email(contacts.WITNESS_CARE_OFFICER)
    witness_care_officer_when_to_reach = _when_to_reach(contacts.WITNESS_CARE_OFFICER)
    victim_liaison_officer_name = _name(contacts.VICTIM_LIAISON_OFFICER)
    victim_liaison_officer_phone = _phone(contacts.VICTIM_LIAISON_OFFICER)
    victim_liaison_officer_email = _email(contacts.VICTIM_LIAISON_OFFICER)
    victim_liaison_officer_when_to_reach = _when_to_reach(contacts.VICTIM_LIAISON_OFFICER)
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
            outcomes = officer_contacts.set_contacts_for_officer(
                db.session, actor, victim_id, urn, form.changes()
            )
        except contacts.InvalidContacts as problem:
            form.show_problems(problem.problems)
        else:
            changed = any(outcome.change != contacts.UNCHANGED for outcome in outcomes)
            flash_saved(_("Named contacts saved.") if changed else None)
            return redirect(url_for(".case", victim_id=victim_id, urn=urn))
    return render_template(
        "staff/contacts.html",
        title=_("Named contacts"),
        form=form,
        page=page,
        field_prefix=field_prefix,
    )
