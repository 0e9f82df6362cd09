"""The forms of the question pages, with GOV.UK Frontend widgets.

A page with one question has a `QuestionForm` whose field `answer` is made from the step's data
(preferences_steps.py); pages with more than one input (order, address, safe times, another safe way)
have a `DocumentForm` each, and the security-code pages a `CodeForm`. Checks and tidying come from
services/preferences/rules.py, so every way in gives the same answers.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.validators import ValidationError

from portal.services.preferences import labels, rules
from portal.victim.preferences_step import CHECKBOXES, ORDER_REQUIRED, ORDER_TITLES, TEXT, Doc, Step
from portal.web.forms import NoControlCharacters, checkboxes, choices, radios


class KeepsWhatWasTyped:
    """When the page comes back with an error, the input shows what was typed, not what a check made
    of it (9:00, not 09:00)."""

    raw_data: list[Any] | None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return super()._value()  # type: ignore[misc]  # WTForms' StringField._value is untyped


class TypedStringField(KeepsWhatWasTyped, StringField):
    pass


class TypedTextAreaField(KeepsWhatWasTyped, TextAreaField):
    pass


def typed(label: Any, named: Any) -> TypedStringField:
    """One line the victim types; `named`: how an error names it (NoControlCharacters)."""
    return TypedStringField(label, widget=GovTextInput(), validators=[NoControlCharacters(named)])


# --- One question ------------------------------------------------------------------------------


class QuestionForm(FlaskForm):
    """A page with one question: `answer`, added by `question_form` from the step."""

    answer: Field

    def __init__(self, step: Step, doc: Doc, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step, self.doc = step, doc

    def validate_answer(self, field: Field) -> None:
        if self.step.kind == CHECKBOXES:
            check_choices(self.step, field)
        elif self.step.kind == TEXT:
            check_text(self.step, field, self.doc)
        elif field.data not in self.step.choices:
            raise ValidationError(str(self.step.required))


def answer_field(step: Step) -> Field:
    if step.kind == TEXT:
        return typed(step.title, step.answer_named)
    if step.kind == CHECKBOXES:
        return checkboxes(step.title, choices(step.choices), exclusive=step.exclusive)
    return radios(step.title, choices(step.choices))


def question_form(step: Step, doc: Doc, *, answered: bool, formdata: Any = None) -> QuestionForm:
    """The step's form: what was sent, or (formdata None) the answer in the draft."""

    class StepForm(QuestionForm):
        answer = answer_field(step)

    if formdata is None:
        return StepForm(step, doc, formdata=None, data={"answer": step.load(doc, answered=answered)})
    return StepForm(step, doc, formdata=formdata)


def check_choices(step: Step, field: Field) -> None:
    chosen = list(field.data or [])
    if not set(chosen) <= set(step.choices):
        raise ValidationError(str(_l("Select from the list")))
    if not chosen and step.required:
        raise ValidationError(str(step.required))
    if step.exclusive in chosen and len(chosen) > 1:
        raise ValidationError(str(step.exclusive_error))


def check_text(step: Step, field: Field, doc: Doc) -> None:
    """Required, not absurdly long, then tidied by the step's `clean` (ValueError: its message)."""
    text = field.data or ""
    if not text.strip():
        raise ValidationError(str(step.required))
    if len(text) > rules.MAX_TEXT * 3:
        raise ValidationError(str(_l("Enter %(n)d characters or fewer", n=rules.MAX_TEXT)))
    if step.clean is not None:
        try:
            field.data = step.clean(text, doc)
        except ValueError as error:
            raise ValidationError(str(error)) from None


# --- Pages with more than one input ------------------------------------------------------------


class DocumentForm(FlaskForm):
    """A page of several inputs over some keys of the draft document. Each page's form (OrderForm,
    AddressForm, TimesForm, AlternativeForm) says how its inputs are filled from the draft (`initial`)
    and written back (`update`); tests/preferences check that every one does."""

    #: Whether the inputs stay empty until the victim answers the page (its answers are safety settings
    #: whose defaults the victim did not choose), rather than showing the draft's values.
    empty_until_answered = False

    @classmethod
    def for_document(cls, doc: Doc, formdata: Any = None, *, answered: bool = True) -> DocumentForm:
        """What was sent, or (formdata None) the answers in the draft."""
        if formdata is None:
            shown = cls.initial(doc) if answered or not cls.empty_until_answered else {}
            return cls(formdata=None, data=shown)
        return cls(formdata=formdata)

    @classmethod
    def initial(cls, doc: Doc) -> dict[str, Any]:
        """The inputs' values from the draft document."""
        raise NotImplementedError(f"{cls.__name__} must say how its inputs are filled from the draft")

    def update(self, doc: Doc) -> None:
        """Write the checked answers into the draft document."""
        raise NotImplementedError(f"{type(self).__name__} must say how its answers are written to the draft")


def order_hint(placed: tuple[str, ...]) -> str:
    """What the radios' hint says of the ways placed already."""
    named = [str(labels.CHANNEL_LABELS[c]).lower() for c in placed]
    if not named:
        return str(_l("If we cannot reach you this way, we will try the next way you chose."))
    if len(named) == 1:
        return str(
            _l(
                "We will try %(first)s first. If that does not work, which should we try next?",
                first=named[0],
            )
        )
    return str(
        _l(
            "We will try %(first)s first, then %(second)s. If neither works, which should we try after that?",
            first=named[0],
            second=named[1],
        )
    )


class OrderForm(DocumentForm):
    """Which of the chosen ways we try at `position` (0: first), as radios of the ways not yet placed:
    with two ways one question ("Which should we try first?"), with three or four a question for each
    place but the last (preferences_steps.py). The answer moves that way to its place in `channels`; the
    ways after it keep their order. No way is selected until the victim answers."""

    position = 0
    placed: tuple[str, ...] = ()  # the ways placed before `position`, in order
    rest: tuple[str, ...] = ()  # the ways to choose from
    choice: Field

    @classmethod
    def for_document(cls, doc: Doc, formdata: Any = None, *, answered: bool = True) -> DocumentForm:
        channels = tuple(doc["channels"])
        rest = channels[cls.position :]
        options = choices({c: labels.CHANNEL_LABELS[c] for c in rest})
        attributes = {
            "placed": channels[: cls.position],
            "rest": rest,
            "choice": RadioField(
                ORDER_TITLES[cls.position],
                choices=options,
                widget=GovRadioInput(),
                validate_choice=False,
                description=order_hint(channels[: cls.position]),
            ),
        }
        form_class: type[OrderForm] = type(cls.__name__, (cls,), attributes)
        if formdata is None:
            return form_class(formdata=None, data=form_class.initial(doc) if answered else {})
        return form_class(formdata=formdata)

    @classmethod
    def initial(cls, doc: Doc) -> dict[str, Any]:
        return {"choice": doc["channels"][cls.position]}

    def validate_choice(self, field: Field) -> None:
        if field.data not in self.rest:
            raise ValidationError(str(ORDER_REQUIRED[self.position]))

    def update(self, doc: Doc) -> None:
        chosen = self.choice.data
        doc["channels"] = [*self.placed, chosen, *(c for c in self.rest if c != chosen)]


class NextChoiceForm(OrderForm):
    position = 1


class ThirdChoiceForm(OrderForm):
    position = 2


class AddressForm(DocumentForm):
    line_1 = typed(_l("Address line 1"), _l("Address line 1"))
    line_2 = typed(_l("Address line 2 (optional)"), _l("Address line 2"))
    town = typed(_l("Town or city"), _l("Town or city"))
    postcode = typed(_l("Postcode"), _l("Postcode"))

    @classmethod
    def initial(cls, doc: Doc) -> dict[str, Any]:
        """Line 1, the lines between (as line 2), the town and the postcode last."""
        parts = list(doc["address"] or [])
        if len(parts) < 3:
            return {}
        return {
            "line_1": parts[0],
            "line_2": ", ".join(parts[1:-2]),
            "town": parts[-2],
            "postcode": parts[-1],
        }

    def validate_line_1(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter address line 1, typically the building and street")))
        if len(field.data) > rules.MAX_TEXT:
            raise ValidationError(str(_l("Address line 1 must be 100 characters or less")))

    def validate_line_2(self, field: Field) -> None:
        if len(field.data or "") > rules.MAX_TEXT:
            raise ValidationError(str(_l("Address line 2 must be 100 characters or less")))

    def validate_town(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Enter town or city")))
        if len(field.data) > rules.MAX_TEXT:
            raise ValidationError(str(_l("Town or city must be 100 characters or less")))

    def validate_postcode(self, field: Field) -> None:
        try:
            field.data = rules.normalise_postcode(field.data or "")
        except ValueError as error:
            raise ValidationError(
                str(_l("Enter a full UK postcode")) if not field.data else str(error)
            ) from None

    def lines(self) -> list[str]:
        values = (self.line_1.data, self.line_2.data, self.town.data, self.postcode.data)
        return [v.strip() for v in values if v and v.strip()]

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

    def update(self, doc: Doc) -> None:
        doc["address"] = self.lines()


class TimesForm(DocumentForm):
    """The safe times, typed as people write them ("9am", "21:00", "0900": rules.parse_time) and kept
    as "HH:MM". Empty until the victim answers: 9am to 5pm is a default, not their answer."""

    safe_from = typed(_l("From"), _l("The earliest time it is safe to contact you"))
    safe_to = typed(_l("To"), _l("The latest time it is safe to contact you"))
    empty_until_answered = True

    @classmethod
    def initial(cls, doc: Doc) -> dict[str, Any]:
        return {"safe_from": doc["safe_from"], "safe_to": doc["safe_to"]}

    def validate_safe_from(self, field: Field) -> None:
        try:
            field.data = rules.normalise_safe_time("safe_from", field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_safe_to(self, field: Field) -> None:
        try:
            field.data = rules.normalise_safe_time("safe_to", field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        try:
            start = rules.parse_time(self.safe_from.data or "")
        except ValueError:
            return
        if rules.parse_time(field.data) <= start:
            raise ValidationError(str(rules.END_BEFORE_START))

    def update(self, doc: Doc) -> None:
        doc["safe_from"], doc["safe_to"] = self.safe_from.data, self.safe_to.data


class AlternativeForm(DocumentForm):
    alternative_phone = typed(_l("Phone number (optional)"), _l("The other phone number"))
    alternative_email = typed(_l("Email address (optional)"), _l("The other email address"))
    alternative_address = TypedTextAreaField(
        _l("Postal address (optional)"),
        widget=GovTextArea(),
        validators=[NoControlCharacters(_l("The other postal address"), multi_line=True)],
    )

    @classmethod
    def initial(cls, doc: Doc) -> dict[str, Any]:
        return {
            "alternative_phone": rules.display_phone(doc["alternative_phone"]),
            "alternative_email": doc["alternative_email"] or "",
            "alternative_address": "\n".join(doc["alternative_address"] or []),
        }

    def validate_alternative_phone(self, field: Field) -> None:
        if (field.data or "").strip():
            try:
                field.data = rules.normalise_phone(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_alternative_email(self, field: Field) -> None:
        if (field.data or "").strip():
            try:
                field.data = rules.normalise_email(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_alternative_address(self, field: Field) -> None:
        if (field.data or "").strip():
            try:
                rules.normalise_address((field.data or "").splitlines())
            except ValueError as error:
                # Notify's reasons (a line's first character, no fixed abode, a postcode) are shown as
                # they are; anything else is about the shape of the address.
                shape = _l("Enter the address on separate lines, with the town and then the postcode last")
                raise ValidationError(
                    str(error) if str(error) in rules.address_messages() else str(shape)
                ) from None

    def update(self, doc: Doc) -> None:
        doc["alternative_phone"] = self.alternative_phone.data or None
        doc["alternative_email"] = self.alternative_email.data or None
        text = (self.alternative_address.data or "").strip()
        doc["alternative_address"] = rules.normalise_address(text.splitlines()) if text else None


# --- Security codes ----------------------------------------------------------------------------


class CodeForm(FlaskForm):
    """The code sent to confirm an email address or phone number: spaces are ignored. (Not the shared
    CodeForm of portal/web/forms.py: that one's checks and messages are the sign-in pages'.)"""

    code = typed(_l("Security code"), _l("Security code"))

    def validate_code(self, field: Field) -> None:
        value = (field.data or "").replace(" ", "").strip()
        if not value:
            raise ValidationError(str(_l("Enter the security code")))
        if not value.isdigit() or len(value) != 6:
            raise ValidationError(str(_l("Enter the security code in the correct format, like 123456")))
        field.data = value
