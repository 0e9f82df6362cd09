"""The forms of "Ask someone to help you": one question per page. The checks that need the database (is
there such a worker, is the date allowed) are in services/delegations.py and delegation_rules.py."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovTextInput
from wtforms import EmailField, RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import Email, Length, ValidationError

from portal.services.delegation import rules
from portal.web.forms import NoControlCharacters

EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")

PERSON = "person"
ORGANISATION = "organisation"


def _one_of(allowed: Any, message: Any) -> Any:
    def check(form: FlaskForm, field: Any) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if not field.data or any(value not in {str(a) for a in allowed(form)} for value in values):
            raise ValidationError(str(message))

    return check


class WhoForm(FlaskForm):
    kind = RadioField(
        _l("Who do you want to help you?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice(PERSON, str(_l("A support worker you know"))),
            SelectChoice(ORGANISATION, str(_l("A support organisation"))),
        ],
        validate_choice=False,
        validators=[_one_of(lambda form: (PERSON, ORGANISATION), _l("Select who you want to help you"))],
    )


def _email_format(form: FlaskForm, field: Any) -> None:
    """An address that is not one is a format error (GOV.UK's message), not "no support worker has this
    email address". An empty answer is left to the service, which asks for one."""
    if (field.data or "").strip() and not field.errors:
        field.data = field.data.strip()
        Email(message=str(EMAIL_FORMAT))(form, field)


class EmailForm(FlaskForm):
    email = EmailField(
        _l("What is their work email address?"),
        widget=GovTextInput(),
        description=_l("Ask them for the email address they use to sign in to this service."),
        validators=[
            Length(max=320, message=_l("Enter 320 characters or fewer")),
            NoControlCharacters(_l("Their work email address")),
            _email_format,
        ],
    )


class OrganisationForm(FlaskForm):
    organisation = RadioField(
        _l("Which organisation do you want to help you?"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            _one_of(
                lambda form: [c.value for c in form.organisation.choices], _l("Select their organisation")
            )
        ],
    )

    def __init__(self, organisations: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice(str(org_id), name) for org_id, name in organisations]


class ScopesForm(FlaskForm):
    scopes = SelectMultipleField(
        _l("What can they do?"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that apply. They can never see or do more than you choose."),
        choices=[SelectChoice(scope, str(rules.SCOPE_LABELS[scope])) for scope in rules.SCOPES],
        validate_choice=False,
        validators=[_one_of(lambda form: rules.SCOPES, rules.SCOPES_REQUIRED)],
    )

    def items(self) -> list[dict[str, Any]]:
        """Each checkbox's hint, in the order of the choices."""
        return [{"hint": {"text": str(rules.SCOPE_HINTS[scope])}} for scope in rules.SCOPES]
