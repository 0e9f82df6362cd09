"""Forms for signing in, setting up an account and keeping it safe."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SubmitField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from portal.services.accounts.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem, check_new_password
from portal.web.forms import NoControlCharacters

PASSWORD_MESSAGES = {
    "too-short": _l("Password must be 8 characters or more"),
    "too-long": _l("Password must be 128 characters or fewer"),
    "common": _l("Choose a password that is harder to guess: this one is too common"),
    "service-name": _l("Password must not contain the name of this service"),
}


def _email_field(label: str | None = None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter your email address")),
            NoControlCharacters(_l("Email address")),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
        ],
    )


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your password")),
            Length(max=MAX_LENGTH, message=_l("Password must be 128 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


def _check_new_password(form: FlaskForm, field: PasswordField) -> None:
    try:
        check_new_password(field.data or "")
    except PasswordProblem as problem:
        raise ValidationError(str(PASSWORD_MESSAGES[problem.code])) from None


class NewPasswordForm(FlaskForm):
    """Create or change a password: 8 to 128 characters, any characters, not a common one."""

    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l("You will use this to sign in"),
        validators=[
            NoControlCharacters(_l("Email address")),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
        ],
    )
    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l(
            "Must be %(min)d characters or more. Use 3 random words, like coffeetrainfish, "
            "or any phrase you will remember.",
            min=MIN_LENGTH,
        ),
        validators=[InputRequired(message=_l("Enter a password")), _check_new_password],
    )
    confirm = PasswordField(
        _l("Confirm password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def __init__(self, *args: object, ask_email: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.ask_email = ask_email

    def validate_email(self, field: EmailField) -> None:
        if not self.ask_email:
            return
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter your email address")))
        Email(message=str(_l("Enter an email address in the correct format, like name@example.com")))(
            self, field
        )


class ChooseMethodForm(FlaskForm):
    method = RadioField(
        _l("How do you want to get security codes?"),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select how you want to get security codes"))],
        validate_choice=True,
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your password")),
            Length(max=MAX_LENGTH, message=_l("Password must be 128 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send link"), widget=GovSubmitInput())
