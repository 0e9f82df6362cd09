"""Queries about victims' dates to avoid and needs at court (versions per victim and case: every change
is a new version), officers' reviews of them, and the hearings they are compared with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from portal.models import Case, CaseUpdate, CourtNeedsReview, CourtNeedsVersion

Key = tuple[str, int]  # (victim id, case id)


def get_version(session: Session, victim_id: str, case_id: int, version: int) -> CourtNeedsVersion | None:
    return session.scalar(
        select(CourtNeedsVersion).where(
            CourtNeedsVersion.victim_id == victim_id,
            CourtNeedsVersion.case_id == case_id,
            CourtNeedsVersion.version == version,
        )
    )


def get_latest_version(session: Session, victim_id: str, case_id: int) -> CourtNeedsVersion | None:
    return session.scalar(
        select(CourtNeedsVersion)
        .where(CourtNeedsVersion.victim_id == victim_id, CourtNeedsVersion.case_id == case_id)
        .order_by(CourtNeedsVersion.version.desc())
        .limit(1)
    )


def versions_for_victim_case(session: Session, victim_id: str, case_id: int) -> Sequence[CourtNeedsVersion]:
    """Every version, newest first."""
    return session.scalars(
        select(CourtNeedsVersion)
        .where(CourtNeedsVersion.victim_id == victim_id, CourtNeedsVersion.case_id == case_id)
        .order_by(CourtNeedsVersion.version.desc())
    ).all()


def add_version(session: Session, version: CourtNeedsVersion) -> CourtNeedsVersion:
    session.add(version)
    session.flush()
    return version


def latest_versions_in_force(
    session: Session, force_code: str, victim_id: str | None = None
) -> dict[Key, CourtNeedsVersion]:
    """The newest version for each victim and case of the force's cases (of one victim, when given)."""
    newest = (
        select(
            CourtNeedsVersion.victim_id,
            CourtNeedsVersion.case_id,
            func.max(CourtNeedsVersion.version).label("version"),
        )
        .join(Case, Case.id == CourtNeedsVersion.case_id)
        .where(Case.force_code == force_code)
        .group_by(CourtNeedsVersion.victim_id, CourtNeedsVersion.case_id)
    )
    if victim_id is not None:
        newest = newest.where(CourtNeedsVersion.victim_id == victim_id)
    latest = newest.subquery()
    rows = session.scalars(
        select(CourtNeedsVersion).join(
            latest,
            (CourtNeedsVersion.victim_id == latest.c.victim_id)
            & (CourtNeedsVersion.case_id == latest.c.case_id)
            & (CourtNeedsVersion.version == latest.c.version),
        )
    ).all()
    return {(row.victim_id, row.case_id): row for row in rows}


def chosen_versions(session: Session, wanted: dict[Key, int]) -> dict[Key, CourtNeedsVersion]:
    """For each victim and case, that version (one query per 500)."""
    items = [(victim_id, case_id, version) for (victim_id, case_id), version in wanted.items()]
    found: dict[Key, CourtNeedsVersion] = {}
    for start in range(0, len(items), 500):
        rows = session.scalars(
            select(CourtNeedsVersion).where(
                tuple_(CourtNeedsVersion.victim_id, CourtNeedsVersion.case_id, CourtNeedsVersion.version).in_(
                    items[start : start + 500]
                )
            )
        )
        found.update(((row.victim_id, row.case_id), row) for row in rows)
    return found


# --- Officers' reviews ---------------------------------------------------------------------------


def latest_reviews(session: Session, keys: Iterable[Key]) -> dict[Key, CourtNeedsReview]:
    """The most recent review (the one covering the highest version) of each victim and case."""
    wanted = set(keys)
    if not wanted:
        return {}
    victim_ids = sorted({victim_id for victim_id, _ in wanted})
    found: dict[Key, CourtNeedsReview] = {}
    for start in range(0, len(victim_ids), 500):
        reviews = session.scalars(
            select(CourtNeedsReview)
            .where(CourtNeedsReview.victim_id.in_(victim_ids[start : start + 500]))
            .order_by(CourtNeedsReview.version.asc(), CourtNeedsReview.reviewed_at.asc(), CourtNeedsReview.id)
        ).all()
        found.update(
            ((review.victim_id, review.case_id), review)
            for review in reviews
            if (review.victim_id, review.case_id) in wanted
        )
    return found


def add_review(session: Session, review: CourtNeedsReview) -> CourtNeedsReview:
    session.add(review)
    session.flush()
    return review


# --- Hearings ------------------------------------------------------------------------------------


def hearing_updates_for_cases(
    session: Session, case_ids: Iterable[int], event_types: Iterable[str]
) -> Sequence[CaseUpdate]:
    """The cases' updates of these types that are not corrected by a later one, oldest first."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    found: list[CaseUpdate] = []
    for start in range(0, len(ids), 500):
        found += session.scalars(
            select(CaseUpdate)
            .where(
                CaseUpdate.case_id.in_(ids[start : start + 500]),
                CaseUpdate.event_type.in_(list(event_types)),
                CaseUpdate.superseded.is_(False),
            )
            .order_by(CaseUpdate.received_at, CaseUpdate.created_at)
        ).all()
    return found


def cases_by_id(session: Session, case_ids: Iterable[int]) -> dict[int, Case]:
    ids = sorted(set(case_ids))
    found: dict[int, Case] = {}
    for start in range(0, len(ids), 500):
        found.update(
            (case.id, case)
            for case in session.scalars(select(Case).where(Case.id.in_(ids[start : start + 500])))
        )
    return found
