"""Forms and form helpers every blueprint shares."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, StopValidation

# Control characters never belong in what people type: they reach pages (where HTML forbids them), messages
# and letters. One line of text (a name, an email address, a reference) has none at all, nor a Unicode line
# or paragraph separator; longer text may have line breaks and tabs. The agency API refuses the same
# characters (portal/api/schemas.py).
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class NoControlCharacters:
    """A WTForms validator for every text field: refuses control characters with a GOV.UK error message
    that names the field. `name` is how the message names it, e.g. "Their work email address";
    `multi_line`: a text area, where line breaks and tabs are allowed. It stops the field's other checks,
    so the field shows one message for one problem. tests/web/test_form_text.py checks that every text
    field of every form has it."""

    def __init__(self, name: Any = None, *, multi_line: bool = False) -> None:
        self.name = name
        self.multi_line = multi_line

    def __call__(self, form: Any, field: Any) -> None:
        data = field.data
        if not isinstance(data, str):
            return
        pattern = _NOT_IN_TEXT if self.multi_line else _NOT_ON_ONE_LINE
        if pattern.search(data):
            raise StopValidation(control_characters_message(self.name, multi_line=self.multi_line))


def control_characters_message(name: Any = None, *, multi_line: bool = False) -> str:
    """The message: "Their work email address must not include tabs, line breaks or other hidden
    characters"."""
    named = str(name) if name is not None else str(_l("Your answer"))
    if multi_line:
        return str(_l("%(name)s must not include hidden characters", name=named))
    return str(_l("%(name)s must not include tabs, line breaks or other hidden characters", name=named))


#: After a form that saves answers, when none of them changed: no success banner for a change nobody made.
NOTHING_CHANGED = _l("You did not change anything.")


def flash_saved(saved: str | None) -> None:
    """The banner after a form that saves answers: `saved` in a success banner when something changed,
    or (`saved` None) a plain banner that says nothing did."""
    if saved is not None:
        flash(saved, "success")
    else:
        flash(str(NOTHING_CHANGED), "important")


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post (send a new code, cancel, accept, stop)."""


class ContinueForm(FlaskForm):
    """A "Continue" button that posts (with the CSRF token)."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    """A 6-digit security code, as the sign-in, set-up and reset pages ask for it."""

    code = StringField(
        _l("Security code"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the security code")),
            NoControlCharacters(_l("Security code")),
            Length(max=20, message=_l("Enter the security code")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def choices(mapping: Mapping[str, Any]) -> list[SelectChoice]:
    """Radio or checkbox choices from {value: label}."""
    return [SelectChoice(key, str(label)) for key, label in mapping.items()]


def radios(label: Any, options: list[SelectChoice]) -> RadioField:
    """GOV.UK radios whose answers the view checks itself."""
    return RadioField(label, choices=options, widget=GovRadioInput(), validate_choice=False)


class GovExclusiveCheckboxesInput(GovCheckboxesInput):
    """GOV.UK checkboxes with one choice that cannot go with the others ("None of these"): an "or"
    divider before it, and checking it clears the others (GOV.UK Frontend's exclusive behaviour)."""

    def __init__(self, exclusive: str) -> None:
        self.exclusive = exclusive

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        items: list[dict[str, Any]] = []
        for item in params["items"]:
            if item["value"] == self.exclusive:
                items += [{"divider": str(_l("or"))}, {**item, "behaviour": "exclusive"}]
            else:
                items.append(item)
        params["items"] = items
        return params


def checkboxes(
    label: Any, options: list[SelectChoice], exclusive: str | None = None, hint: Any = None
) -> SelectMultipleField:
    """GOV.UK checkboxes whose answers the view checks itself; `exclusive`: the value of a choice that
    cannot go with the others; `hint`: the hint under the legend, if any."""
    widget = GovCheckboxesInput() if exclusive is None else GovExclusiveCheckboxesInput(exclusive)
    return SelectMultipleField(
        label, choices=options, widget=widget, description=hint or "", validate_choice=False
    )
