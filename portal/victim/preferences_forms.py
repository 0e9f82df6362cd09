"""The question pages of "How we contact you" and "What you need": one question per page.

Simple pages are declared as `Step`s (radios, checkboxes or one text input) over a document key; pages
with more than one input (order, address, safe times, another safe way, security code) have their own
form classes. Checks and normalisation come from services/preference_rules.py, so every way in gives
the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError

from portal.services.preferences import labels, rules

Doc = dict[str, Any]
YES, NO = "yes", "no"
OFFICER_ONLY = "officer-only"
NONE = "none"


class AnswerForm(FlaskForm):
    """A page with one answer; the field is set up by the step (see `Step.form`)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Any
    hint: Any = None


@dataclass(frozen=True)
class Step:
    name: str
    section: str
    kind: str  # "radios", "checkboxes", "text" or "custom"
    title: Any
    applies: Callable[[Doc], bool] = lambda doc: True
    hint: Any = None
    choices: Callable[[Doc], list[Choice]] = lambda doc: []
    load: Callable[[Doc], Any] = lambda doc: None
    store: Callable[[Any, Doc], None] = lambda value, doc: None
    required: Any = None  # the error when nothing is chosen or entered; None: optional
    exclusive: str | None = None  # the "none of these" checkbox
    normalise: Callable[[str, Doc], str] | None = None  # text: ValueError(message) if invalid
    autocomplete: str | None = None
    width: str = "govuk-!-width-two-thirds"
    extra: dict[str, Any] = field(default_factory=dict)

    def form(self, doc: Doc, formdata: Any = None) -> FlaskForm:
        """A bound form for this step, prefilled from the draft on GET."""
        step = self
        attrs: dict[str, Any] = {}
        choices = [SelectChoice(c.value, str(c.label)) for c in self.choices(doc)]
        if self.kind == "radios":
            attrs["answer"] = RadioField(choices=choices, validate_choice=False)
        elif self.kind == "checkboxes":
            attrs["answer"] = SelectMultipleField(choices=choices, validate_choice=False)
        else:
            attrs["answer"] = StringField()

        def validate_answer(form: FlaskForm, answer: Any) -> None:
            step.check(answer, doc)

        attrs["validate_answer"] = validate_answer
        form_class = type(f"{self.name.title().replace('-', '')}Form", (AnswerForm,), attrs)
        if formdata is None:
            value = self.load(doc)
            return form_class(formdata=None, data={"answer": value})
        return form_class(formdata=formdata)

    def check(self, answer: Any, doc: Doc) -> None:
        data = answer.data
        allowed = {c.value for c in self.choices(doc)}
        if self.kind == "radios" and data not in allowed:
            raise ValidationError(str(self.required or _l("Select from the list")))
        if self.kind == "checkboxes":
            data = list(data or [])
            if not set(data) <= allowed:
                raise ValidationError(str(_l("Select from the list")))
            if not data and self.required:
                raise ValidationError(str(self.required))
            if self.exclusive and self.exclusive in data and len(data) > 1:
                raise ValidationError(str(self.extra.get("exclusive_error", self.required)))
            return
        if not (data or "").strip():
            if self.required:
                raise ValidationError(str(self.required))
            answer.data = None
            return
        if self.kind == "text" and self.normalise is not None:
            if len(data) > rules.MAX_TEXT * 3:
                raise ValidationError(str(_l("Enter %(n)d characters or fewer", n=rules.MAX_TEXT)))
            try:
                answer.data = self.normalise(data, doc)
            except ValueError as error:
                raise ValidationError(str(error)) from None


# --- Pages with more than one input ------------------------------------------------------------


def order_form(doc: Doc, formdata: Any = None) -> FlaskForm:
    """One select per chosen channel: 1 = try first."""
    channels = list(doc["channels"])
    positions = [SelectChoice(str(n), str(n)) for n in range(1, len(channels) + 1)]
    attrs = {f"rank_{c}": SelectField(str(labels.CHANNEL_LABELS[c]), choices=positions) for c in channels}

    def validate(form: FlaskForm, extra_validators: Any = None) -> bool:
        ok = FlaskForm.validate(form, extra_validators)
        ranks = [getattr(form, f"rank_{c}").data for c in channels]
        if ok and len(set(ranks)) != len(ranks):
            getattr(form, f"rank_{channels[0]}").errors.append(str(_l("Give each way a different number")))
            return False
        return ok

    attrs["validate"] = validate
    form_class = type("OrderForm", (FlaskForm,), attrs)
    if formdata is None:
        return form_class(formdata=None, data={f"rank_{c}": str(i) for i, c in enumerate(channels, start=1)})
    return form_class(formdata=formdata)


def ranked_channels(form: FlaskForm, doc: Doc) -> list[str]:
    return sorted(doc["channels"], key=lambda c: int(getattr(form, f"rank_{c}").data))


class AddressForm(FlaskForm):
    line_1 = StringField(_l("Address line 1"))
    line_2 = StringField(_l("Address line 2 (optional)"))
    town = StringField(_l("Town or city"))
    postcode = StringField(_l("Postcode"))

    def validate_line_1(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter address line 1, typically the building and street")))
        if len(field.data) > rules.MAX_TEXT:
            raise ValidationError(str(_l("Address line 1 must be 100 characters or less")))

    def validate_line_2(self, field: StringField) -> None:
        if len(field.data or "") > rules.MAX_TEXT:
            raise ValidationError(str(_l("Address line 2 must be 100 characters or less")))

    def validate_town(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter town or city")))
        if len(field.data) > rules.MAX_TEXT:
            raise ValidationError(str(_l("Town or city must be 100 characters or less")))

    def validate_postcode(self, field: StringField) -> None:
        try:
            field.data = rules.normalise_postcode(field.data or "")
        except ValueError as error:
            raise ValidationError(
                str(_l("Enter a full UK postcode")) if not field.data else str(error)
            ) from None

    def lines(self) -> list[str]:
        return [
            v.strip()
            for v in (self.line_1.data, self.line_2.data, self.town.data, self.postcode.data)
            if v and v.strip()
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        """Each field, then the address as a whole as GOV.UK Notify would post a letter to it."""
        if not super().validate(extra_validators):
            return False
        problem = rules.address_problem(self.lines())
        if problem is None:
            return True
        field = self.postcode if problem == str(rules.POSTCODE_FORMAT) else self.line_1
        field.errors = [*field.errors, problem]
        return False

    @classmethod
    def from_lines(cls, lines: list[str] | None) -> AddressForm:
        parts = list(lines or [])
        data = {}
        if len(parts) >= 3:
            data = {
                "line_1": parts[0],
                "line_2": ", ".join(parts[1:-2]),
                "town": parts[-2],
                "postcode": parts[-1],
            }
        return cls(formdata=None, data=data)


class TimesForm(FlaskForm):
    safe_from = StringField(_l("From"))
    safe_to = StringField(_l("To"))

    def validate_safe_from(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter the start time, like 09:00")))
        try:
            field.data = rules.parse_time(field.data).strftime("%H:%M")
        except ValueError:
            raise ValidationError(str(_l("Enter the start time in the 24-hour clock, like 09:00"))) from None

    def validate_safe_to(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter the end time, like 17:00")))
        try:
            end = rules.parse_time(field.data)
        except ValueError:
            raise ValidationError(str(_l("Enter the end time in the 24-hour clock, like 17:00"))) from None
        field.data = end.strftime("%H:%M")
        try:
            start = rules.parse_time(self.safe_from.data or "")
        except ValueError:
            return
        if end <= start:
            raise ValidationError(str(rules.END_BEFORE_START))


class AlternativeForm(FlaskForm):
    alternative_phone = StringField(_l("Phone number (optional)"))
    alternative_email = StringField(_l("Email address (optional)"))
    alternative_address = TextAreaField(_l("Postal address (optional)"))

    def validate_alternative_phone(self, field: StringField) -> None:
        if (field.data or "").strip():
            try:
                field.data = rules.normalise_phone(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_alternative_email(self, field: StringField) -> None:
        if (field.data or "").strip():
            try:
                field.data = rules.normalise_email(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_alternative_address(self, field: TextAreaField) -> None:
        if (field.data or "").strip():
            try:
                rules.normalise_address((field.data or "").splitlines())
            except ValueError as error:
                # Notify's reasons (a line's first character, no fixed abode, a postcode) are shown as
                # they are; anything else is about the shape of the address.
                notify_reason = str(error) in rules.address_messages()
                raise ValidationError(
                    str(error)
                    if notify_reason
                    else str(
                        _l("Enter the address on separate lines, with the town and then the postcode last")
                    )
                ) from None


class CodeForm(FlaskForm):
    code = StringField(_l("Security code"))

    def validate_code(self, field: StringField) -> None:
        value = (field.data or "").replace(" ", "").strip()
        if not value:
            raise ValidationError(str(_l("Enter the security code")))
        if not value.isdigit() or len(value) != 6:
            raise ValidationError(str(_l("Enter the security code in the correct format, like 123456")))
        field.data = value


# --- GOV.UK component parameters ---------------------------------------------------------------


def error_of(field: Any) -> dict[str, str] | None:
    return {"text": field.errors[0]} if field.errors else None


def raw_value(field: Any) -> str:
    """What the person typed (kept on an error), or the stored answer."""
    if field.raw_data:
        return str(field.raw_data[0])
    return "" if field.data is None else str(field.data)


def step_params(step: Step, form: FlaskForm, doc: Doc) -> dict[str, Any]:
    """Parameters for govukRadios / govukCheckboxes / govukInput: the question is the page heading."""
    answer = form.answer  # type: ignore[attr-defined]
    hint = {"text": str(step.hint)} if step.hint else None
    if step.kind in ("radios", "checkboxes"):
        selected = list(answer.data or []) if step.kind == "checkboxes" else [answer.data]
        items: list[dict[str, Any]] = []
        for choice in step.choices(doc):
            if choice.value == step.exclusive:
                items.append({"divider": str(_l("or"))})
            item: dict[str, Any] = {
                "value": choice.value,
                "text": str(choice.label),
                "checked": choice.value in selected,
            }
            if choice.hint:
                item["hint"] = {"text": str(choice.hint)}
            if choice.value == step.exclusive:
                item["behaviour"] = "exclusive"
            items.append(item)
        return {
            "idPrefix": "answer",
            "name": "answer",
            "fieldset": {
                "legend": {
                    "text": str(step.title),
                    "isPageHeading": True,
                    "classes": "govuk-fieldset__legend--l",
                }
            },
            "hint": hint,
            "errorMessage": error_of(answer),
            "items": items,
        }
    return {
        "id": "answer",
        "name": "answer",
        "label": {"text": str(step.title), "isPageHeading": True, "classes": "govuk-label--l"},
        "hint": hint,
        "value": raw_value(answer),
        "classes": step.width,
        "autocomplete": step.autocomplete,
        "spellcheck": False,
        "errorMessage": error_of(answer),
    }


def input_params(field: Any, classes: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "id": field.id,
        "name": field.name,
        "label": {"text": str(field.label.text)},
        "value": raw_value(field),
        "classes": classes,
        "errorMessage": error_of(field),
        **extra,
    }


def select_params(field: Any) -> dict[str, Any]:
    return {
        "id": field.id,
        "name": field.name,
        "label": {"text": str(field.label.text)},
        "errorMessage": error_of(field),
        "items": [
            {"value": choice.value, "text": str(choice.label), "selected": str(field.data) == choice.value}
            for choice in field.iter_choices()
        ],
    }
