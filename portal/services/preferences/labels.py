"""Preferences and needs in words: the labels the question pages, summaries and history show.

`summary_rows(prefs)` gives one row per answer (a GOV.UK summary list row), each with the question page
(`step`) that changes it and the document keys it shows, so a page can tag the rows that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from flask_babel import lazy_gettext as _l

from portal.services.preferences.contact_points import MISSING, UNUSABLE, UNVERIFIED
from portal.services.preferences.records import Preferences
from portal.services.preferences.rules import (
    CHANNEL_KIND,
    DAYS,
    WRITTEN_CHANNELS,
    asks_urgent_any_time,
    display_phone,
)

CHANNEL_LABELS = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "letter": _l("Letter"),
    "phone": _l("Phone call from an officer"),
}
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
LANGUAGE_LABELS = {"en": _l("English"), "cy": _l("Welsh (Cymraeg)")}
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
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


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
        return (str(_l("No messages – a phone call from an officer only")),)
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
