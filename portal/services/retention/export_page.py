"""The readable web page of "Download your information" (export.py holds what is in it), in the victim's
language: labels, yes and no, channels, delivery statuses and preferences in words; each update worded
as on their timeline. The agency's own words sent in English only are given with `english_words`, for the
page to mark them `lang="en"` and say so once per update (vocabulary/free_text.py).

Dates and times are formatted by the page (GOV.UK style, UK time, month names in the page's language):
`moment` reads the ISO 8601 values of the information back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from portal.services.cases.officer_views import DELIVERY_LABELS
from portal.services.court_needs import labels as court_labels
from portal.services.preferences import labels as preference_labels
from portal.services.preferences.records import Preferences
from portal.services.vocabulary import AGENCY_LABELS, Agency, describe, free_text

KIND_LABELS = {"email": _l("Email address"), "phone": _l("Phone number"), "address": _l("Address")}
SECURITY_CODE_LABELS = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "totp": _l("Authenticator app"),
}


def moment(value: str | None) -> datetime | date | None:
    """An ISO 8601 date or date and time from the information, to be formatted by the page."""
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == len("2027-03-14") else datetime.fromisoformat(value)


def readable(value: Any) -> str:
    """A value from the information as words for the readable page (never "None")."""
    if value is None or value == "" or value == [] or value == {}:
        return str(_l("Not given"))
    if isinstance(value, bool):
        return str(_l("Yes")) if value else str(_l("No"))
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key.replace('_', ' ')}: {readable(item)}" for key, item in value.items())
    return str(value)


def label(kind: str, code: str | None) -> str:
    """A code from the information in words: `kind` "agency", "channel", "status", "contact" or
    "security-codes"; the code itself when it has no words here."""
    if not code:
        return readable(code)
    if kind == "agency":
        return str(AGENCY_LABELS[Agency(code)]) if code in set(Agency) else code
    labels: Mapping[str, object] = {
        "channel": preference_labels.CHANNEL_LABELS,
        "status": DELIVERY_LABELS,
        "contact": KIND_LABELS,
        "security-codes": SECURITY_CODE_LABELS,
    }[kind]
    return str(labels.get(code, code))


def preference_rows(document: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """One version of the preferences and needs as (question, answer lines), as the portal shows them."""
    try:
        prefs = Preferences.from_document(document)
    except (KeyError, TypeError, ValueError):
        return [(key.replace("_", " ").capitalize(), (readable(value),)) for key, value in document.items()]
    return [(row.label, row.lines) for row in preference_labels.summary_rows(prefs)]


def court_needs_rows(document: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """One version of the dates to avoid and needs at court as (question, answer lines), in words; the
    dates in GOV.UK style in the page's language."""
    dates = []
    for item in document.get("dates") or ():
        when = moment(str(item.get("date") or ""))
        part = court_labels.PART_LABELS.get(item.get("part"), item.get("part"))
        reason = court_labels.REASON_LABELS.get(item.get("reason"), item.get("reason"))
        day = format_date(when, "d MMMM y") if when else readable(None)
        dates.append(f"{day}: {part}, {reason}")
    needs = [str(court_labels.NEED_LABELS.get(need, need)) for need in document.get("needs") or ()]
    return [
        (str(court_labels.FIELD_LABELS["dates"]), tuple(dates) or (readable(None),)),
        (str(_l("Help you need at court")), tuple(needs) or (readable(None),)),
        (
            str(court_labels.FIELD_LABELS["interpreter_language"]),
            (readable(document.get("interpreter_language")),),
        ),
        (str(court_labels.FIELD_LABELS["access_needs"]), (readable(document.get("access_needs")),)),
        (str(court_labels.FIELD_LABELS["anything_else"]), (readable(document.get("anything_else")),)),
    ]


def court_changed_labels(fields: list[str]) -> str:
    """What changed in a version of the dates to avoid and needs at court, in words."""
    return ", ".join(court_labels.changed_labels(fields)) or readable(None)


def changed_labels(fields: list[str]) -> str:
    """What changed in a version of the preferences, in words."""
    return ", ".join(preference_labels.changed_labels(fields)) or readable(None)


@dataclass(frozen=True)
class UpdateWords:
    """One update of the download as the victim reads it on their timeline."""

    what_this_means: str
    what_happens_next: str
    message: str | None
    message_in_english_only: bool
    english_words: tuple[str, ...]


def update_words(update: Mapping[str, Any]) -> UpdateWords:
    """The words of an update of the information (export.py's `cases[].updates[]`) in the current locale.
    Its details as the agency sent them stay in the file, whether or not they could be worded."""
    welsh = str(get_locale() or "en") == "cy"
    details = update.get("details") or {}
    message = (update.get("message_cy") if welsh else None) or update.get("message")
    words: tuple[str, ...] = ()
    try:
        wording = describe(
            update["event_type"], details, occurred_at=datetime.fromisoformat(update["happened_at"])
        )
    except (LookupError, ValueError):
        means, then = "", ""
    else:
        means, then = wording.what_this_means, wording.what_happens_next
        words = free_text.shown_in(free_text.english_words(update["event_type"], details), means, then)
    message_in_english_only = welsh and bool(message) and not update.get("message_cy")
    words = words if welsh else ()
    return UpdateWords(
        what_this_means=means,
        what_happens_next=then,
        message=message,
        message_in_english_only=message_in_english_only,
        english_words=words,
    )


def detail_rows(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An update's details as the agency sent them, as (name, value) lines: the names are the API's."""
    return [
        (key.replace("_", " ").capitalize(), readable(value))
        for key, value in details.items()
        if value not in (None, "")
    ]


#: What the page uses, as `page.<name>` (the route hands it to the template).
PAGE = SimpleNamespace(
    moment=moment,
    readable=readable,
    label=label,
    preference_rows=preference_rows,
    changed_labels=changed_labels,
    court_needs_rows=court_needs_rows,
    court_changed_labels=court_changed_labels,
    update_words=update_words,
    detail_rows=detail_rows,
)
