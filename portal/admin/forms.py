"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.services.agency_api import clients as api_clients
from portal.web.forms import NoControlCharacters

AGENCY_CHOICES = [
    SelectChoice("police", _l("Police (one force)")),
    SelectChoice("cps", _l("Crown Prosecution Service (all forces)")),
    SelectChoice("witness_care", _l("Witness care unit (one force)")),
    SelectChoice("probation", _l("Probation Service (all forces)")),
]


class ApiClientForm(FlaskForm):
    name = StringField(
        _l("Name of the system"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the name of the system")),
            NoControlCharacters(_l("The name of the system")),
            Length(max=100, message=_l("The name of the system must be 100 characters or fewer")),
        ],
    )
    agency = RadioField(
        _l("Which agency does it speak for?"),
        widget=GovRadioInput(),
        choices=AGENCY_CHOICES,
        validators=[InputRequired(message=_l("Select the agency this key is for"))],
        validate_choice=True,
    )
    force_code = StringField(
        _l("Police force code (police and witness care only)"),
        widget=GovTextInput(),
        validators=[
            NoControlCharacters(_l("The police force code")),
            Length(max=2, message=_l("The police force code must be 2 digits, like 01")),
        ],
    )
    submit = SubmitField(_l("Create API key"), widget=GovSubmitInput())

    def validate_force_code(self, field: StringField) -> None:
        code = (field.data or "").strip()
        if api_clients.agency_needs_force(self.agency.data or ""):
            if not code:
                raise ValidationError(str(_l("Enter the police force code, like 01")))
            if not api_clients.FORCE_CODE.match(code):
                raise ValidationError(str(_l("The police force code must be 2 digits, like 01")))
        elif code:
            raise ValidationError(
                str(_l("Leave the police force code empty: only police and witness care keys have one"))
            )


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Yes, revoke this key"), widget=GovSubmitInput())
