"""One form for an officer to record the preferences and needs a victim gave by phone.

The same checks as the victim's question pages apply: they live in services/preferences/rules.py and
services/preferences/records.record_preferences, whose errors are shown against the fields here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from portal.services.preferences import labels, rules
from portal.web.forms import NoControlCharacters, checkboxes, choices, radios

YES_NO_UNKNOWN = [
    SelectChoice("yes", _l("Yes")),
    SelectChoice("no", _l("No")),
    SelectChoice("", _l("Not asked yet")),
]


def _rank(channel: str) -> SelectField:
    return SelectField(
        labels.CHANNEL_LABELS[channel],
        choices=[SelectChoice("", _l("Not used"))]
        + [SelectChoice(str(n), _l("Choice %(n)d", n=n)) for n in range(1, 5)],
        widget=GovSelect(),
        validate_choice=False,
    )


def _text(label: Any, named: Any, hint: Any = None) -> StringField:
    """One line of text; `named`: how an error names it."""
    return StringField(
        label, widget=GovTextInput(), description=hint, validators=[NoControlCharacters(named)]
    )


def _lines(label: Any, named: Any, hint: Any = None) -> TextAreaField:
    """Lines of text (an address); `named`: how an error names it."""
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        validators=[NoControlCharacters(named, multi_line=True)],
    )


class OfficerPreferencesForm(FlaskForm):
    rank_email = _rank("email")
    rank_sms = _rank("sms")
    rank_letter = _rank("letter")
    rank_phone = _rank("phone")
    officer_phone_only = BooleanField(
        _l("No messages – only a phone call from an officer"), widget=GovCheckboxInput()
    )
    safe = checkboxes(
        _l("Ways the victim confirmed are safe"),
        choices(labels.CHANNEL_LABELS),
        hint=_l("Never tick a way the victim has not confirmed."),
    )
    detailed = checkboxes(
        _l("Detailed messages (otherwise discreet)"),
        choices({c: labels.CHANNEL_LABELS[c] for c in rules.WRITTEN_CHANNELS}),
        hint=_l("Discreet messages say only that there is an update."),
    )
    email = _text(
        _l("Email address"),
        _l("Their email address"),
        _l("A new address is used only after the victim confirms it with a code."),
    )
    phone = _text(
        _l("Phone number"),
        _l("Their phone number"),
        _l("A new mobile number is used for texts only after the victim confirms it."),
    )
    address = _lines(
        _l("Postal address"),
        _l("Their postal address"),
        _l("One line each, with the town and then the postcode last."),
    )
    safe_days = checkboxes(_l("Safe days"), choices(labels.DAY_LABELS))
    safe_from = _text(
        _l("Safe from (UK time)"), _l("The earliest safe time"), _l("For example, 9am or 21:00")
    )
    safe_to = _text(_l("Safe until (UK time)"), _l("The latest safe time"), _l("For example, 5pm or 17:30"))
    urgent_any_time = RadioField(
        _l("Tell them at any time about release, escape and orders that protect them?"),
        choices=[
            SelectChoice("yes", _l("Yes, at any time")),
            SelectChoice("no", _l("No, only at safe times")),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
        description=_l(
            "Yes: news about release, escape or a court order that protects them is sent as soon as we "
            "have it, even outside their safe days and times. Only to ways they confirmed are safe."
        ),
    )
    alternative_phone = _text(_l("Another safe phone number (optional)"), _l("Their other safe phone number"))
    alternative_email = _text(
        _l("Another safe email address (optional)"), _l("Their other safe email address")
    )
    alternative_address = _lines(
        _l("Another safe postal address (optional)"), _l("Their other safe postal address")
    )
    frequency = radios(_l("How often"), choices(labels.FREQUENCY_LABELS))
    opted_out = checkboxes(_l("Updates the victim does not want"), choices(labels.CATEGORY_LABELS))
    language = radios(_l("Language"), choices(labels.LANGUAGE_LABELS))
    interpreter_needed = radios(
        _l("Needs an interpreter"), [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
    )
    interpreter_language = _text(_l("Interpreter language"), _l("The interpreter language"))
    accessibility = checkboxes(
        _l("Help with reading or communicating"), choices(labels.STAFF_ACCESSIBILITY_LABELS)
    )
    advocate_name = _text(
        _l("Person to speak on the victim's behalf"),
        _l("The name of the person who will speak on their behalf"),
    )
    support_referral = radios(_l("Referral to a support service"), YES_NO_UNKNOWN)
    special_measures = checkboxes(
        _l("Special measures at court"), choices(labels.STAFF_SPECIAL_MEASURE_LABELS)
    )
    pre_trial_visit = radios(_l("Pre-trial visit to the court"), YES_NO_UNKNOWN)
    wants_vps = radios(_l("Wants to make a Victim Personal Statement"), YES_NO_UNKNOWN)
    vcs_opt_in = radios(_l("Victim Contact Scheme"), YES_NO_UNKNOWN)

    TRI_STATE = ("support_referral", "pre_trial_visit", "wants_vps", "vcs_opt_in")
    TEXTS = (
        "email", "phone", "safe_from", "safe_to", "alternative_phone", "alternative_email",
        "interpreter_language", "advocate_name",
    )  # fmt: skip
    LISTS = ("safe_days", "opted_out", "accessibility", "special_measures")
    #: Where an error on a document key is shown.
    ERROR_FIELDS = {"channels": "rank_email", "safe": "safe", "detailed": "detailed"}

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> OfficerPreferencesForm:
        data: dict[str, Any] = {f"rank_{c}": str(n) for n, c in enumerate(document["channels"], start=1)}
        data["officer_phone_only"] = bool(document["officer_phone_only"])
        data["safe"] = [c for c, flag in document["safe"].items() if flag]
        data["detailed"] = [c for c, flag in document["detailed"].items() if flag]
        for key in (*cls.TEXTS, *cls.LISTS, "frequency", "language"):
            data[key] = document.get(key)
        data["phone"] = rules.display_phone(document.get("phone")) or None
        data["alternative_phone"] = rules.display_phone(document.get("alternative_phone")) or None
        for key in ("address", "alternative_address"):
            data[key] = "\n".join(document.get(key) or [])
        data["interpreter_needed"] = "yes" if document["interpreter_needed"] else "no"
        data["urgent_any_time"] = "yes" if document.get("urgent_any_time") else "no"
        for key in cls.TRI_STATE:
            data[key] = "" if document.get(key) is None else ("yes" if document[key] else "no")
        return cls(formdata=None, data=data)

    def changes(self) -> dict[str, Any]:
        """The answers as a changes document for record_preferences (which validates them)."""
        ranked = [
            (getattr(self, f"rank_{c}").data, c) for c in rules.CHANNELS if getattr(self, f"rank_{c}").data
        ]
        if len({rank for rank, _ in ranked}) != len(ranked):
            raise ValueError("ranks")
        changes: dict[str, Any] = {
            "channels": [c for _, c in sorted(ranked)],
            "officer_phone_only": bool(self.officer_phone_only.data),
            "safe": {c: c in (self.safe.data or []) for c in rules.CHANNELS},
            "detailed": {c: c in (self.detailed.data or []) for c in rules.WRITTEN_CHANNELS},
            "frequency": self.frequency.data,
            "language": self.language.data,
            "interpreter_needed": self.interpreter_needed.data == "yes",
            "urgent_any_time": self.urgent_any_time.data == "yes",
        }
        for key in self.TEXTS:
            changes[key] = (getattr(self, key).data or "").strip() or None
        for key in self.LISTS:
            changes[key] = list(getattr(self, key).data or [])
        for key in ("address", "alternative_address"):
            text = (getattr(self, key).data or "").strip()
            changes[key] = text.splitlines() if text else None
        for key in self.TRI_STATE:
            value = getattr(self, key).data
            changes[key] = None if not value else value == "yes"
        return changes

    def given(self, key: str) -> Any:
        """What the form sent for a document key (the channels: those given a choice number)."""
        if key == "channels":
            return [c for c in rules.CHANNELS if getattr(self, f"rank_{c}").data]
        field = getattr(self, key, None)
        return field.data if field is not None else None

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """The rules' errors against their fields, each naming the answer, about the victim."""
        for key, message in errors.items():
            name = self.ERROR_FIELDS.get(key, key)
            field = getattr(self, name, None) or self.rank_email
            text = labels.staff_error(key, message, self.given(key))
            field.errors = [*list(field.errors or []), text]
