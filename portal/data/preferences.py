"""Queries about preferences and needs, officers' reviews of them, and contact points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from portal.models import (
    Communication,
    ContactPoint,
    ContactVerification,
    PreferenceReview,
    PreferenceVersion,
    Victim,
)


def get_victim(session: Session, victim_id: str) -> Victim | None:
    return session.get(Victim, victim_id)


#: Ids per IN list, well under SQLite's limit on bound parameters.
CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def victims_by_id(session: Session, victim_ids: Iterable[str]) -> dict[str, Victim]:
    ids = list(victim_ids)
    found: dict[str, Victim] = {}
    for chunk in _chunks(ids):
        found.update((v.id, v) for v in session.scalars(select(Victim).where(Victim.id.in_(chunk))))
    return found


def chosen_versions(session: Session, wanted: dict[str, int]) -> dict[str, PreferenceVersion]:
    """For each victim id, that version of their preferences (one query per 500 victims)."""
    pairs = list(wanted.items())
    found: dict[str, PreferenceVersion] = {}
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        rows = session.scalars(
            select(PreferenceVersion).where(
                tuple_(PreferenceVersion.victim_id, PreferenceVersion.version).in_(chunk)
            )
        )
        found.update((row.victim_id, row) for row in rows)
    return found


def contact_points_by_victim(session: Session, victim_ids: Iterable[str]) -> dict[str, list[ContactPoint]]:
    ids = list(victim_ids)
    found: dict[str, list[ContactPoint]] = {victim_id: [] for victim_id in ids}
    for chunk in _chunks(ids):
        for point in session.scalars(select(ContactPoint).where(ContactPoint.victim_id.in_(chunk))):
            found[point.victim_id].append(point)
    return found


def latest_version(session: Session, victim_id: str) -> PreferenceVersion | None:
    return session.scalar(
        select(PreferenceVersion)
        .where(PreferenceVersion.victim_id == victim_id)
        .order_by(PreferenceVersion.version.desc())
        .limit(1)
    )


def get_version(session: Session, victim_id: str, version: int) -> PreferenceVersion | None:
    return session.scalar(
        select(PreferenceVersion).where(
            PreferenceVersion.victim_id == victim_id, PreferenceVersion.version == version
        )
    )


def versions(session: Session, victim_id: str) -> Sequence[PreferenceVersion]:
    """Every version, newest first."""
    return session.scalars(
        select(PreferenceVersion)
        .where(PreferenceVersion.victim_id == victim_id)
        .order_by(PreferenceVersion.version.desc())
    ).all()


def add_version(session: Session, version: PreferenceVersion) -> PreferenceVersion:
    session.add(version)
    session.flush()
    return version


def latest_versions(session: Session, victim_ids: Iterable[str]) -> dict[str, PreferenceVersion]:
    """The newest version of each of these victims' preferences (victims with none are left out)."""
    ids = list(victim_ids)
    if not ids:
        return {}
    newest = (
        select(PreferenceVersion.victim_id, func.max(PreferenceVersion.version).label("version"))
        .where(PreferenceVersion.victim_id.in_(ids))
        .group_by(PreferenceVersion.victim_id)
        .subquery()
    )
    rows = session.scalars(
        select(PreferenceVersion).join(
            newest,
            (PreferenceVersion.victim_id == newest.c.victim_id)
            & (PreferenceVersion.version == newest.c.version),
        )
    ).all()
    return {row.victim_id: row for row in rows}


def latest_reviews(session: Session, victim_ids: Iterable[str]) -> dict[str, PreferenceReview]:
    """Each victim's most recent review (the one covering the highest version)."""
    ids = list(victim_ids)
    if not ids:
        return {}
    reviews = session.scalars(
        select(PreferenceReview)
        .where(PreferenceReview.victim_id.in_(ids))
        .order_by(
            PreferenceReview.version.asc(), PreferenceReview.reviewed_at.asc(), PreferenceReview.id.asc()
        )
    ).all()
    return {review.victim_id: review for review in reviews}


def reviews(session: Session, victim_id: str) -> Sequence[PreferenceReview]:
    return session.scalars(
        select(PreferenceReview)
        .where(PreferenceReview.victim_id == victim_id)
        .order_by(PreferenceReview.reviewed_at.desc(), PreferenceReview.id.desc())
    ).all()


def add_review(session: Session, review: PreferenceReview) -> PreferenceReview:
    session.add(review)
    session.flush()
    return review


# --- Contact points ------------------------------------------------------------------------------


def contact_points(session: Session, victim_id: str) -> Sequence[ContactPoint]:
    return session.scalars(select(ContactPoint).where(ContactPoint.victim_id == victim_id)).all()


def get_contact_point(session: Session, victim_id: str, kind: str, value: str) -> ContactPoint | None:
    return session.scalar(
        select(ContactPoint).where(
            ContactPoint.victim_id == victim_id, ContactPoint.kind == kind, ContactPoint.value == value
        )
    )


def add_contact_point(session: Session, point: ContactPoint) -> ContactPoint:
    session.add(point)
    session.flush()
    return point


def live_verifications(
    session: Session, victim_id: str, kind: str, value: str, now: datetime
) -> Sequence[ContactVerification]:
    """Unused, unexpired codes for this contact point, newest first."""
    return session.scalars(
        select(ContactVerification)
        .where(
            ContactVerification.victim_id == victim_id,
            ContactVerification.kind == kind,
            ContactVerification.value == value,
            ContactVerification.used_at.is_(None),
            ContactVerification.expires_at > now,
        )
        .order_by(ContactVerification.created_at.desc(), ContactVerification.id.desc())
    ).all()


def get_verification(session: Session, verification_id: int) -> ContactVerification | None:
    return session.get(ContactVerification, verification_id)


def verifications_of(session: Session, victim_id: str) -> Sequence[ContactVerification]:
    return session.scalars(
        select(ContactVerification)
        .where(ContactVerification.victim_id == victim_id)
        .order_by(ContactVerification.created_at.desc())
    ).all()


def add_verification(session: Session, verification: ContactVerification) -> ContactVerification:
    session.add(verification)
    session.flush()
    return verification


def add_communication(session: Session, communication: Communication) -> Communication:
    session.add(communication)
    session.flush()
    return communication
