"""Preferences and needs in words: the labels the question pages, summaries and history show.

`summary_rows(prefs)` gives one row per answer (a GOV.UK summary list row), each with the question page
(`step`) that changes it and the document keys it shows, so a page can tag the rows that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import time

from flask_babel import lazy_gettext as _l

from portal.services.preferences.contact_points import MISSING, UNUSABLE, UNVERIFIED
from portal.services.preferences.records import Preferences
from portal.services.preferences.rules import (
    CHANNEL_KIND,
    DAYS,
    MAX_TEXT,
    WRITTEN_CHANNELS,
    asks_urgent_any_time,
    display_phone,
    parse_time,
)

CHANNEL_LABELS = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "letter": _l("Letter"),
    "phone": _l("Phone call from an officer"),
}
#: The answer to "How can we contact you?" that means no messages at all: worded so that it cannot be
#: taken for the channel "Phone call from an officer" beside it.
OFFICER_ONLY_CHOICE = _l("Do not send me messages – only an officer should phone me, when it is safe")
OFFICER_ONLY_HINT = _l("We will not email, text or write to you.")
OFFICER_ONLY_ROW = _l("No messages – only an officer phones you, when it is safe")
STAFF_OFFICER_ONLY_ROW = _l("No messages – only an officer phones them, when it is safe")
SAFE_QUESTIONS = {
    "email": _l("Is it safe for us to email you?"),
    "sms": _l("Is it safe for us to send you text messages?"),
    "letter": _l("Is it safe for us to send you letters?"),
    "phone": _l("Is it safe for an officer to phone you?"),
}
WORDING_QUESTIONS = {
    "email": _l("What should our emails say?"),
    "sms": _l("What should our text messages say?"),
    "letter": _l("What should our letters say?"),
}
DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
URGENT_ANY_TIME_QUESTION = _l(
    "Should we tell you at any time about release, escape and orders that protect you?"
)
URGENT_ANY_TIME_HINT = _l(
    "We will send news about release, escape or a court order that protects you as soon as we have it, "
    "even outside the times you chose."
)
URGENT_ANY_TIME_LABELS = {
    True: _l("Yes, tell me at any time"),
    False: _l("No, only at the safe times I chose"),
}
URGENT_ANY_TIME_ROW = _l("News about release, escape and orders that protect you")
FREQUENCY_LABELS = {
    "every-update": _l("Every update"),
    "key-milestones": _l("Key milestones only"),
    "daily-digest": _l("One message a day with all the updates"),
}
LANGUAGE_LABELS = {
    "en": _l("English"),
    "cy": _l("Welsh (Cymraeg)"),
    "both": _l("Welsh and English (Cymraeg a Saesneg)"),
}
ACCESSIBILITY_LABELS = {
    "large-print": _l("Large print"),
    "easy-read": _l("Easy read"),
    "bsl": _l("British Sign Language (BSL)"),
    "braille": _l("Braille"),
    "screen-reader": _l("Documents that work with a screen reader"),
    "advocate": _l("Someone to speak on my behalf"),
}
SPECIAL_MEASURE_LABELS = {
    "screens": _l("Screens, so you do not see the defendant"),
    "video-link": _l("Giving evidence by video link"),
    "evidence-in-private": _l("Giving evidence in private"),
}
CATEGORY_LABELS = {
    "investigation": _l("The police investigation"),
    "charge-and-prosecution": _l("Charges and the prosecution"),
    "court": _l("Court hearings"),
    "outcome": _l("Verdict, sentence and appeals"),
    "victim-contact-scheme": _l("The Victim Contact Scheme"),
    "parole-and-release": _l("Parole and release"),
}
SOURCE_LABELS = {
    "victim online": _l("Online, by the victim"),
    "officer by phone": _l("By phone, with an officer"),
    "support worker": _l("By a support worker"),
    "agency at reporting": _l("By the agency, when the crime was reported"),
}
STATUS_LABELS = {
    UNVERIFIED: _l("not confirmed yet"),
    UNUSABLE: _l("cannot be used: messages to it failed"),
}
CONTACT_SECTION = "contact"
NEEDS_SECTION = "needs"


@dataclass(frozen=True)
class SummaryRow:
    step: str
    section: str
    label: str
    lines: tuple[str, ...]
    keys: tuple[str, ...]

    def changed_in(self, changed: Iterable[str]) -> bool:
        changed_set = set(changed)
        return any(key in changed_set for key in self.keys)


def format_time(value: time) -> str:
    """GOV.UK style: 9am, 5:30pm, midday, midnight."""
    if value == time(12, 0):
        return str(_l("midday"))
    if value == time(0, 0):
        return str(_l("midnight"))
    hour = value.hour % 12 or 12
    clock = str(hour) if value.minute == 0 else f"{hour}:{value.minute:02d}"
    # "9am", "5:30pm"; in Welsh "9yb", "5:30yh".
    return str(_l("%(clock)sam", clock=clock) if value.hour < 12 else _l("%(clock)spm", clock=clock))


def yes_no(value: bool | None) -> str:
    if value is None:
        return str(_l("Not answered"))
    return str(_l("Yes")) if value else str(_l("No"))


def _labels(values: Iterable[str], labels: dict[str, object], none: str) -> tuple[str, ...]:
    found = tuple(str(labels[value]) for value in labels if value in set(values))
    return found or (none,)


def _contact_line(value: str, status: str) -> tuple[str, ...]:
    return (value, f"({STATUS_LABELS[status]})") if status in STATUS_LABELS else (value,)


def _channels_lines(prefs: Preferences) -> tuple[str, ...]:
    if prefs.officer_phone_only:
        return (str(OFFICER_ONLY_ROW),)
    if not prefs.channels:
        return (str(_l("Not answered")),)
    return tuple(
        f"{position}. {CHANNEL_LABELS[channel]}" for position, channel in enumerate(prefs.channels, start=1)
    )


def _alternative_lines(prefs: Preferences) -> tuple[str, ...]:
    lines: list[str] = []
    if prefs.alternative_phone:
        lines.append(str(_l("Phone: %(number)s", number=display_phone(prefs.alternative_phone))))
    if prefs.alternative_email:
        lines.append(str(_l("Email: %(email)s", email=prefs.alternative_email)))
    if prefs.alternative_address:
        lines.append(str(_l("Address: %(address)s", address=", ".join(prefs.alternative_address))))
    return tuple(lines) or (str(_l("None given")),)


def _urgent_rows(prefs: Preferences) -> list[SummaryRow]:
    """When to send urgent safety news: asked only of a victim with a safe written channel."""
    if not asks_urgent_any_time(prefs.to_document()):
        return []
    when = (
        _l("At any time, as soon as we have it") if prefs.urgent_any_time else _l("Only at your safe times")
    )
    return [
        SummaryRow(
            "urgent-any-time", CONTACT_SECTION, str(URGENT_ANY_TIME_ROW), (str(when),), ("urgent_any_time",)
        )
    ]


def contact_rows(prefs: Preferences) -> list[SummaryRow]:
    status = prefs.contact_status
    rows = [
        SummaryRow(
            "channels",
            CONTACT_SECTION,
            str(_l("How we contact you, in order")),
            _channels_lines(prefs),
            ("channels", "officer_phone_only"),
        )
    ]
    kinds = {CHANNEL_KIND[channel] for channel in prefs.channels}
    if "email" in kinds:
        value = _contact_line(prefs.email or "", status.get("email", MISSING)) if prefs.email else ("",)
        rows.append(SummaryRow("email", CONTACT_SECTION, str(_l("Email address")), value, ("email",)))
    if "phone" in kinds:
        value = (
            _contact_line(display_phone(prefs.phone), status.get("phone", MISSING)) if prefs.phone else ("",)
        )
        rows.append(SummaryRow("phone", CONTACT_SECTION, str(_l("Phone number")), value, ("phone",)))
    if "address" in kinds:
        value = (
            _contact_line(", ".join(prefs.address), status.get("address", MISSING))
            if prefs.address
            else ("",)
        )
        rows.append(SummaryRow("address", CONTACT_SECTION, str(_l("Postal address")), value, ("address",)))
    if not prefs.officer_phone_only:
        for channel in prefs.channels:
            rows.append(
                SummaryRow(
                    f"safe-{channel}",
                    CONTACT_SECTION,
                    str(SAFE_QUESTIONS[channel]),
                    (yes_no(channel in prefs.safe),),
                    (f"safe.{channel}",),
                )
            )
    for channel in prefs.channels:
        if channel in WRITTEN_CHANNELS and channel in prefs.safe:
            wording = (
                _l("Details of the update")
                if channel in prefs.detailed
                else _l("Only that there is an update (discreet)")
            )
            rows.append(
                SummaryRow(
                    f"wording-{channel}",
                    CONTACT_SECTION,
                    str(WORDING_QUESTIONS[channel]),
                    (str(wording),),
                    (f"detailed.{channel}",),
                )
            )
    days = (
        (str(_l("Every day")),)
        if len(prefs.safe_days) == len(DAYS)
        else tuple(str(DAY_LABELS[day]) for day in prefs.safe_days)
    )
    rows += [
        SummaryRow("safe-days", CONTACT_SECTION, str(_l("Safe days")), days, ("safe_days",)),
        SummaryRow(
            "safe-times",
            CONTACT_SECTION,
            str(_l("Safe times")),
            (
                str(
                    _l(
                        "%(start)s to %(end)s, UK time",
                        start=format_time(prefs.safe_from),
                        end=format_time(prefs.safe_to),
                    )
                ),
            ),
            ("safe_from", "safe_to"),
        ),
        *_urgent_rows(prefs),
        SummaryRow(
            "alternative",
            CONTACT_SECTION,
            str(_l("Another safe way to reach you")),
            _alternative_lines(prefs),
            ("alternative_phone", "alternative_email", "alternative_address"),
        ),
        SummaryRow(
            "frequency",
            CONTACT_SECTION,
            str(_l("How often you hear from us")),
            (str(FREQUENCY_LABELS[prefs.frequency]),),
            ("frequency",),
        ),
        SummaryRow(
            "opt-outs",
            CONTACT_SECTION,
            str(_l("Updates you do not want")),
            _labels(prefs.opted_out, CATEGORY_LABELS, str(_l("None – you hear about everything"))),
            ("opted_out",),
        ),
    ]
    return rows


def needs_rows(prefs: Preferences) -> list[SummaryRow]:
    interpreter = (
        (str(_l("Yes, %(language)s", language=prefs.interpreter_language)),)
        if prefs.interpreter_needed
        else (str(_l("No")),)
    )
    accessibility = list(_labels(prefs.accessibility, ACCESSIBILITY_LABELS, str(_l("None"))))
    if prefs.advocate_name:
        accessibility.append(str(_l("Person to speak for you: %(name)s", name=prefs.advocate_name)))
    return [
        SummaryRow(
            "language",
            NEEDS_SECTION,
            str(_l("Language")),
            (str(LANGUAGE_LABELS[prefs.language]),),
            ("language",),
        ),
        SummaryRow(
            "interpreter",
            NEEDS_SECTION,
            str(_l("Interpreter")),
            interpreter,
            ("interpreter_needed", "interpreter_language"),
        ),
        SummaryRow(
            "accessibility",
            NEEDS_SECTION,
            str(_l("Help with reading or communicating")),
            tuple(accessibility),
            ("accessibility", "advocate_name"),
        ),
        SummaryRow(
            "support-referral",
            NEEDS_SECTION,
            str(_l("Referral to a support service")),
            (yes_no(prefs.support_referral),),
            ("support_referral",),
        ),
        SummaryRow(
            "court-help",
            NEEDS_SECTION,
            str(_l("Help when giving evidence (special measures)")),
            _labels(prefs.special_measures, SPECIAL_MEASURE_LABELS, str(_l("None"))),
            ("special_measures",),
        ),
        SummaryRow(
            "pre-trial-visit",
            NEEDS_SECTION,
            str(_l("Visit the court before the trial")),
            (yes_no(prefs.pre_trial_visit),),
            ("pre_trial_visit",),
        ),
        SummaryRow(
            "vps",
            NEEDS_SECTION,
            str(_l("Make a Victim Personal Statement")),
            (yes_no(prefs.wants_vps),),
            ("wants_vps",),
        ),
        SummaryRow(
            "vcs",
            NEEDS_SECTION,
            str(_l("Join the Victim Contact Scheme")),
            (yes_no(prefs.vcs_opt_in),),
            ("vcs_opt_in",),
        ),
    ]


def summary_rows(prefs: Preferences) -> list[SummaryRow]:
    return contact_rows(prefs) + needs_rows(prefs)


def changed_labels(changed_fields: Iterable[str]) -> list[str]:
    """Readable names for the answers that changed, in the order of the summary."""
    changed = set(changed_fields)
    every_row = summary_rows(
        Preferences(
            channels=("email", "sms", "letter", "phone"),
            safe=frozenset({"email", "sms", "letter"}),
            email="x",
            phone="x",
            address=("x",),
        )
    )
    return list(dict.fromkeys(row.label for row in every_row if row.changed_in(changed)))


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


# --- Staff pages: the same answers about the victim, in the third person ---------------------------
# Officers and support workers read about the victim, not to them ("How to contact them", not "How we
# contact you"). Rows keep their steps, keys and values; `for_staff` gives them these labels (by step) and
# says the victim-facing values about "them".

STAFF_ACCESSIBILITY_LABELS = {**ACCESSIBILITY_LABELS, "advocate": _l("Someone to speak on their behalf")}
STAFF_SPECIAL_MEASURE_LABELS = {
    **SPECIAL_MEASURE_LABELS,
    "screens": _l("Screens, so they do not see the defendant"),
}
STAFF_ROW_LABELS = {
    "channels": _l("How to contact them, in order"),
    "safe-email": _l("Is it safe to email them?"),
    "safe-sms": _l("Is it safe to send them text messages?"),
    "safe-letter": _l("Is it safe to send them letters?"),
    "safe-phone": _l("Is it safe for an officer to phone them?"),
    "wording-email": _l("What should emails to them say?"),
    "wording-sms": _l("What should text messages to them say?"),
    "wording-letter": _l("What should letters to them say?"),
    "urgent-any-time": _l("News about release, escape and orders that protect them"),
    "alternative": _l("Another safe way to reach them"),
    "frequency": _l("How often they hear from us"),
    "opt-outs": _l("Updates they do not want"),
}


def _staff_values() -> dict[str, str]:
    """Victim-facing values -> the same said about the victim (in the current language)."""
    values = {str(ACCESSIBILITY_LABELS[key]): str(label) for key, label in STAFF_ACCESSIBILITY_LABELS.items()}
    values.update(
        {str(SPECIAL_MEASURE_LABELS[key]): str(label) for key, label in STAFF_SPECIAL_MEASURE_LABELS.items()}
    )
    values[str(_l("Only at your safe times"))] = str(_l("Only at their safe times"))
    values[str(_l("None – you hear about everything"))] = str(_l("None – they hear about everything"))
    values[str(OFFICER_ONLY_ROW)] = str(STAFF_OFFICER_ONLY_ROW)
    return values


def _staff_line(line: str, values: dict[str, str]) -> str:
    if line in values:
        return values[line]
    before, _, after = str(_l("Person to speak for you: %(name)s", name="\0")).partition("\0")
    if line.startswith(before) and line.endswith(after) and len(line) >= len(before) + len(after):
        name = line[len(before) : len(line) - len(after)]
        return str(_l("Person to speak for them: %(name)s", name=name))
    return line


def staff_row(row: SummaryRow) -> SummaryRow:
    """The row as an officer or a support worker reads it."""
    values = _staff_values()
    return replace(
        row,
        label=str(STAFF_ROW_LABELS.get(row.step, row.label)),
        lines=tuple(_staff_line(line, values) for line in row.lines),
    )


def for_staff(rows: Iterable[SummaryRow]) -> list[SummaryRow]:
    return [staff_row(row) for row in rows]


def staff_labels() -> dict[str, str]:
    """Each row label as `summary_rows` gives it (for the victim) -> the label staff read."""
    return {row.label: str(STAFF_ROW_LABELS.get(row.step, row.label)) for row in _every_row()}


def staff_changed_labels(changed_fields: Iterable[str]) -> list[str]:
    """`changed_labels` as staff read them."""
    changed = set(changed_fields)
    labels = (
        str(STAFF_ROW_LABELS.get(row.step, row.label)) for row in _every_row() if row.changed_in(changed)
    )
    return list(dict.fromkeys(labels))


def _every_row() -> list[SummaryRow]:
    """A row for every answer there is (as `changed_labels` lists them)."""
    return summary_rows(
        Preferences(
            channels=("email", "sms", "letter", "phone"),
            safe=frozenset({"email", "sms", "letter"}),
            email="x",
            phone="x",
            address=("x",),
        )
    )


# The rules' error messages are written for the victim ("Select from the list", "Enter your email
# address", "Enter the earliest time it is safe to contact you"): on the officer's and the support worker's forms each names the
# answer and speaks about the victim. By the answer's document key: when it was not given (or is a choice,
# which the form always sends), and when what was given cannot be used.
STAFF_ERRORS_MISSING = {
    "channels": _l("Give each way to contact them a choice number, or select Not used"),
    "safe": _l(
        "Select at least one way the victim confirmed is safe, or choose a phone call from an officer only"
    ),
    "detailed": _l("Select which written messages to them may give details"),
    "safe_days": _l("Select at least one day when it is safe to contact them"),
    "safe_from": _l("Enter the earliest time it is safe to contact them, like 9am or 21:00"),
    "safe_to": _l("Enter the latest time it is safe to contact them, like 5pm or 17:30"),
    "frequency": _l("Select how often they want to hear from us"),
    "opted_out": _l("Select the updates they do not want from the list"),
    "language": _l("Select the language they want their updates in"),
    "accessibility": _l("Select the help they need with reading or communicating from the list"),
    "special_measures": _l("Select the special measures they asked for from the list"),
    "email": _l("Enter their email address"),
    "phone": _l("Enter their phone number"),
    "address": _l("Enter their postal address"),
    "interpreter_language": _l("Enter the language they need an interpreter for"),
    "advocate_name": _l("Enter the name of the person who will speak on their behalf"),
}
STAFF_ERRORS_INVALID = {
    "safe_from": _l("The earliest safe time must be a real time, like 9am or 21:00"),
    "safe_to": _l("The latest safe time must be a real time, like 5pm or 17:30"),
    "interpreter_language": _l("The interpreter language must be %(n)d characters or fewer", n=MAX_TEXT),
    "advocate_name": _l(
        "The name of the person who will speak on their behalf must be %(n)d characters or fewer", n=MAX_TEXT
    ),
}
STAFF_SAFE_TIMES_BACKWARDS = _l("The latest safe time must be after the earliest safe time")
#: Answers chosen from a list: any error means "choose".
_CHOSEN = frozenset(
    {
        "safe",
        "detailed",
        "safe_days",
        "frequency",
        "opted_out",
        "language",
        "accessibility",
        "special_measures",
    }
)


def staff_error(key: str, message: str, given: object) -> str:
    """The rules' error `message` about answer `key` as staff read it; `given`: what the form sent."""
    if key in _CHOSEN or given in (None, "", [], ()):
        return str(STAFF_ERRORS_MISSING.get(key, message))
    if key in ("safe_from", "safe_to"):
        try:
            parse_time(str(given))
        except ValueError:
            return str(STAFF_ERRORS_INVALID[key])
        return str(STAFF_SAFE_TIMES_BACKWARDS) if key == "safe_to" else message
    if key in STAFF_ERRORS_INVALID:
        return str(STAFF_ERRORS_INVALID[key])
    return message
