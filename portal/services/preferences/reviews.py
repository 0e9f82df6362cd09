"""Officers' review of preferences and needs: what is new or changed since the unit last looked.

A victim is in the queue when their latest version is newer than the last one an officer reviewed (or
was never reviewed). What changed is the difference between the reviewed version and the latest one,
so two changes in a row are reviewed together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import contact_points as contact_points_data
from portal.data import preferences as preferences_data
from portal.data import victims as victims_data
from portal.models import PreferenceReview, PreferenceVersion
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.preferences import contact_points
from portal.services.preferences import labels as preference_labels
from portal.services.preferences.changes import diff_documents
from portal.services.preferences.records import (
    HistoryEntry,
    Preferences,
    current_preferences,
    preference_history,
    safe_channels,
)

STAFF_VIEW_VICTIM = "staff.view_victim"

FILTER_INTERPRETER = "interpreter"
FILTER_NO_SAFE_CHANNEL = "no-safe-channel"
FILTER_SPECIAL_MEASURES = "special-measures"
FILTER_ENHANCED = "enhanced"
FILTERS: tuple[str, ...] = (
    FILTER_INTERPRETER,
    FILTER_NO_SAFE_CHANNEL,
    FILTER_SPECIAL_MEASURES,
    FILTER_ENHANCED,
)
MAX_NOTE = 1000


def record_staff_view(session: Session, actor: Actor, victim_ids: Iterable[str], page: str) -> None:
    """One "staff.view_victim" audit event per victim whose information a staff page showed (written
    together, in one INSERT): the pages an officer opens about a victim, which the victim sees under "Who
    has viewed your information" (`page` says what, in words services/common/audit.py turns into theirs)."""
    audit.record_each_victim(session, actor, STAFF_VIEW_VICTIM, victim_ids, detail={"what": page})


def record_staff_listing(session: Session, actor: Actor, victim_ids: Iterable[str], page: str) -> None:
    """One audit event per victim a staff page listed among others (the review queue, the timeliness
    report): audited, but not shown to the victim as a view of their information (audit.VICTIM_LISTED)."""
    audit.record_each_victim(session, actor, audit.VICTIM_LISTED, victim_ids, detail={"what": page})


@dataclass(frozen=True)
class Flags:
    interpreter: bool
    no_safe_channel: bool
    special_measures: bool
    enhanced: bool

    def matches(self, filters: Iterable[str]) -> bool:
        wanted = set(filters)
        return all(getattr(self, name.replace("-", "_")) for name in FILTERS if name in wanted)


def flags_for(prefs: Preferences, enhanced: bool) -> Flags:
    return Flags(
        interpreter=prefs.interpreter_needed,
        no_safe_channel=not safe_channels(prefs),
        special_measures=bool(prefs.special_measures),
        enhanced=enhanced,
    )


@dataclass(frozen=True)
class QueueItem:
    victim_id: str
    victim_name: str
    version: int
    changed_at: datetime
    changed_by: str
    source: str
    is_new: bool  # never reviewed
    changed_labels: list[str]
    flags: Flags


def _changed_since(reviewed: PreferenceVersion | None, latest: dict) -> list[str]:
    """Fields changed between the reviewed version and the latest one."""
    before = Preferences.from_document(reviewed.document).to_document() if reviewed is not None else {}
    return diff_documents(before, Preferences.from_document(latest).to_document())


def review_queue(session: Session, actor: Actor, filters: Iterable[str] = ()) -> list[QueueItem]:
    """Victims of the officer's unit with new or changed preferences, oldest change first.

    A fixed number of queries whatever the number of victims: each kind of record is read for all the
    unit's waiting victims at once."""
    victim_ids = access.officer_victim_ids(session, actor)
    latest = preferences_data.latest_versions_by_victim(session, victim_ids)
    reviews = preferences_data.latest_reviews_by_victim(session, latest)
    waiting = {
        victim_id: version
        for victim_id, version in latest.items()
        if (review := reviews.get(victim_id)) is None or review.version < version.version
    }
    victims = victims_data.victims_by_id(session, waiting)
    points = contact_points_data.contact_points_by_victim(session, waiting)
    reviewed = preferences_data.chosen_versions_by_victim(
        session, {victim_id: reviews[victim_id].version for victim_id in waiting if victim_id in reviews}
    )
    items = []
    for victim_id, version in waiting.items():
        review = reviews.get(victim_id)
        prefs = Preferences.from_document(
            version.document, contact_status=contact_points.statuses_of(points[victim_id], version.document)
        )
        flags = flags_for(prefs, victims[victim_id].enhanced_rights)
        if not flags.matches(filters):
            continue
        changed = _changed_since(reviewed.get(victim_id), version.document) if review else None
        items.append(
            QueueItem(
                victim_id=victim_id,
                victim_name=victims[victim_id].full_name,
                version=version.version,
                changed_at=version.created_at,
                changed_by=version.actor_label,
                source=version.source,
                is_new=review is None,
                changed_labels=preference_labels.changed_labels(changed) if changed is not None else [],
                flags=flags,
            )
        )
    items.sort(key=lambda item: item.changed_at)
    record_staff_listing(session, actor, [item.victim_id for item in items], "review queue")
    return items


@dataclass(frozen=True)
class ReviewRow:
    row: preference_labels.SummaryRow
    tag: str | None  # "new" (never reviewed), "changed" (since the last review) or None


@dataclass(frozen=True)
class LastReview:
    version: int
    by: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class ReviewDetail:
    victim_id: str
    victim_name: str
    enhanced_reason: str | None
    prefs: Preferences
    rows: list[ReviewRow]
    is_new: bool
    needs_review: bool
    last_review: LastReview | None
    history: list[HistoryEntry]
    flags: Flags


def review_detail(session: Session, actor: Actor, victim_id: str) -> ReviewDetail:
    """The victim's preferences and needs with the rows changed since the last review tagged."""
    victim = access.victim_for_officer(session, actor, victim_id)
    prefs = current_preferences(session, victim_id)
    review = preferences_data.latest_reviews_by_victim(session, [victim_id]).get(victim_id)
    latest = preferences_data.get_latest_version(session, victim_id)
    changed: list[str] | None = None
    if latest is not None and review is not None:
        reviewed = preferences_data.get_version(session, victim_id, review.version)
        changed = _changed_since(reviewed, latest.document)
    rows = []
    for row in preference_labels.summary_rows(prefs):
        tag = None
        if latest is not None and changed is None:
            tag = "new"
        elif changed is not None and row.changed_in(changed):
            tag = "changed"
        rows.append(ReviewRow(row, tag))
    record_staff_view(session, actor, [victim_id], "preferences review")
    return ReviewDetail(
        victim_id=victim_id,
        victim_name=victim.full_name,
        enhanced_reason=victim.enhanced_reason if victim.enhanced_rights else None,
        prefs=prefs,
        rows=rows,
        is_new=latest is not None and review is None,
        needs_review=latest is not None and (review is None or review.version < latest.version),
        last_review=LastReview(review.version, review.reviewer_label, review.reviewed_at, review.note)
        if review
        else None,
        history=preference_history(session, victim_id),
        flags=flags_for(prefs, victim.enhanced_rights),
    )


def mark_reviewed(session: Session, actor: Actor, victim_id: str, version: int, note: str | None) -> None:
    """Record that the officer reviewed the victim's preferences up to `version` (the one they saw)."""
    access.victim_for_officer(session, actor, victim_id)
    latest = preferences_data.get_latest_version(session, victim_id)
    if latest is None or not 1 <= version <= latest.version:
        raise NotFound
    text = (note or "").strip()[:MAX_NOTE] or None
    preferences_data.add_review(
        session,
        PreferenceReview(
            victim_id=victim_id,
            version=version,
            reviewer_user_id=actor.user_id,
            reviewer_label=actor.label,
            reviewed_at=datetime.now(UTC),
            note=text,
        ),
    )
    audit.record_for_actor(
        session,
        actor,
        "preferences-reviewed",
        subject_victim_id=victim_id,
        detail={"version": version, "with_note": text is not None},
    )


def waiting_count(session: Session, actor: Actor) -> int:
    """How many victims `review_queue` lists with no filters (for the officer's home page), counted without
    listing them: nobody's information is shown, so nothing is audited. Three queries."""
    victim_ids = access.officer_victim_ids(session, actor)
    latest = preferences_data.latest_versions_by_victim(session, victim_ids)
    reviews = preferences_data.latest_reviews_by_victim(session, latest)
    return sum(
        1
        for victim_id, version in latest.items()
        if (review := reviews.get(victim_id)) is None or review.version < version.version
    )
