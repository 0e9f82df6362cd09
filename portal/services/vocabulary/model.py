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


@dataclass(frozen=True)
class ReviewRight:
    """A right the victim can act on after an update, with its time limit if the Code gives one.

    ``deadline_text`` may use ``{by_months}`` (``months`` after the update was received) and
    ``{by_working_days}`` (``working_days`` working days after it); ``{by_detail}`` is the date given in
    the update's details under ``deadline_detail`` (for example a date set by the Parole Board).
    """

    name: LazyString
    description: LazyString
    months: int | None
    working_days: int | None
    deadline_text: LazyString | None = None
    deadline_detail: str | None = None
    deadline_detail_text: LazyString | None = None


@dataclass(frozen=True)
class Sentence:
    """An extra sentence shown only when a detail is given.

    ``when`` is None: shown when ``key`` has a non-empty value. Otherwise shown only when the value equals
    ``when`` (used for booleans and enumerations). ``section`` is "means" (what this means) or "next"
    (what happens next).
    """

    key: str
    text: LazyString
    when: str | bool | None = None
    section: str = "means"


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


# --- Rights the victim can act on ----------------------------------------------------------------

POLICE_VRR = ReviewRight(
    name=_l("Victims' Right to Review (police)"),
    description=_l(
        "If you disagree with this decision, you can ask the police to review it. A different officer, "
        "who was not involved in the decision, will look at it again. This is called the Victims' Right "
        "to Review."
    ),
    months=3,
    working_days=None,
    deadline_text=_l("You can ask for a review until {by_months}."),
)

CPS_VRR = ReviewRight(
    name=_l("Victims' Right to Review (Crown Prosecution Service)"),
    description=_l(
        "If you disagree with this decision, you can ask the Crown Prosecution Service (CPS) to look at it "
        "again. A prosecutor who was not involved will review it. This is called the Victims' Right to "
        "Review."
    ),
    months=3,
    working_days=10,
    deadline_text=_l(
        "Ask by {by_working_days} if you can. The CPS will still consider a request made up to {by_months}."
    ),
)

PAROLE_VPS = ReviewRight(
    name=_l("Victim Personal Statement to the Parole Board"),
    description=_l(
        "You can write a statement for the Parole Board about how the crime has affected you, and still "
        "affects you. This is called a Victim Personal Statement. The Parole Board must consider it, and "
        "you can ask to read it out at the hearing."
    ),
    months=None,
    working_days=None,
    deadline_detail="statement_by",
    deadline_detail_text=_l("Send your statement by {by_detail}."),
)

VCS_OPT_IN = ReviewRight(
    name=_l("Victim Contact Scheme"),
    description=_l(
        "You can choose to join the Victim Contact Scheme. It tells you about important points in the "
        "offender's sentence, such as when they may be released, and lets you ask for conditions to "
        "protect you when they are. You can join or leave the scheme at any time."
    ),
    months=None,
    working_days=None,
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
