"""The question asked of whoever resets someone's second factor (an officer for a victim, an admin for
staff): have they forgotten their password as well? Unless they have, the recovery link asks for the
account's current password, so the link alone cannot take an account over (issue 14)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

YES = "yes"
NO = "no"


def password_forgotten_field() -> RadioField:
    return RadioField(
        _l("Have they also forgotten their password?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))],
        description=_l(
            "If not, the link will ask for their password. If they have, they will choose a new one."
        ),
        validators=[InputRequired(message=_l("Select yes if they have also forgotten their password"))],
        validate_choice=True,
    )
