"""Forms for the witness care officer's workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.services.preferences.reviews import FILTERS, MAX_NOTE
from portal.web.forms import NoControlCharacters
from portal.web.recovery_fields import password_forgotten_field

FILTER_LABELS = {
    "interpreter": _l("Needs an interpreter"),
    "no-safe-channel": _l("No safe way to send messages"),
    "special-measures": _l("Asked for special measures at court"),
    "enhanced": _l("Enhanced rights"),
}


class ReviewFilterForm(FlaskForm):
    """A GET form (no state changes), so it works without JavaScript and the URL can be shared."""

    class Meta:
        csrf = False

    filter = SelectMultipleField(
        _l("Show only victims who"),
        choices=[SelectChoice(value, str(FILTER_LABELS[value])) for value in FILTERS],
        validate_choice=False,
    )

    def selected(self) -> list[str]:
        return [value for value in (self.filter.data or []) if value in FILTERS]


class MarkReviewedForm(FlaskForm):
    version = HiddenField()
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("For example, what you did about a need. Do not include contact details."),
        validators=[
            Optional(),
            NoControlCharacters(_l("Note"), multi_line=True),
            Length(max=MAX_NOTE, message=_l("Note must be 1000 characters or fewer")),
        ],
    )


class FindCaseForm(FlaskForm):
    class Meta:
        csrf = False

    urn = StringField(
        _l("Case reference (URN)"),
        description=_l("For example, 01YZ1234524"),
        validators=[NoControlCharacters(_l("Case reference"))],
    )


@dataclass
class PeriodInput:
    """The "from" and "to" date inputs of the timeliness report (GOV.UK date input pattern)."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None

    def params(self, name: str, legend: Any) -> dict[str, Any]:
        error = self.errors.get(name)
        parts = self.values.get(name, {})
        return {
            "id": name,
            "namePrefix": name,
            "fieldset": {"legend": {"text": str(legend), "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": str(_l("For example, 27 3 2026"))},
            "errorMessage": {"text": error} if error else None,
            "items": [
                {
                    "name": part,
                    "label": str(label),
                    "value": parts.get(part, ""),
                    "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if error else ""),
                }
                for part, label, width in (
                    ("day", _l("Day"), 2),
                    ("month", _l("Month"), 2),
                    ("year", _l("Year"), 4),
                )
            ],
        }


def _read_date(args: MultiDict[str, str], name: str, label: str, result: PeriodInput) -> date | None:
    parts = {part: (args.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year")}
    result.values[name] = parts
    if not any(parts.values()):
        result.errors[name] = str(_l("Enter the %(label)s date", label=label))
        return None
    missing = [part for part, value in parts.items() if not value]
    if missing:
        result.errors[name] = str(
            _l("The %(label)s date must include a %(part)s", label=label, part=missing[0])
        )
        return None
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        result.errors[name] = str(_l("The %(label)s date must be a real date", label=label))
        return None
    if value.year < 2000:
        result.errors[name] = str(_l("The %(label)s date must be after 2000", label=label))
        return None
    return value


def read_period(args: MultiDict[str, str], default_start: date, default_end: date) -> PeriodInput:
    """The period from the query string, or the default when the form has not been used."""
    result = PeriodInput()
    if not any(key.startswith(("start-", "end-")) for key in args):
        result.start, result.end = default_start, default_end
        for name, value in (("start", default_start), ("end", default_end)):
            result.values[name] = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return result
    result.start = _read_date(args, "start", "start", result)
    result.end = _read_date(args, "end", "end", result)
    if result.start and result.end and result.end < result.start:
        result.errors["end"] = str(_l("The end date must be the same as or after the start date"))
    return result


class RecoveryForm(FlaskForm):
    identity_checked = BooleanField(
        _l("I have checked who this person is, using the unit's identity checks"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you have checked who this person is"))],
    )
    how = TextAreaField(
        _l("How did you check?"),
        widget=GovTextArea(),
        description=_l(
            "For example: called back on the number held on the case and asked 2 security questions"
        ),
        validators=[
            InputRequired(message=_l("Enter how you checked who this person is")),
            NoControlCharacters(_l("How you checked who this person is"), multi_line=True),
            Length(max=200, message=_l("How you checked who this person is must be 200 characters or fewer")),
        ],
    )
    password_forgotten = password_forgotten_field()
    submit = SubmitField(_l("Reset their security codes"), widget=GovSubmitInput())
