"""Officers review a sample of updates, "satisfactory / not", against the same elements as the automatic
checks, so that the checks can be compared with human judgement.

The sample: updates of the report's period that were checked and not yet reviewed, in an order fixed by a
hash of their id (the same sample for everyone, every time, and not chosen by anyone), SAMPLE_SIZE at a
time. Agreement: of the reviewed updates that were checked, those where the officer's "satisfactory"
matches "every check passed"; and, element by element, where both judged it, how often they match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.models import CaseUpdate, UpdateReview
from portal.services import vocabulary
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.quality import elements
from portal.services.quality.checks import agency_texts
from portal.services.quality.report import Item, _percent, event_label

SAMPLE_SIZE = 10


def _order(update_id: str) -> str:
    return hashlib.sha256(update_id.encode()).hexdigest()


def sample(items: Sequence[Item], size: int = SAMPLE_SIZE) -> list[Item]:
    """Checked updates not reviewed yet, in the sample's fixed order."""
    return sorted((i for i in items if i.checked and i.review is None), key=lambda i: _order(i.update_id))[
        :size
    ]


@dataclass(frozen=True)
class UpdateForReview:
    update_id: str
    agency: str
    event: str
    month: str
    wording: vocabulary.Wording
    texts: tuple[tuple[str, str], ...]
    elements: tuple[str, ...]  # the elements to judge, in CHECKS order
    satisfactory: bool | None  # an earlier review's answer
    judged: dict[str, bool]


def _update(session: Session, actor: Actor, update_id: str) -> CaseUpdate:
    update = quality_data.updates_by_id(session, [update_id.lower()]).get(update_id.lower())
    if update is None or update.superseded:
        raise NotFound
    access.case_for_actor(session, actor, update.case.urn)  # an update of the officer's unit, or NotFound
    access.officer_force_code(actor)
    return update


def review_elements(update: CaseUpdate) -> tuple[str, ...]:
    """What an officer judges for this update: readability and jargon when the agency wrote anything,
    and the elements that apply to its type."""
    has_words = bool(agency_texts(update.event_type, update.details or {}, update.message))
    found = set(elements.applicable(update.event_type, bool(update.enhanced)))
    if has_words:
        found |= {elements.READABILITY, elements.JARGON}
    return tuple(check for check in elements.CHECKS if check in found)


def update_for_review(session: Session, actor: Actor, update_id: str) -> UpdateForReview:
    update = _update(session, actor, update_id)
    wording = vocabulary.describe(
        update.event_type,
        update.details or {},
        occurred_at=update.occurred_at,
        received_at=update.received_at,
        told_at=None,
        message=update.message,
    )
    review = quality_data.get_review(session, update.id)
    return UpdateForReview(
        update_id=update.id,
        agency=update.agency,
        event=event_label(update.event_type),
        month=update.received_at.astimezone(UTC).strftime("%Y-%m"),
        wording=wording,
        texts=tuple(
            (at, text)
            for at, text, _ in agency_texts(update.event_type, update.details or {}, update.message)
        ),
        elements=review_elements(update),
        satisfactory=None if review is None else review.satisfactory,
        judged={} if review is None else dict(review.elements),
    )


def record_review(
    session: Session, actor: Actor, update_id: str, *, satisfactory: bool, judged: dict[str, bool]
) -> None:
    """Record (or replace) the officer's review; only the elements that apply to the update are kept."""
    update = _update(session, actor, update_id)
    kept = {check: bool(judged[check]) for check in review_elements(update) if check in judged}
    review = quality_data.get_review(session, update.id)
    if review is None:
        quality_data.add_review(
            session,
            UpdateReview(
                update_id=update.id, reviewer_user_id=actor.user_id, satisfactory=satisfactory, elements=kept
            ),
        )
        return
    review.reviewer_user_id = actor.user_id
    review.satisfactory = satisfactory
    review.elements = kept
    review.reviewed_at = datetime.now(UTC)
    review.demo = False
    session.flush()


@dataclass(frozen=True)
class ElementAgreement:
    check: str
    compared: int
    agreed: int

    @property
    def label(self) -> str:
        return str(elements.CHECK_LABELS[self.check])

    @property
    def percent(self) -> float | None:
        return _percent(self.agreed, self.compared)


@dataclass(frozen=True)
class Agreement:
    reviewed: int  # reviewed updates that were also checked
    both_satisfactory: int
    both_not: int
    checks_only: int  # every check passed, the officer found it not satisfactory
    officer_only: int  # a check failed, the officer found it satisfactory
    by_element: tuple[ElementAgreement, ...]

    @property
    def agreed(self) -> int:
        return self.both_satisfactory + self.both_not

    @property
    def percent(self) -> float | None:
        return _percent(self.agreed, self.reviewed)


def agreement(items: Sequence[Item]) -> Agreement:
    compared = [i for i in items if i.checked and i.review is not None]
    counts = {"both": 0, "neither": 0, "checks": 0, "officer": 0}
    per: dict[str, list[int]] = {check: [0, 0] for check in elements.CHECKS}
    for item in compared:
        assert item.review is not None
        satisfactory, judged = item.review
        key = {
            (True, True): "both",
            (False, False): "neither",
            (True, False): "checks",
            (False, True): "officer",
        }
        counts[key[(item.all_passed, satisfactory)]] += 1
        for check, ok in judged.items():
            if check in item.checks and check in per:
                per[check][0] += 1
                per[check][1] += int(item.checks[check] == ok)
    return Agreement(
        reviewed=len(compared),
        both_satisfactory=counts["both"],
        both_not=counts["neither"],
        checks_only=counts["checks"],
        officer_only=counts["officer"],
        by_element=tuple(ElementAgreement(c, n, a) for c, (n, a) in per.items() if n),
    )
