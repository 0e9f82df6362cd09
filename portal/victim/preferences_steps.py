"""The question pages, step by step: which pages each section has, when each applies, and how each
answer is read from and written to the draft document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.services.preferences import labels, rules
from portal.victim.preferences_forms import NO, NONE, OFFICER_ONLY, YES, Choice, Doc, Step


def _yes_no(doc_key: str) -> dict[str, Any]:
    return {
        "kind": "radios",
        "choices": lambda doc: [Choice(YES, _l("Yes")), Choice(NO, _l("No"))],
        "load": lambda doc: None if doc.get(doc_key) is None else (YES if doc[doc_key] else NO),
        "store": lambda value, doc: doc.__setitem__(doc_key, value == YES),
        "required": _l("Select yes or no"),
    }


def _flag(flags_key: str, channel: str) -> dict[str, Any]:
    return {
        "load": lambda doc: YES if doc[flags_key].get(channel) else NO,
        "store": lambda value, doc: doc[flags_key].__setitem__(channel, value == YES),
    }


def _store_channels(value: list[str], doc: Doc) -> None:
    if OFFICER_ONLY in value:
        doc["channels"], doc["officer_phone_only"] = [rules.PHONE], True
        doc["safe"][rules.PHONE] = True
        return
    kept = [c for c in doc["channels"] if c in value]
    doc["channels"] = kept + [c for c in rules.CHANNELS if c in value and c not in kept]
    doc["officer_phone_only"] = False


def _uses(*channels: str) -> Callable[[Doc], bool]:
    return lambda doc: any(c in doc["channels"] for c in channels)


SAFE_HINTS = {
    "email": _l("Choose no if someone who might harm you can read your emails."),
    "sms": _l("Choose no if someone who might harm you can see your phone."),
    "letter": _l("Choose no if someone who might harm you could open your post."),
    "phone": _l("Choose no if someone who might harm you could answer or overhear the call."),
}


def _safe_step(channel: str) -> Step:
    answers = {
        **_yes_no("unused"),
        **_flag("safe", channel),
        "required": _l("Select yes if it is safe to contact you this way"),
    }
    return Step(
        name=f"safe-{channel}",
        section=labels.CONTACT_SECTION,
        title=labels.SAFE_QUESTIONS[channel],
        hint=SAFE_HINTS[channel],
        applies=lambda doc: channel in doc["channels"] and not doc["officer_phone_only"],
        **answers,
    )


def _wording_step(channel: str) -> Step:
    return Step(
        name=f"wording-{channel}",
        section=labels.CONTACT_SECTION,
        kind="radios",
        title=labels.WORDING_QUESTIONS[channel],
        applies=lambda doc: channel in doc["channels"] and bool(doc["safe"].get(channel)),
        choices=lambda doc: [
            Choice(
                NO,
                _l("Only that there is an update (discreet)"),
                _l("It will not say who it is from or what it is about. You sign in to read the update."),
            ),
            Choice(
                YES,
                _l("Details of the update"),
                _l("For example the date of a hearing or the name of the court."),
            ),
        ],
        required=_l("Select what our messages should say"),
        **_flag("detailed", channel),
    )


def _email(value: str, doc: Doc) -> str:
    return rules.normalise_email(value)


def _phone(value: str, doc: Doc) -> str:
    return rules.normalise_phone(value, mobile=rules.SMS in doc["channels"])


def _set(key: str) -> Callable[[Any, Doc], None]:
    return lambda value, doc: doc.__setitem__(key, value)


def _get(key: str) -> Callable[[Doc], Any]:
    return lambda doc: doc.get(key)


def _none_if_answered(step: str, doc: Doc) -> list[str]:
    """ "None of these" was chosen if the step was answered and nothing else is selected. The page passes
    the answered steps in under "_answered"."""
    return [NONE] if step in doc.get("_answered", ()) else []


def _verify_applies(kind: str, channel: str) -> Callable[[Doc], bool]:
    return lambda doc: channel in doc["channels"] and bool(doc.get(kind))


CONTACT_STEPS: list[Step] = [
    Step(
        name="channels",
        section=labels.CONTACT_SECTION,
        kind="checkboxes",
        title=_l("How can we contact you?"),
        hint=_l("Select all that apply. You can tell us which is safe on the next pages."),
        choices=lambda doc: (
            [Choice(c, labels.CHANNEL_LABELS[c]) for c in rules.CHANNELS]
            + [Choice(OFFICER_ONLY, _l("No messages – only a phone call from an officer"))]
        ),
        load=lambda doc: [OFFICER_ONLY] if doc["officer_phone_only"] else list(doc["channels"]),
        store=_store_channels,
        required=_l("Select how we can contact you, or select only a phone call from an officer"),
        exclusive=OFFICER_ONLY,
        extra={"exclusive_error": _l("Select only a phone call from an officer, or other ways, not both")},
    ),
    Step(
        name="order",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("Which should we try first?"),
        applies=lambda doc: len(doc["channels"]) > 1,
    ),
    Step(
        name="email",
        section=labels.CONTACT_SECTION,
        kind="text",
        title=_l("What is your email address?"),
        hint=_l("We will send a code to this address to check it is yours."),
        applies=_uses(rules.EMAIL),
        load=_get("email"),
        store=_set("email"),
        required=_l("Enter your email address"),
        normalise=_email,
        autocomplete="email",
    ),
    Step(
        name="verify-email",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("Check your email"),
        applies=_verify_applies("email", rules.EMAIL),
    ),
    Step(
        name="phone",
        section=labels.CONTACT_SECTION,
        kind="text",
        title=_l("What is your phone number?"),
        hint=_l(
            "For international numbers include the country code. We will send a code to a mobile to check it."
        ),
        applies=_uses(rules.SMS, rules.PHONE),
        load=lambda doc: rules.display_phone(doc.get("phone")) or None,
        store=_set("phone"),
        required=_l("Enter your phone number"),
        normalise=_phone,
        autocomplete="tel",
        width="govuk-input--width-20",
    ),
    Step(
        name="verify-phone",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("Check your phone"),
        applies=_verify_applies("phone", rules.SMS),
    ),
    Step(
        name="address",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("What is your address?"),
        applies=_uses(rules.LETTER),
    ),
    *[_safe_step(c) for c in rules.CHANNELS],
    *[_wording_step(c) for c in rules.WRITTEN_CHANNELS],
    Step(
        name="safe-days",
        section=labels.CONTACT_SECTION,
        kind="checkboxes",
        title=_l("On which days is it safe to contact you?"),
        hint=_l("Select all that apply. We will wait until a safe day to send a message."),
        choices=lambda doc: [Choice(d, labels.DAY_LABELS[d]) for d in rules.DAYS],
        load=_get("safe_days"),
        store=_set("safe_days"),
        required=_l("Select at least one day when it is safe to contact you"),
    ),
    Step(
        name="safe-times",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("At what times is it safe to contact you?"),
    ),
    Step(
        name="alternative",
        section=labels.CONTACT_SECTION,
        kind="custom",
        title=_l("Is there another safe way to reach you?"),
    ),
    Step(
        name="frequency",
        section=labels.CONTACT_SECTION,
        kind="radios",
        title=_l("How often do you want to hear from us?"),
        choices=lambda doc: [
            Choice(
                "every-update",
                labels.FREQUENCY_LABELS["every-update"],
                _l("We tell you each time there is news."),
            ),
            Choice(
                "key-milestones",
                labels.FREQUENCY_LABELS["key-milestones"],
                _l("For example a charge, a court date, the verdict and the sentence."),
            ),
            Choice("daily-digest", labels.FREQUENCY_LABELS["daily-digest"], _l("At most one message a day.")),
        ],
        load=_get("frequency"),
        store=_set("frequency"),
        required=_l("Select how often you want to hear from us"),
    ),
    Step(
        name="opt-outs",
        section=labels.CONTACT_SECTION,
        kind="checkboxes",
        title=_l("Are there updates you do not want to hear about?"),
        hint=_l(
            "Select any you do not want. Leave them all clear to hear about everything. You can change this at any time."
        ),
        choices=lambda doc: [Choice(c, labels.CATEGORY_LABELS[c]) for c in rules.OPT_OUT_CATEGORIES],
        load=_get("opted_out"),
        store=_set("opted_out"),
    ),
]

NEEDS_STEPS: list[Step] = [
    Step(
        name="language",
        section=labels.NEEDS_SECTION,
        kind="radios",
        title=_l("Which language should we use?"),
        choices=lambda doc: [Choice(c, labels.LANGUAGE_LABELS[c]) for c in rules.LANGUAGES],
        load=_get("language"),
        store=_set("language"),
        required=_l("Select English or Welsh"),
    ),
    Step(
        name="interpreter",
        section=labels.NEEDS_SECTION,
        title=_l("Do you need an interpreter?"),
        hint=_l("For example at meetings, on the phone or at court."),
        **_yes_no("interpreter_needed"),
    ),
    Step(
        name="interpreter-language",
        section=labels.NEEDS_SECTION,
        kind="text",
        title=_l("Which language do you need an interpreter for?"),
        applies=lambda doc: bool(doc["interpreter_needed"]),
        load=_get("interpreter_language"),
        store=_set("interpreter_language"),
        required=_l("Enter the language you need an interpreter for"),
        normalise=lambda value, doc: value.strip()[: rules.MAX_TEXT],
        width="govuk-input--width-20",
    ),
    Step(
        name="accessibility",
        section=labels.NEEDS_SECTION,
        kind="checkboxes",
        title=_l("Do you need help reading or communicating with us?"),
        hint=_l("Select all that apply."),
        choices=lambda doc: (
            [Choice(c, labels.ACCESSIBILITY_LABELS[c]) for c in rules.ACCESSIBILITY]
            + [Choice(NONE, _l("No, I do not need any of these"))]
        ),
        load=lambda doc: list(doc["accessibility"]) or _none_if_answered("accessibility", doc),
        store=lambda value, doc: doc.__setitem__("accessibility", [v for v in value if v != NONE]),
        required=_l("Select the help you need, or select no"),
        exclusive=NONE,
        extra={"exclusive_error": _l("Select the help you need, or select no, not both")},
    ),
    Step(
        name="advocate",
        section=labels.NEEDS_SECTION,
        kind="text",
        title=_l("Who should speak on your behalf?"),
        hint=_l("Their name, and how they know you. For example, Sam Jones, my sister."),
        applies=lambda doc: "advocate" in doc["accessibility"],
        load=_get("advocate_name"),
        store=_set("advocate_name"),
        required=_l("Enter the name of the person who will speak for you"),
        normalise=lambda value, doc: value.strip()[: rules.MAX_TEXT],
    ),
    Step(
        name="support-referral",
        section=labels.NEEDS_SECTION,
        title=_l("Would you like us to refer you to a support service?"),
        hint=_l("Support services are free and confidential. They can help you cope and recover."),
        **_yes_no("support_referral"),
    ),
    Step(
        name="court-help",
        section=labels.NEEDS_SECTION,
        kind="checkboxes",
        title=_l("If you give evidence in court, what would help you?"),
        hint=_l(
            "These are called special measures. The court decides whether to allow them. Select all that apply."
        ),
        choices=lambda doc: (
            [Choice(c, labels.SPECIAL_MEASURE_LABELS[c]) for c in rules.SPECIAL_MEASURES]
            + [Choice(NONE, _l("None of these"))]
        ),
        load=lambda doc: list(doc["special_measures"]) or _none_if_answered("court-help", doc),
        store=lambda value, doc: doc.__setitem__("special_measures", [v for v in value if v != NONE]),
        required=_l("Select what would help you, or select none of these"),
        exclusive=NONE,
        extra={"exclusive_error": _l("Select what would help you, or select none of these, not both")},
    ),
    Step(
        name="pre-trial-visit",
        section=labels.NEEDS_SECTION,
        title=_l("Would you like to visit the court before the trial?"),
        hint=_l("You can see the courtroom and where you will wait, so you know what to expect."),
        **_yes_no("pre_trial_visit"),
    ),
    Step(
        name="vps",
        section=labels.NEEDS_SECTION,
        title=_l("Do you want to make a Victim Personal Statement?"),
        hint=_l("A statement about how the crime has affected you. The court reads it before sentencing."),
        **_yes_no("wants_vps"),
    ),
    Step(
        name="vcs",
        section=labels.NEEDS_SECTION,
        title=_l("Do you want to join the Victim Contact Scheme?"),
        hint=_l(
            "If the offender is sentenced to 12 months or more for a violent or sexual offence, the scheme "
            "tells you about their sentence and release. You can join or leave at any time."
        ),
        **_yes_no("vcs_opt_in"),
    ),
]

STEPS: dict[str, list[Step]] = {labels.CONTACT_SECTION: CONTACT_STEPS, labels.NEEDS_SECTION: NEEDS_STEPS}
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    labels.CONTACT_SECTION: (
        "channels",
        "officer_phone_only",
        "safe",
        "detailed",
        "email",
        "phone",
        "address",
        "safe_days",
        "safe_from",
        "safe_to",
        "alternative_phone",
        "alternative_email",
        "alternative_address",
        "frequency",
        "opted_out",
    ),
    labels.NEEDS_SECTION: (
        "language",
        "interpreter_needed",
        "interpreter_language",
        "accessibility",
        "advocate_name",
        "support_referral",
        "special_measures",
        "pre_trial_visit",
        "wants_vps",
        "vcs_opt_in",
    ),
}
#: Where the check-answers page sends the victim to fix an error on a document key.
ERROR_STEPS = {
    "channels": "channels",
    "safe": "channels",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "safe_days": "safe-days",
    "safe_to": "safe-times",
    "safe_from": "safe-times",
    "interpreter_language": "interpreter-language",
    "advocate_name": "advocate",
}


def find_step(section: str, name: str) -> Step | None:
    return next((s for s in STEPS.get(section, []) if s.name == name), None)


def applicable(section: str, doc: Doc) -> list[Step]:
    return [s for s in STEPS[section] if s.applies(doc)]
