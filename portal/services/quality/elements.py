"""What the quality checks look for, per event type: pure rules, no database.

The elements are those the inspectors look for in a letter telling a victim of a decision (HMCPSI's
checks of Victim Communication and Liaison letters; the police's letters after "no further action"): a
reason in plain words; the right to review and how to use it, where it applies; the offer of a meeting
where the victim is eligible; what happens next; a named contact. Besides these, every update with the
agency's own words is checked for readability and jargon, and every hearing that moved or was adjourned
for a reason (the Victims' Commissioner found a third of victims were never told why).

An officer reviewing a sample of updates judges the same elements (portal.services.quality.reviews), so
the automatic checks can be compared with human judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

READABILITY = "readability"
JARGON = "jargon"
REASON = "reason"
REVIEW = "review"
MEETING = "meeting"
NEXT_STEPS = "next_steps"
CONTACT = "contact"
HEARING_REASON = "hearing_reason"

#: Every check, in the order the report shows them.
CHECKS: tuple[str, ...] = (READABILITY, JARGON, REASON, REVIEW, MEETING, NEXT_STEPS, CONTACT, HEARING_REASON)
CHECK_LABELS: dict[str, LazyString] = {
    READABILITY: _l("Easy to read"),
    JARGON: _l("No unexplained jargon"),
    REASON: _l("A reason in plain words"),
    REVIEW: _l("Right to review, and how to use it"),
    MEETING: _l("Meeting offered"),
    NEXT_STEPS: _l("What happens next"),
    CONTACT: _l("A named contact"),
    HEARING_REASON: _l("A reason the hearing moved"),
}
#: Flesch reading ease at or above which the agency's own words count as easy to read (see README).
READABILITY_THRESHOLD = 60.0
#: Fewer words than this are not scored: the formula means little on a phrase.
READABILITY_MIN_WORDS = 10
#: A reason needs at least this many words ("Evidence" alone is not a reason).
REASON_MIN_WORDS = 3


@dataclass(frozen=True)
class Decision:
    """What a decision update of this type must carry. `reason`: the detail that holds the reason.
    `review_detail`: the detail without which the portal cannot explain the right to review properly (the
    police scheme applies only after an interview under caution; the CPS scheme's limits run from the
    letter's date). `meeting`: the CPS offers a meeting to explain the decision to victims with enhanced
    rights."""

    reason: str
    review_detail: str | None = None
    meeting: bool = False


DECISIONS: dict[str, Decision] = {
    "suspect-released-no-further-action": Decision("reason", "suspect_interviewed_under_caution"),
    "investigation-closed": Decision("reason", "suspect_interviewed_under_caution"),
    "charge-altered": Decision("reason", meeting=True),
    "cps-no-charge-decision": Decision("reason", "letter_date", meeting=True),
    "case-discontinued": Decision("reason", "letter_date", meeting=True),
    "no-evidence-offered": Decision("reason", "letter_date", meeting=True),
    "vrr-outcome": Decision("outcome_summary"),
}

#: Hearings that moved or were adjourned: each needs a reason.
MOVED_HEARINGS: frozenset[str] = frozenset({"hearing-changed", "hearing-adjourned"})

#: Details that name a person the victim can contact, per event type's agency.
CONTACT_DETAILS: tuple[str, ...] = ("officer_name", "vlo_name")
#: The case contact that is the agency's named contact (portal.models.case_contacts roles).
CONTACT_ROLE_BY_AGENCY: dict[str, str] = {
    "police": "officer-in-case",
    "cps": "witness-care-officer",
    "witness_care": "witness-care-officer",
    "probation": "victim-liaison-officer",
}

#: Words that tell the victim what happens next, or what they can do.
_NEXT = re.compile(
    r"\b(next|will|you can|you may|you could|if you want|if you would like|contact us|call us|ask us)\b",
    re.IGNORECASE,
)


def says_what_happens_next(text: str) -> bool:
    return bool(_NEXT.search(text))


def applicable(event_type: str, enhanced: bool) -> tuple[str, ...]:
    """The checks other than readability and jargon that apply to an update of this type."""
    decision = DECISIONS.get(event_type)
    found: list[str] = []
    if decision is not None:
        found.append(REASON)
        if decision.review_detail is not None:
            found.append(REVIEW)
        if decision.meeting and enhanced:
            found.append(MEETING)
        found.extend((NEXT_STEPS, CONTACT))
    if event_type in MOVED_HEARINGS:
        found.append(HEARING_REASON)
    return tuple(found)


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text))
