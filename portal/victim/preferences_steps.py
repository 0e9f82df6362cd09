"""The question pages of "How we contact you" and "What you need", in the order they are asked.

Each step is data (preferences_step.Step): its question, hint, choices and error messages, and the
document key that keeps its answer; what is particular to a step is a named function of
preferences_step.py. Pages with more than one input (`PAGE`) are in preferences_pages.py.
"""

from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from portal.services.preferences import labels, rules
from portal.victim.preferences_step import (
    CHECKBOXES,
    NO,
    NONE,
    OFFICER_ONLY,
    ORDER_REQUIRED,
    ORDER_TITLES,
    PAGE,
    RADIOS,
    TEXT,
    YES,
    YES_NO,
    YES_OR_NO,
    Doc,
    Step,
    chosen_and_safe,
    chosen_for_messages,
    clean_email,
    clean_phone,
    clean_text,
    email_to_confirm,
    mobile_to_confirm,
    needs_interpreter,
    read_channels,
    read_phone,
    receives_messages,
    uses_email,
    uses_letters,
    uses_phone_number,
    wants_an_advocate,
    ways_left_after,
    write_channels,
)

SAFE_HINTS = {
    "email": _l("Choose no if someone who might harm you can read your emails."),
    "sms": _l("Choose no if someone who might harm you can see your phone."),
    "letter": _l("Choose no if someone who might harm you could open your post."),
    "phone": _l("Choose no if someone who might harm you could answer or overhear the call."),
}


SAFE_REQUIRED = {
    "email": _l("Select yes if it is safe to email you"),
    "sms": _l("Select yes if it is safe to send you text messages"),
    "letter": _l("Select yes if it is safe to send you letters"),
    "phone": _l("Select yes if it is safe for an officer to phone you"),
}
WORDING_REQUIRED = {
    "email": _l("Select what our emails should say"),
    "sms": _l("Select what our text messages should say"),
    "letter": _l("Select what our letters should say"),
}
#: The pages that ask which way to try first, next and after that, by place (the last place needs none).
ORDER_STEPS = {0: "order", 1: "order-next", 2: "order-then"}


def order_step(position: int) -> Step:
    """Which way to try at this place, of those not placed before (preferences_forms.OrderForm). A new
    answer asks the later places again."""
    later = tuple(name for place, name in ORDER_STEPS.items() if place > position)
    return Step(
        name=ORDER_STEPS[position],
        kind=PAGE,
        key="channels",
        title=ORDER_TITLES[position],
        required=ORDER_REQUIRED[position],
        applies=partial(ways_left_after, position),
        ask_again_on_change=later,
    )


def safe_step(channel: str) -> Step:
    return Step(
        name=f"safe-{channel}",
        kind=YES_NO,
        key="safe",
        channel=channel,
        title=labels.SAFE_QUESTIONS[channel],
        hint=SAFE_HINTS[channel],
        choices=YES_OR_NO,
        required=SAFE_REQUIRED[channel],
        applies=partial(chosen_for_messages, channel),
    )


def wording_step(channel: str) -> Step:
    return Step(
        name=f"wording-{channel}",
        kind=YES_NO,
        key="detailed",
        channel=channel,
        title=labels.WORDING_QUESTIONS[channel],
        choices={NO: _l("Only that there is an update (discreet)"), YES: _l("Details of the update")},
        choice_hints={
            NO: _l("It will not say who it is from or what it is about. You sign in to read the update."),
            YES: _l("For example the date of a hearing or the name of the court."),
        },
        required=WORDING_REQUIRED[channel],
        applies=partial(chosen_and_safe, channel),
    )


CONTACT_STEPS: list[Step] = [
    Step(
        name="channels",
        kind=CHECKBOXES,
        key="channels",
        title=_l("How can we contact you?"),
        hint=_l("Select all that apply. You can tell us which is safe on the next pages."),
        choices={
            **{c: labels.CHANNEL_LABELS[c] for c in rules.CHANNELS},
            OFFICER_ONLY: labels.OFFICER_ONLY_CHOICE,
        },
        choice_hints={OFFICER_ONLY: labels.OFFICER_ONLY_HINT},
        exclusive=OFFICER_ONLY,
        required=_l("Select how we can contact you, or select that only an officer should phone you"),
        exclusive_error=_l(
            "Select the ways we can contact you, or select that only an officer should phone you, not both"
        ),
        read=read_channels,
        write=write_channels,
        ask_again_on_change=tuple(ORDER_STEPS.values()),
    ),
    *[order_step(position) for position in ORDER_STEPS],
    Step(
        name="email",
        kind=TEXT,
        key="email",
        title=_l("What is your email address?"),
        hint=_l("We will send a code to this address to check it is yours."),
        required=_l("Enter your email address"),
        answer_named=_l("Your email address"),
        clean=clean_email,
        autocomplete="email",
        applies=uses_email,
        asks_password=True,
        confirmed_by="verify-email",
    ),
    Step(
        name="verify-email",
        kind=PAGE,
        key="email",
        title=_l("Check your email"),
        applies=email_to_confirm,
        asks_password=True,
    ),
    Step(
        name="phone",
        kind=TEXT,
        key="phone",
        title=_l("What is your phone number?"),
        hint=_l(
            "For international numbers include the country code. We will send a code to a mobile to check it."
        ),
        required=_l("Enter your phone number"),
        answer_named=_l("Your phone number"),
        clean=clean_phone,
        autocomplete="tel",
        width="govuk-input--width-20",
        applies=uses_phone_number,
        read=read_phone,
        asks_password=True,
        confirmed_by="verify-phone",
    ),
    Step(
        name="verify-phone",
        kind=PAGE,
        key="phone",
        title=_l("Check your phone"),
        applies=mobile_to_confirm,
        asks_password=True,
    ),
    Step(name="address", kind=PAGE, title=_l("What is your address?"), applies=uses_letters),
    *[safe_step(c) for c in rules.CHANNELS],
    *[wording_step(c) for c in rules.WRITTEN_CHANNELS],
    Step(
        name="safe-days",
        kind=CHECKBOXES,
        key="safe_days",
        title=_l("On which days is it safe to contact you?"),
        hint=_l("Select all that apply. We will wait until a safe day to send a message."),
        choices={d: labels.DAY_LABELS[d] for d in rules.DAYS},
        required=_l("Select at least one day when it is safe to contact you"),
    ),
    Step(
        name="safe-times",
        kind=PAGE,
        title=_l("At what times is it safe to contact you?"),
        hint=_l("For example, 9am or 21:00. These are UK times. We will wait until then."),
    ),
    Step(
        name="urgent-any-time",
        kind=YES_NO,
        key="urgent_any_time",
        title=labels.URGENT_ANY_TIME_QUESTION,
        hint=labels.URGENT_ANY_TIME_HINT,
        choices={YES: labels.URGENT_ANY_TIME_LABELS[True], NO: labels.URGENT_ANY_TIME_LABELS[False]},
        choice_hints={
            YES: _l("Only this news, and only in the ways you told us are safe."),
            NO: _l("We will wait until your safe days and times, as for any other update."),
        },
        required=_l("Select yes if we should tell you about this at any time"),
        applies=receives_messages,
    ),
    Step(
        name="alternative",
        kind=PAGE,
        title=_l("Is there another safe way to reach you?"),
        hint=_l(
            "For example a friend's phone number, or a safe address for letters. We use it only if the usual "
            "way is not safe or does not work. Leave it blank if there is none."
        ),
    ),
    Step(
        name="frequency",
        kind=RADIOS,
        key="frequency",
        title=_l("How often do you want to hear from us?"),
        choices=labels.FREQUENCY_LABELS,
        choice_hints={
            "every-update": _l("We tell you each time there is news."),
            "key-milestones": _l("For example a charge, a court date, the verdict and the sentence."),
            "daily-digest": _l("At most one message a day."),
        },
        required=_l("Select how often you want to hear from us"),
    ),
    Step(
        name="opt-outs",
        kind=CHECKBOXES,
        key="opted_out",
        title=_l("Are there updates you do not want to hear about?"),
        hint=_l(
            "Select any you do not want. Leave them all clear to hear about everything. You can change this at any time."
        ),
        choices={c: labels.CATEGORY_LABELS[c] for c in rules.OPT_OUT_CATEGORIES},
    ),
]

NEEDS_STEPS: list[Step] = [
    Step(
        name="language",
        kind=RADIOS,
        key="language",
        title=_l("Which language should we use?"),
        choices={c: labels.LANGUAGE_LABELS[c] for c in rules.LANGUAGES},
        required=_l("Select English or Welsh"),
    ),
    Step(
        name="interpreter",
        kind=YES_NO,
        key="interpreter_needed",
        title=_l("Do you need an interpreter?"),
        hint=_l("For example at meetings, on the phone or at court."),
        choices=YES_OR_NO,
        required=_l("Select yes or no"),
    ),
    Step(
        name="interpreter-language",
        kind=TEXT,
        key="interpreter_language",
        title=_l("Which language do you need an interpreter for?"),
        required=_l("Enter the language you need an interpreter for"),
        answer_named=_l("The language you need an interpreter for"),
        clean=clean_text,
        width="govuk-input--width-20",
        applies=needs_interpreter,
    ),
    Step(
        name="accessibility",
        kind=CHECKBOXES,
        key="accessibility",
        title=_l("Do you need help reading or communicating with us?"),
        hint=_l("Select all that apply."),
        choices={
            **{c: labels.ACCESSIBILITY_LABELS[c] for c in rules.ACCESSIBILITY},
            NONE: _l("No, I do not need any of these"),
        },
        exclusive=NONE,
        required=_l("Select the help you need, or select no"),
        exclusive_error=_l("Select the help you need, or select no, not both"),
    ),
    Step(
        name="advocate",
        kind=TEXT,
        key="advocate_name",
        title=_l("Who should speak on your behalf?"),
        hint=_l("Their name, and how they know you. For example, Sam Jones, my sister."),
        required=_l("Enter the name of the person who will speak for you"),
        answer_named=_l("The name of the person who will speak for you"),
        clean=clean_text,
        applies=wants_an_advocate,
    ),
    Step(
        name="support-referral",
        kind=YES_NO,
        key="support_referral",
        title=_l("Would you like us to refer you to a support service?"),
        hint=_l("Support services are free and confidential. They can help you cope and recover."),
        choices=YES_OR_NO,
        required=_l("Select yes or no"),
    ),
    Step(
        name="court-help",
        kind=CHECKBOXES,
        key="special_measures",
        title=_l("If you give evidence in court, what would help you?"),
        hint=_l(
            "These are called special measures. The court decides whether to allow them. Select all that apply."
        ),
        choices={
            **{c: labels.SPECIAL_MEASURE_LABELS[c] for c in rules.SPECIAL_MEASURES},
            NONE: _l("None of these"),
        },
        exclusive=NONE,
        required=_l("Select what would help you, or select none of these"),
        exclusive_error=_l("Select what would help you, or select none of these, not both"),
    ),
    Step(
        name="pre-trial-visit",
        kind=YES_NO,
        key="pre_trial_visit",
        title=_l("Would you like to visit the court before the trial?"),
        hint=_l("You can see the courtroom and where you will wait, so you know what to expect."),
        choices=YES_OR_NO,
        required=_l("Select yes or no"),
    ),
    Step(
        name="vps",
        kind=YES_NO,
        key="wants_vps",
        title=_l("Do you want to make a Victim Personal Statement?"),
        hint=_l("A statement about how the crime has affected you. The court reads it before sentencing."),
        choices=YES_OR_NO,
        required=_l("Select yes or no"),
    ),
    Step(
        name="vcs",
        kind=YES_NO,
        key="vcs_opt_in",
        title=_l("Do you want to join the Victim Contact Scheme?"),
        hint=_l(
            "If the offender is sentenced to 12 months or more for a violent or sexual offence, the scheme "
            "tells you about their sentence and release. You can join or leave at any time."
        ),
        choices=YES_OR_NO,
        required=_l("Select yes or no"),
    ),
]

STEPS: dict[str, list[Step]] = {labels.CONTACT_SECTION: CONTACT_STEPS, labels.NEEDS_SECTION: NEEDS_STEPS}
#: The document keys each section's check-answers page saves.
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    labels.CONTACT_SECTION: (
        "channels", "officer_phone_only", "safe", "detailed", "email", "phone", "address", "safe_days",
        "safe_from", "safe_to", "urgent_any_time", "alternative_phone", "alternative_email", "alternative_address",
        "frequency", "opted_out",
    ),
    labels.NEEDS_SECTION: (
        "language", "interpreter_needed", "interpreter_language", "accessibility", "advocate_name",
        "support_referral", "special_measures", "pre_trial_visit", "wants_vps", "vcs_opt_in",
    ),
}  # fmt: skip
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
    "urgent_any_time": "urgent-any-time",
    "interpreter_language": "interpreter-language",
    "advocate_name": "advocate",
}


def find_step(section: str, name: str) -> Step | None:
    return next((s for s in STEPS.get(section, []) if s.name == name), None)


def applicable(section: str, doc: Doc) -> list[Step]:
    return [s for s in STEPS[section] if s.applies(doc)]
