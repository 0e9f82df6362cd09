"""What a witness care officer sees of victims' dates to avoid and needs at court, for their unit's cases:
the changes to review (in the review queue, like preference changes), the hearings set on a date a victim
asked to avoid ("Hearing on a date to avoid"), and each victim's answers on their page.

Scoped to the officer's unit (the force code of its cases, services/common/access.py); every page that
shows a victim's answers is audited like the preferences pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import court_needs as court_needs_data
from portal.data import victims as victims_data
from portal.models import CourtNeedsReview, CourtNeedsVersion
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.court_needs import clash, records
from portal.services.court_needs import labels as court_labels
from portal.services.preferences.reviews import record_staff_listing

REVIEWED = "court-needs-reviewed"
MAX_NOTE = 1000


@dataclass(frozen=True)
class ReviewItem:
    victim_id: str
    victim_name: str
    urn: str
    version: int
    changed_at: datetime
    changed_by: str
    source: str
    is_new: bool
    changed_labels: list[str]
    needs: records.CourtNeeds


@dataclass(frozen=True)
class ClashItem:
    victim_id: str
    victim_name: str
    urn: str
    hearing_at: datetime
    event_type: str
    date_to_avoid: records.DateToAvoid


def _waiting(
    session: Session, actor: Actor, victim_id: str | None = None
) -> tuple[dict[court_needs_data.Key, CourtNeedsVersion], dict[court_needs_data.Key, CourtNeedsReview]]:
    latest = court_needs_data.latest_versions_in_force(session, access.officer_force_code(actor), victim_id)
    reviews = court_needs_data.latest_reviews(session, latest)
    waiting = {
        key: version
        for key, version in latest.items()
        if (review := reviews.get(key)) is None or review.version < version.version
    }
    return waiting, reviews


def review_items(session: Session, actor: Actor, victim_id: str | None = None) -> list[ReviewItem]:
    """Court needs of the unit's cases that are new or changed since the unit last reviewed them, oldest
    change first (of one victim, when given). Listing them is audited (not shown to the victim)."""
    waiting, reviews = _waiting(session, actor, victim_id)
    victims = victims_data.victims_by_id(session, {key[0] for key in waiting})
    cases = court_needs_data.cases_by_id(session, {key[1] for key in waiting})
    reviewed = court_needs_data.chosen_versions(
        session, {key: reviews[key].version for key in waiting if key in reviews}
    )
    items = [
        ReviewItem(
            victim_id=key[0],
            victim_name=victims[key[0]].full_name,
            urn=cases[key[1]].urn,
            version=version.version,
            changed_at=version.created_at,
            changed_by=version.actor_label,
            source=version.source,
            is_new=key not in reviews,
            changed_labels=court_labels.changed_labels(
                records.changed_fields(reviewed[key].document, version.document) if key in reviewed else [],
                staff=True,
            ),
            needs=records.CourtNeeds.from_document(version.document),
        )
        for key, version in waiting.items()
        if key[0] in victims
    ]
    items.sort(key=lambda item: item.changed_at)
    if victim_id is None:
        record_staff_listing(session, actor, sorted({item.victim_id for item in items}), "court needs review")
    return items


def listed_clashes(session: Session, actor: Actor) -> list[ClashItem]:
    """`unit_clashes` for a page that lists them by name (the review queue): the listing is audited."""
    found = unit_clashes(session, actor)
    record_staff_listing(
        session, actor, sorted({item.victim_id for item in found}), "hearings on dates to avoid"
    )
    return found


def waiting_count(session: Session, actor: Actor) -> int:
    """How many court needs records wait for review (the officer's home: a count, nothing audited)."""
    return len(_waiting(session, actor)[0])


def unit_clashes(
    session: Session, actor: Actor, now: datetime | None = None, victim_id: str | None = None
) -> list[ClashItem]:
    """Hearings from today on set on a date a victim of the unit's cases asked to avoid, soonest first."""
    latest = court_needs_data.latest_versions_in_force(session, access.officer_force_code(actor), victim_id)
    dates = {
        key: records.CourtNeeds.from_document(version.document).dates
        for key, version in latest.items()
        if version.document.get("dates")
    }
    if not dates:
        return []
    updates = court_needs_data.hearing_updates_for_cases(
        session, {key[1] for key in dates}, clash.HEARING_EVENTS
    )
    notices = [
        clash.HearingNotice(
            update.id, update.case_id, update.event_type, update.victim_id, update.details or {}
        )
        for update in updates
    ]
    found = clash.clashes(clash.standing_hearings(notices), dates, records.london_today(now))
    victims = victims_data.victims_by_id(session, {item.victim_id for item in found})
    cases = court_needs_data.cases_by_id(session, {item.case_id for item in found})
    return [
        ClashItem(
            victim_id=item.victim_id,
            victim_name=victims[item.victim_id].full_name,
            urn=cases[item.case_id].urn,
            hearing_at=item.hearing.at,
            event_type=item.hearing.event_type,
            date_to_avoid=item.date_to_avoid,
        )
        for item in found
        if item.victim_id in victims
    ]


@dataclass(frozen=True)
class CaseCourtNeeds:
    urn: str
    offence: str
    needs: records.CourtNeeds
    needs_review: bool
    upcoming: tuple[records.DateToAvoid, ...]


@dataclass(frozen=True)
class VictimCourtNeeds:
    cases: list[CaseCourtNeeds]
    clashes: list[ClashItem]


def for_victim(
    session: Session, actor: Actor, victim_id: str, now: datetime | None = None
) -> VictimCourtNeeds:
    """The victim's court needs on each of the unit's cases, and the hearings on a date to avoid. Only
    for the victim's page, which audits the view of their information itself."""
    access.victim_for_officer(session, actor, victim_id)
    today = records.london_today(now)
    waiting, _ = _waiting(session, actor, victim_id)
    latest = court_needs_data.latest_versions_in_force(session, access.officer_force_code(actor), victim_id)
    cases = []
    for case in access.officer_cases_of_victim(session, actor, victim_id):  # no statement per case
        needs = records.current_from(latest.get((victim_id, case.id)))
        cases.append(
            CaseCourtNeeds(
                case.urn, case.offence, needs, (victim_id, case.id) in waiting, needs.upcoming(today)
            )
        )
    return VictimCourtNeeds(cases, unit_clashes(session, actor, now, victim_id))


def mark_reviewed(
    session: Session, actor: Actor, victim_id: str, urn: str, version: int, note: str | None = None
) -> None:
    """Record that the officer reviewed the victim's court needs for the case up to `version`."""
    _, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    latest = court_needs_data.get_latest_version(session, victim_id, case.id)
    if latest is None or not 1 <= version <= latest.version:
        raise NotFound
    text = (note or "").strip()[:MAX_NOTE] or None
    court_needs_data.add_review(
        session,
        CourtNeedsReview(
            victim_id=victim_id,
            case_id=case.id,
            version=version,
            reviewer_user_id=actor.user_id,
            reviewer_label=actor.label,
            reviewed_at=datetime.now(UTC),
            note=text,
        ),
    )
    audit.record_for_actor(
        session, actor, REVIEWED, subject_victim_id=victim_id, detail={"case_id": case.id, "version": version}
    )
