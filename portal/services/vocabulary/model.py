"""The shapes of the event vocabulary: agencies, rights with time limits, event types, schema helpers.

Pure data and rules: nothing here touches Flask app objects, the database or the network. User-facing
text is wrapped in ``lazy_gettext`` so that it is translated when it is read (English now, Welsh later).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Opt-out categories a victim can switch off (and back on) in their preferences.
CATEGORIES: tuple[str, ...] = (
    "investigation",
    "charge-and-prosecution",
    "court",
    "outcome",
    "victim-contact-scheme",
    "parole-and-release",
)

#: Where the Code clock starts. "received": when the agency had the information (``received_at``);
#: "sentence": the date of sentence (vcs-referral); "referral": the date of the referral (vlo-contact).
CLOCK_STARTS: tuple[str, ...] = ("received", "sentence", "referral")


class Agency(StrEnum):
    """Who is speaking. Witness care units are run by the police with the CPS but speak as themselves."""

    POLICE = "police"
    CPS = "cps"
    WITNESS_CARE = "witness_care"
    PROBATION = "probation"


AGENCY_LABELS: dict[Agency, LazyString] = {
    Agency.POLICE: _l("Police"),
    Agency.CPS: _l("Crown Prosecution Service"),
    Agency.WITNESS_CARE: _l("Witness Care"),
    Agency.PROBATION: _l("Probation Service"),
}


class UnknownEventType(LookupError):
    """Raised for an event type code that is not in the vocabulary."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Unknown event type {code!r}")
        self.code = code


#: Where a right's clock can start: "told" is the London date on which the victim was told of the decision
#: (``told_at``); any other value names a date detail of the update ("letter_date", "decision_date"...).
TOLD = "told"


@dataclass(frozen=True)
class ReviewRight:
    """A right the victim can act on after an update, with its time limit if the Code gives one.

    The clock starts at the first known source in ``counts_from``: ``"told"`` (the London date of
    ``told_at``, when the victim was told) or a date detail. ``deadline_text`` may then use
    ``{by_months}`` (``months`` calendar months later), ``{by_working_days}`` (``working_days`` working
    days later) and ``{by_calendar_days}`` (``calendar_days`` days later). When no source is known, no date
    is invented: ``undated_text`` states the limit in words instead. ``{by_detail}`` in
    ``deadline_detail_text`` is the date given in the detail ``deadline_detail`` (for example a date set by
    the Parole Board).
    """

    name: LazyString
    description: LazyString
    months: int | None = None
    working_days: int | None = None
    deadline_text: LazyString | None = None
    deadline_detail: str | None = None
    deadline_detail_text: LazyString | None = None
    calendar_days: int | None = None
    counts_from: tuple[str, ...] = (TOLD,)
    undated_text: LazyString | None = None

    @property
    def has_clock(self) -> bool:
        """True when the right has a time limit counted from a start date."""
        return any(n is not None for n in (self.months, self.working_days, self.calendar_days))


@dataclass(frozen=True)
class OfferedRight:
    """A right offered with an update: always, only when the boolean detail ``only_if`` is true, and never
    when the detail named in ``unless`` has the given value."""

    right: ReviewRight
    only_if: str | None = None
    unless: tuple[str, str | bool] | None = None


@dataclass(frozen=True)
class Sentence:
    """An extra sentence shown only when a detail is given.

    ``when`` is None: shown when ``key`` has a non-empty value. Otherwise shown only when the value equals
    ``when`` (used for booleans and enumerations). ``if_absent`` shows it only when ``key`` is NOT given
    (a fallback that says what would apply). ``section`` is "means" (what this means) or "next" (what
    happens next).
    """

    key: str
    text: LazyString
    when: str | bool | None = None
    section: str = "means"
    if_absent: bool = False


@dataclass(frozen=True)
class EventType:
    """One kind of case update, with its Code timescale and the words the victim reads."""

    code: str
    agencies: tuple[Agency, ...]
    rights: tuple[int, ...]
    standard_days: int | None
    enhanced_days: int | None
    unconfirmed: bool
    milestone: bool
    category: str
    title: LazyString
    what_this_means: LazyString
    what_happens_next: LazyString
    review_right: ReviewRight | None
    details_schema: dict[str, Any] = field(hash=False)
    counts_from: str = "received"
    sentences: tuple[Sentence, ...] = ()
    #: Show ``review_right`` only when this detail is true (sentence: only if VCS eligible).
    review_right_if: str | None = None
    #: Safety news (escape, release, orders): sent at once to every safe channel, never held for a digest,
    #: and outside the victim's quiet hours only if they chose to hear about it at any time.
    urgent: bool = False
    #: Rights offered besides ``review_right`` (for example the Unduly Lenient Sentence scheme at sentence).
    more_rights: tuple[OfferedRight, ...] = ()

    def offered_rights(self) -> tuple[OfferedRight, ...]:
        """Every right this update may offer, in order, with the condition under which it is offered."""
        first = () if self.review_right is None else (OfferedRight(self.review_right, self.review_right_if),)
        return (*first, *self.more_rights)


# --- Rights the victim can act on ----------------------------------------------------------------
# Victims' Right to Review clocks (DOMAIN.md, "When a right's clock starts"): the police scheme runs from
# when the victim was told of the decision; the CPS scheme from the date of the CPS letter (or, when the
# letter's date is not given, from when the victim was told). Never from when the agency had the news.

POLICE_VRR = ReviewRight(
    name=_l("Victims' Right to Review (police)"),
    description=_l(
        "If you disagree with this decision, you can ask the police to review it. A different officer, "
        "who was not involved in the decision, will look at it again. This is called the Victims' Right "
        "to Review."
    ),
    months=3,
    deadline_text=_l(
        "You can ask for a review until {by_months}, 3 months from when you were told about this decision."
    ),
    undated_text=_l("You can ask for a review within 3 months of being told about this decision."),
)

_CPS_VRR_DEADLINE = _l(
    "Ask by {by_working_days} if you can. The CPS will still consider a request made up to {by_months}."
)
_CPS_VRR_UNDATED = _l(
    "Ask within 10 working days of the date of the CPS letter if you can. The CPS will still consider a "
    "request made up to 3 months from that date."
)

CPS_VRR = ReviewRight(
    name=_l("Victims' Right to Review (Crown Prosecution Service)"),
    description=_l(
        "If you disagree with this decision, you can ask the Crown Prosecution Service (CPS) to look at it "
        "again. A prosecutor who was not involved will review it. If they find the decision was wrong, it "
        "can be changed and the case can go ahead. This is called the Victims' Right to Review."
    ),
    months=3,
    working_days=10,
    deadline_text=_CPS_VRR_DEADLINE,
    counts_from=("letter_date", TOLD),
    undated_text=_CPS_VRR_UNDATED,
)

#: After no evidence is offered the defendant is acquitted: the case cannot be restarted, whatever the review.
CPS_VRR_NO_EVIDENCE = ReviewRight(
    name=_l("Victims' Right to Review (Crown Prosecution Service)"),
    description=_l(
        "If you disagree with this decision, you can still ask the Crown Prosecution Service (CPS) to look "
        "at it again. A prosecutor who was not involved will review it. This is called the Victims' Right "
        "to Review. Because the court has found the defendant not guilty, the case cannot be restarted, "
        "whatever the review finds. If the review finds the decision was wrong, you will get an explanation "
        "and an apology."
    ),
    months=3,
    working_days=10,
    deadline_text=_CPS_VRR_DEADLINE,
    counts_from=("letter_date", TOLD),
    undated_text=_CPS_VRR_UNDATED,
)

_VPS_WHAT = _l(
    "A Victim Personal Statement tells the court, in your own words, how the crime has affected you: "
    "physically, emotionally, financially or in any other way. If the defendant is found guilty, the court "
    "will consider it when deciding the sentence, and you can ask to read it out in court or to have it "
    "read for you. The defendant and their lawyers will see it."
)

#: Offered when the victim gives a witness statement, and again once someone is charged (Code right 7).
VPS = ReviewRight(
    name=_l("Victim Personal Statement"),
    description=_l(
        "You can make a Victim Personal Statement when you give your witness statement to the police, or "
        "at any time later until the sentence, and you can add to it until then: ask the officer dealing "
        "with your case or, once someone is charged, Witness Care. %(what)s",
        what=_VPS_WHAT,
    ),
)

#: Offered again before sentence (a guilty verdict, a sentencing hearing).
VPS_BEFORE_SENTENCE = ReviewRight(
    name=_l("Victim Personal Statement"),
    description=_l(
        "Before the court decides the sentence, you can make a Victim Personal Statement, or add to the "
        "one you made. Tell Witness Care if you want to. %(what)s",
        what=_VPS_WHAT,
    ),
)

PAROLE_VPS = ReviewRight(
    name=_l("Victim Personal Statement to the Parole Board"),
    description=_l(
        "You can write a statement for the Parole Board about how the crime has affected you, and still "
        "affects you. This is called a Victim Personal Statement. The Parole Board must consider it, and "
        "you can ask to read it out at the hearing. The prisoner and their lawyer will normally see it. You "
        "can ask for all or part of it to be kept from them, but the Parole Board agrees to this only in "
        "exceptional cases, for example if sharing it would put you at risk."
    ),
    deadline_detail="statement_by",
    deadline_detail_text=_l("Send your statement by {by_detail}."),
)

#: Reconsideration (Parole Board Rules 2019, rule 28): only the Secretary of State or the prisoner can
#: apply, within 21 calendar days of the decision. The victim can ask the Secretary of State to apply.
PAROLE_RECONSIDERATION = ReviewRight(
    name=_l("Asking for the Parole Board's decision to be reconsidered"),
    description=_l(
        "Only the Secretary of State for Justice or the prisoner can ask the Parole Board to reconsider its "
        "decision, and only for some kinds of decision, such as most decisions about release. You cannot "
        "apply yourself, but if you think the decision is wrong, you can ask the Secretary of State to "
        "apply. Your Victim Liaison Officer can pass on your request, and tell you whether this decision "
        "can be reconsidered."
    ),
    calendar_days=21,
    counts_from=("decision_date",),
    deadline_text=_l(
        "Ask your Victim Liaison Officer by {by_calendar_days}, and as soon as you can: an application must "
        "be made within 21 days of the decision."
    ),
    undated_text=_l(
        "Ask your Victim Liaison Officer as soon as you can: an application must be made within 21 days of "
        "the decision."
    ),
)

#: The Unduly Lenient Sentence scheme: 28 calendar days from sentence, a hard limit set by law.
UNDULY_LENIENT_SENTENCE = ReviewRight(
    name=_l("Unduly Lenient Sentence scheme"),
    description=_l(
        "If you think the sentence is too low, you can ask the Attorney General's Office to look at it. "
        "This is called the Unduly Lenient Sentence scheme. It covers only some crimes sentenced in the "
        "Crown Court, mostly the most serious ones: Witness Care can tell you whether it covers this case."
    ),
    calendar_days=28,
    counts_from=("sentence_date",),
    deadline_text=_l(
        "The last day to ask is {by_calendar_days}, 28 days after the sentence. This limit is set by law "
        "and cannot be extended."
    ),
    undated_text=_l(
        "You must ask within 28 days of the sentence, counting weekends and bank holidays. This limit is "
        "set by law and cannot be extended."
    ),
)

VCS_OPT_IN = ReviewRight(
    name=_l("Victim Contact Scheme"),
    description=_l(
        "You can choose to join the Victim Contact Scheme. It tells you about important points in the "
        "offender's sentence, such as when they may be released, and lets you ask for conditions to "
        "protect you when they are. You can join or leave the scheme at any time."
    ),
)


# --- JSON Schema helpers for the typed details ---------------------------------------------------


def text(description: str, max_length: int = 200) -> dict[str, Any]:
    """A short piece of plain-English text."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "description": description}


def date_field(description: str) -> dict[str, Any]:
    """A calendar date (YYYY-MM-DD)."""
    return {"type": "string", "format": "date", "description": description}


def datetime_field(description: str) -> dict[str, Any]:
    """A date and time with its UTC offset (RFC 3339), e.g. 2027-03-14T10:00:00+00:00."""
    return {"type": "string", "format": "date-time", "description": description}


def text_list(description: str, max_items: int = 20, max_length: int = 300) -> dict[str, Any]:
    """A list of plain-English items, such as charges or conditions."""
    return {
        "type": "array",
        "minItems": 1,
        "maxItems": max_items,
        "items": {"type": "string", "minLength": 1, "maxLength": max_length},
        "description": description,
    }


def flag(description: str) -> dict[str, Any]:
    """A yes/no detail."""
    return {"type": "boolean", "description": description}


def choice(description: str, values: tuple[str, ...]) -> dict[str, Any]:
    """One of a fixed set of values."""
    return {"type": "string", "enum": list(values), "description": description}


def schema(
    properties: dict[str, dict[str, Any]], example: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A closed JSON Schema (draft 2020-12) for an event type's details, with one realistic example."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        "examples": [example],
    }


def officer_fields() -> dict[str, dict[str, Any]]:
    """The officer in the case and how to reach them (police updates)."""
    return {
        "officer_name": text("Name and rank of the officer in the case, e.g. 'DC Sam Patel'.", 100),
        "officer_contact": text("How to contact the officer: phone number or email address.", 100),
    }


OFFICER_SENTENCES: tuple[Sentence, ...] = (
    Sentence("officer_name", _l("The officer dealing with your case is {officer_name}."), section="next"),
    Sentence("officer_contact", _l("You can contact the officer on {officer_contact}."), section="next"),
)
