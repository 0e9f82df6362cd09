"""Queries about a victim's preferences and needs (versions: every change is a new version) and officers'
reviews of them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from portal.data import chunks
from portal.models import ContactPoint, PreferenceReview, PreferenceVersion, Victim


def get_version(session: Session, victim_id: str, version: int) -> PreferenceVersion | None:
    return session.scalar(
        select(PreferenceVersion).where(
            PreferenceVersion.victim_id == victim_id, PreferenceVersion.version == version
        )
    )


@functools.cache
def _latest_version_statement() -> Select[PreferenceVersion]:
    """Built once per process (every message worded reads it); parameter victim_id."""
    return (
        select(PreferenceVersion)
        .where(PreferenceVersion.victim_id == bindparam("victim_id"))
        .order_by(PreferenceVersion.version.desc())
        .limit(1)
    )


def get_latest_version(session: Session, victim_id: str) -> PreferenceVersion | None:
    return session.scalar(_latest_version_statement(), {"victim_id": victim_id})


@functools.cache
def _latest_version_and_contact_points_statement() -> Select[PreferenceVersion | None, ContactPoint | None]:
    """Built once per process (every message worded reads it); parameter victim_id. One row per contact
    point (at least one, if the victim exists), each with the latest version (or None)."""
    latest = (
        select(func.max(PreferenceVersion.version))
        .where(PreferenceVersion.victim_id == Victim.id)
        .correlate(Victim)
        .scalar_subquery()
    )
    return (
        select(PreferenceVersion, ContactPoint)
        .select_from(Victim)
        .outerjoin(
            PreferenceVersion,
            and_(PreferenceVersion.victim_id == Victim.id, PreferenceVersion.version == latest),
        )
        .outerjoin(ContactPoint, ContactPoint.victim_id == Victim.id)
        .where(Victim.id == bindparam("victim_id"))
    )


def latest_version_and_contact_points(
    session: Session, victim_id: str
) -> tuple[PreferenceVersion | None, list[ContactPoint]]:
    """`get_latest_version` and the victim's contact points (contact_points.contact_points_for_victim), in
    one statement: what each message to the victim is worded and addressed from."""
    rows = session.execute(_latest_version_and_contact_points_statement(), {"victim_id": victim_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [point for _version, point in rows if point is not None]


def latest_document(session: Session, victim_id: str) -> dict[str, Any] | None:
    """The latest version's document alone (None before any is recorded)."""
    document = session.scalar(
        select(PreferenceVersion.document)
        .where(PreferenceVersion.victim_id == victim_id)
        .order_by(PreferenceVersion.version.desc())
        .limit(1)
    )
    return None if document is None else dict(document)


def versions_for_victim(session: Session, victim_id: str) -> Sequence[PreferenceVersion]:
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


def latest_versions_by_victim(session: Session, victim_ids: Iterable[str]) -> dict[str, PreferenceVersion]:
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


def chosen_versions_by_victim(session: Session, wanted: dict[str, int]) -> dict[str, PreferenceVersion]:
    """For each victim id, that version of their preferences (one query per 500 victims)."""
    found: dict[str, PreferenceVersion] = {}
    for chunk in chunks(list(wanted.items())):
        rows = session.scalars(
            select(PreferenceVersion).where(
                tuple_(PreferenceVersion.victim_id, PreferenceVersion.version).in_(chunk)
            )
        )
        found.update((row.victim_id, row) for row in rows)
    return found


# --- Officers' reviews ---------------------------------------------------------------------------


def latest_reviews_by_victim(session: Session, victim_ids: Iterable[str]) -> dict[str, PreferenceReview]:
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


def add_review(session: Session, review: PreferenceReview) -> PreferenceReview:
    session.add(review)
    session.flush()
    return review
