"""The support worker's form for changing what a client needs and how often they hear from us.

Only the answers a worker may change are here (services/delegation_rules.py WORKER_CHANGEABLE_KEYS); the
checks are the ones every way in uses (services/preferences.record_preferences), whose errors are shown
against these fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import SelectChoice, StringField

from portal.services.preferences import labels
from portal.web.forms import NoControlCharacters, checkboxes, choices, radios

YES_NO = [SelectChoice("yes", str(_l("Yes"))), SelectChoice("no", str(_l("No")))]
YES_NO_UNKNOWN = [*YES_NO, SelectChoice("", str(_l("Not asked yet")))]


class NeedsForm(FlaskForm):
    frequency = radios(_l("How often they hear from us"), choices(labels.FREQUENCY_LABELS))
    opted_out = checkboxes(_l("Updates they do not want"), choices(labels.CATEGORY_LABELS))
    language = radios(_l("Language"), choices(labels.LANGUAGE_LABELS))
    interpreter_needed = radios(_l("Do they need an interpreter?"), YES_NO)
    interpreter_language = StringField(
        _l("Which language? (if they need an interpreter)"),
        widget=GovTextInput(),
        validators=[NoControlCharacters(_l("The interpreter language"))],
    )
    accessibility = checkboxes(
        _l("Help with reading or communicating"), choices(labels.STAFF_ACCESSIBILITY_LABELS)
    )
    advocate_name = StringField(
        _l("Name of the person who speaks for them (if any)"),
        widget=GovTextInput(),
        validators=[NoControlCharacters(_l("The name of the person who speaks for them"))],
    )
    support_referral = radios(_l("Do they want a referral to a support service?"), YES_NO_UNKNOWN)
    special_measures = checkboxes(
        _l("Help when giving evidence (special measures)"), choices(labels.STAFF_SPECIAL_MEASURE_LABELS)
    )
    pre_trial_visit = radios(_l("Do they want to visit the court before the trial?"), YES_NO_UNKNOWN)
    wants_vps = radios(_l("Do they want to make a Victim Personal Statement?"), YES_NO_UNKNOWN)
    vcs_opt_in = radios(_l("Do they want to join the Victim Contact Scheme?"), YES_NO_UNKNOWN)

    TRI_STATE = ("support_referral", "pre_trial_visit", "wants_vps", "vcs_opt_in")
    LISTS = ("opted_out", "accessibility", "special_measures")
    TEXTS = ("interpreter_language", "advocate_name")

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> NeedsForm:
        data: dict[str, Any] = {key: document.get(key) for key in (*cls.LISTS, *cls.TEXTS)}
        data["frequency"] = document.get("frequency")
        data["language"] = document.get("language")
        data["interpreter_needed"] = "yes" if document.get("interpreter_needed") else "no"
        for key in cls.TRI_STATE:
            value = document.get(key)
            data[key] = "" if value is None else ("yes" if value else "no")
        return cls(formdata=None, data=data)

    def changes(self) -> dict[str, Any]:
        """The answers as a changes document for record_preferences (which validates them)."""
        changes: dict[str, Any] = {
            "frequency": self.frequency.data,
            "language": self.language.data,
            "interpreter_needed": self.interpreter_needed.data == "yes",
        }
        for key in self.LISTS:
            changes[key] = list(getattr(self, key).data or [])
        for key in self.TEXTS:
            changes[key] = (getattr(self, key).data or "").strip() or None
        for key in self.TRI_STATE:
            value = getattr(self, key).data
            changes[key] = None if not value else value == "yes"
        return changes

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """The rules' errors against their fields, each naming the answer, about the victim."""
        for key, message in errors.items():
            field = getattr(self, key, None) or self.frequency
            given = field.data if getattr(self, key, None) is not None else None
            field.errors = [*list(field.errors or []), labels.staff_error(key, message, given)]
