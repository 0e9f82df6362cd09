"""Asking for a review of a decision (the Victims' Right to Review): which updates offer it, who reviews it,
by when to ask, and the request itself.

The rights, their clocks and their conditions are the vocabulary's (POLICE_VRR, CPS_VRR,
CPS_VRR_NO_EVIDENCE and `rights_offered`: the police scheme only when the suspect was interviewed under
caution); this module only reads them. Who made the decision answers the request: the police for their own
decisions, the Crown Prosecution Service (CPS) for its. The clock starts when the victim was told (police) or
on the date of the CPS letter, else when the victim was told (`right_clock_start`); a victim not yet told is
told now, as when they open the update on their timeline.

* The ordinary window: 3 months for the police; 10 working days for the CPS.
* The last date considered: 3 months for both. Between the two (the CPS only), a request is still taken but
  needs the reason for the delay. After it, it can no longer be asked online: the victim is told plainly
  whom to contact (an agency may still look at a late request in exceptional circumstances).
* After no evidence is offered the defendant is acquitted: a review can lead only to an explanation and an
  apology, never to the case starting again.
* One review per decision: while a request is not withdrawn, a second attempt shows that request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.data import updates as updates_data
from portal.data import victim_requests as requests_data
from portal.models import Case, CaseUpdate, VictimRequest
from portal.models.victim_requests import REVIEW, WITHDRAWN
from portal.services import vocabulary
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.requests import lifecycle
from portal.services.vocabulary import deadlines

#: The longest answer to a question of the journey, in characters.
MAX_ANSWER = 5000

REASONS = "reasons"
ANYTHING_ELSE = "anything_else"
DELAY_REASON = "delay_reason"

_LABELS: dict[str, LazyString] = {
    REASONS: _l("Why do you disagree with the decision?"),
    ANYTHING_ELSE: _l("Is there anything else the person reviewing the decision should know?"),
    DELAY_REASON: _l("Why are you asking for a review now?"),
}

# What the victim reads about who reviews the decision, whole sentences for each agency (so that the Welsh
# can mutate the agency's name as the grammar needs).
_REVIEWERS: dict[str, LazyString] = {
    "police": _l("A police officer who was not involved in the decision will look at the decision again."),
    "cps": _l(
        "A prosecutor from the Crown Prosecution Service who was not involved in the decision will look at "
        "the decision again."
    ),
}
_SENT_TO: dict[str, LazyString] = {
    "police": _l(
        "We will send your request to the police. We will tell you when there is news about it, in the way "
        "you told us."
    ),
    "cps": _l(
        "We will send your request to the Crown Prosecution Service (CPS). We will tell you when there is "
        "news about it, in the way you told us."
    ),
}
_ASKING: dict[str, LazyString] = {
    "police": _l(
        "By sending this request, you are asking the police to look at the decision again. You cannot "
        "change what you said once it is sent."
    ),
    "cps": _l(
        "By sending this request, you are asking the Crown Prosecution Service (CPS) to look at the "
        "decision again. You cannot change what you said once it is sent."
    ),
}
_QUOTE: dict[str, LazyString] = {
    "police": _l(
        "We will tell you when there is news about your request, in the way you told us. Quote your "
        "reference number if you contact the police about it."
    ),
    "cps": _l(
        "We will tell you when there is news about your request, in the way you told us. Quote your "
        "reference number if you contact the Crown Prosecution Service (CPS) about it."
    ),
}

#: After no evidence was offered: what a review can and cannot do, in plain words.
NO_EVIDENCE_LIMIT = _l(
    "The court has found the defendant not guilty, so the case cannot be started again, whatever the "
    "review finds. If the review finds the decision was wrong, you will get an explanation and an apology."
)


class ReviewRefused(ValueError):
    """The request cannot be taken as it is (the message says why, for the logs and tests)."""


def answer_labels() -> dict[str, LazyString]:
    """The journey's answer keys and the questions they answer, in the order they are asked."""
    return dict(_LABELS)


def answer_values(answers: dict[str, Any]) -> dict[str, str]:
    """Each answer in words for the victim (keyed as `answer_labels`): what they wrote, trimmed; the
    questions they left empty (or were not asked) left out."""
    return {key: text for key in _LABELS if (text := str(answers.get(key) or "").strip())}


@dataclass(frozen=True)
class ReviewOffer:
    """A decision the victim may ask to have reviewed, as it stands today.

    `agency` ("police" or "cps") decided and will review; `starts` is the date the clock counts from;
    `ordinary_by` the last day of the ordinary window and `last_considered` the last day a request is
    still taken (the same day for the police). `existing` is the victim's request about this decision,
    when they made one that is not withdrawn."""

    case: Case
    update: CaseUpdate
    right: vocabulary.ReviewRight
    agency: str
    title: str
    starts: date
    ordinary_by: date
    last_considered: date
    today: date
    existing: VictimRequest | None

    @property
    def late(self) -> bool:
        """After the ordinary window: the reason for the delay is needed."""
        return self.today > self.ordinary_by

    @property
    def too_late(self) -> bool:
        """After the last date considered: it can no longer be asked online."""
        return self.today > self.last_considered

    @property
    def no_evidence(self) -> bool:
        """No evidence was offered: a review cannot restart the case."""
        return self.right is vocabulary.CPS_VRR_NO_EVIDENCE

    @property
    def agency_name(self) -> str:
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(self.agency)])

    @property
    def reviewer(self) -> str:
        """Who will look at the decision again, as a sentence."""
        return str(_REVIEWERS[self.agency])

    @property
    def sent_to(self) -> str:
        """Where the request goes, as sentences for the start page."""
        return str(_SENT_TO[self.agency])

    @property
    def asking(self) -> str:
        """What sending the request does, for the check answers page."""
        return str(_ASKING[self.agency])

    @property
    def quote_reference(self) -> str:
        """What happens after, and to quote the reference, for the confirmation."""
        return str(_QUOTE[self.agency])

    @property
    def limit(self) -> str | None:
        """What a review cannot do after this decision, when that needs saying."""
        return str(NO_EVIDENCE_LIMIT) if self.no_evidence else None


def review_right(event_type: str, details: dict[str, Any]) -> vocabulary.ReviewRight | None:
    """The Victims' Right to Review an update of this type with these details offers, if any."""
    try:
        offered = vocabulary.rights_offered(event_type, details)
    except vocabulary.UnknownEventType:
        return None
    return next((right for right in offered if vocabulary.right_kind(right) == REVIEW), None)


def agency_for(right: vocabulary.ReviewRight) -> str:
    """Who reviews: the police for the police scheme, otherwise the CPS."""
    return "police" if right is vocabulary.POLICE_VRR else "cps"


def window(right: vocabulary.ReviewRight, starts: date) -> tuple[date, date]:
    """(last day of the ordinary window, last day considered) for a clock starting on `starts`."""
    assert right.months is not None, "a Victims' Right to Review has a limit in months"
    last = deadlines.add_months(starts, right.months)
    ordinary = deadlines.add_working_days(starts, right.working_days) if right.working_days else last
    return min(ordinary, last), last


def _victims_update(session: Session, actor: Actor, update_id: str) -> tuple[str, Case, CaseUpdate]:
    """An update on the signed-in victim's timeline of their own case; NotFound for anything else."""
    victim_id = access.own_victim_id(actor)
    found = session.get(CaseUpdate, update_id.lower()[:36])
    if found is None:
        raise NotFound
    case = access.case_for_actor(session, actor, found.case.urn)
    update = quality_data.update_on_timeline(session, case.id, victim_id, found.id)
    if update is None:
        raise NotFound
    return victim_id, case, update


def existing_request(session: Session, victim_id: str, case_id: int, update_id: str) -> VictimRequest | None:
    """The victim's review request about this update that is not withdrawn, if any."""
    return next(
        (
            request
            for request in requests_data.requests_of_victim(session, victim_id, case_id=case_id, kind=REVIEW)
            if request.update_id == update_id and request.status != WITHDRAWN
        ),
        None,
    )


def offer(session: Session, actor: Actor, update_id: str, *, now: datetime | None = None) -> ReviewOffer:
    """The review the signed-in victim may ask for about this update of their own case. NotFound when the
    update is not theirs or offers no Victims' Right to Review (for example a decision to take no further
    action when nobody was interviewed under caution)."""
    now = now or datetime.now(UTC)
    victim_id, case, update = _victims_update(session, actor, update_id)
    details = dict(update.details or {})
    right = review_right(update.event_type, details)
    if right is None:
        raise NotFound
    told = updates_data.told_times_for_victim(
        session, victim_id, deadlines.told_by_message, update_ids=[update.id]
    ).get(update.id)
    starts = vocabulary.right_clock_start(right, details, told or now)
    assert starts is not None, "a review right counts from when the victim was told, at the latest"
    ordinary_by, last_considered = window(right, starts)
    return ReviewOffer(
        case=case,
        update=update,
        right=right,
        agency=agency_for(right),
        title=str(vocabulary.get_event_type(update.event_type).title),
        starts=starts,
        ordinary_by=ordinary_by,
        last_considered=last_considered,
        today=deadlines.london_date(now),
        existing=existing_request(session, victim_id, case.id, update.id),
    )


def how_to_ask_after_the_limit(review: ReviewOffer) -> str:
    """Whom to contact when it can no longer be asked online (in exceptional circumstances an agency may
    still look at a late request)."""
    if review.agency == "police":
        details = review.update.details or {}
        officer, contact = details.get("officer_name"), details.get("officer_contact")
        if officer and contact:
            return str(
                _l(
                    "If there is a good reason you could not ask sooner, contact %(officer)s on %(contact)s "
                    "and explain why. The police may still look at the decision again in exceptional "
                    "circumstances.",
                    officer=officer,
                    contact=contact,
                )
            )
        return str(
            _l(
                "If there is a good reason you could not ask sooner, contact the police force dealing with "
                "your case on 101, give your crime reference number and explain why. The police may still "
                "look at the decision again in exceptional circumstances."
            )
        )
    return str(
        _l(
            "If there is a good reason you could not ask sooner, write to the Crown Prosecution Service "
            "using the contact details on the letter it sent you about this decision, and explain why. The "
            "CPS may still look at the decision again in exceptional circumstances."
        )
    )


def clean_answers(review: ReviewOffer, answers: dict[str, Any]) -> dict[str, str]:
    """The answers to keep: trimmed, the optional ones left out when empty, the reason for the delay only
    when the request is late. ReviewRefused when a required answer is missing or one is too long."""
    kept: dict[str, str] = {}
    for key in (REASONS, ANYTHING_ELSE, DELAY_REASON):
        value = str(answers.get(key) or "").strip()
        if len(value) > MAX_ANSWER:
            raise ReviewRefused(f"{key} is longer than {MAX_ANSWER} characters")
        if key == DELAY_REASON and not review.late:
            continue
        if value:
            kept[key] = value
        elif key in (REASONS, DELAY_REASON):
            raise ReviewRefused(f"{key} is required")
    return kept


def submit(
    session: Session,
    actor: Actor,
    review: ReviewOffer,
    answers: dict[str, Any],
    *,
    submitted_by_user_id: int | None,
    now: datetime | None = None,
) -> VictimRequest:
    """Make the request (status received, the agency's targets set). ReviewRefused when the victim already
    asked about this decision, when it is after the last date considered, or when an answer is missing."""
    if review.existing is not None:
        raise ReviewRefused("a review of this decision was already asked for")
    if review.too_late:
        raise ReviewRefused("the last date to ask for a review online has passed")
    return lifecycle.submit(
        session,
        kind=REVIEW,
        victim_id=access.own_victim_id(actor),
        agency=review.agency,
        answers=clean_answers(review, answers),
        submitted_by_user_id=submitted_by_user_id,
        case_id=review.case.id,
        update_id=review.update.id,
        now=now,
    )
