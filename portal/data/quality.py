"""Queries for the quality of updates: the stored checks, victims' ratings and officers' reviews."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Select, Table, bindparam, or_, select
from sqlalchemy.orm import Session

from notifications.rows import Write, insert_tables
from portal.models import (
    Case,
    CaseContact,
    CaseUpdate,
    CaseVictim,
    UpdateQualityCheck,
    UpdateRating,
    UpdateReview,
    Victim,
)

# --- Checks -------------------------------------------------------------------------------------------


def checks_by_update(session: Session, update_ids: Iterable[str]) -> dict[str, UpdateQualityCheck]:
    ids = list(update_ids)
    if not ids:
        return {}
    rows = session.scalars(select(UpdateQualityCheck).where(UpdateQualityCheck.update_id.in_(ids)))
    return {row.update_id: row for row in rows}


def add_checks(session: Session, checks: Sequence[UpdateQualityCheck]) -> None:
    """Write new checks in one statement and without the ORM's unit of work (about a tenth of a batch of
    100 updates' CPU): the objects stay out of the session, a record of what was written."""
    if checks:
        session.flush()  # the updates they check, first
        insert_tables(session, [check_rows(checks)])


def check_rows(checks: Sequence[UpdateQualityCheck]) -> Write:
    """New checks as `add_checks` writes them, for `rows.insert_tables` with other tables' rows (after
    the updates they check are written)."""
    return cast(Table, UpdateQualityCheck.__table__), [
        {
            "update_id": check.update_id,
            "checked_at": check.checked_at,
            "readability": check.readability,
            "words": check.words,
            "checks": check.checks,
            "warnings": check.warnings,
            "demo": check.demo,
        }
        for check in checks
    ]


def updates_by_id(session: Session, update_ids: Iterable[str]) -> dict[str, CaseUpdate]:
    ids = list(update_ids)
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(CaseUpdate).where(CaseUpdate.id.in_(ids)))}


@functools.cache
def _contact_roles_statement() -> Select[str, str | None]:
    """Built once per process (every update checked reads it); parameter case_id."""
    return select(CaseContact.role, CaseContact.victim_id).where(CaseContact.case_id == bindparam("case_id"))


def contact_roles(session: Session, case_id: int) -> set[tuple[str, str | None]]:
    """(role, victim id or None for every victim) of each named contact of the case."""
    rows = session.execute(_contact_roles_statement(), {"case_id": case_id})
    return {(str(role), victim_id) for role, victim_id in rows}


def updates_without_check(session: Session) -> Sequence[CaseUpdate]:
    """Updates never checked (those stored before the checks existed, or not sent through the API)."""
    return session.scalars(
        select(CaseUpdate)
        .outerjoin(UpdateQualityCheck, UpdateQualityCheck.update_id == CaseUpdate.id)
        .where(UpdateQualityCheck.update_id.is_(None))
        .order_by(CaseUpdate.created_at, CaseUpdate.id)
    ).all()


# --- Victims' ratings -----------------------------------------------------------------------------------


def update_on_timeline(session: Session, case_id: int, victim_id: str, update_id: str) -> CaseUpdate | None:
    """An update on this victim's timeline of this case (current, for every victim or for them)."""
    return session.scalar(
        select(CaseUpdate).where(
            CaseUpdate.id == update_id,
            CaseUpdate.case_id == case_id,
            CaseUpdate.superseded.is_(False),
            or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == victim_id),
        )
    )


def get_rating(session: Session, update_id: str, victim_id: str) -> UpdateRating | None:
    return session.scalar(
        select(UpdateRating).where(UpdateRating.update_id == update_id, UpdateRating.victim_id == victim_id)
    )


def add_rating(session: Session, rating: UpdateRating) -> UpdateRating:
    session.add(rating)
    session.flush()
    return rating


def ratings_of_victim(session: Session, victim_id: str, update_ids: Iterable[str]) -> dict[str, UpdateRating]:
    ids = list(update_ids)
    if not ids:
        return {}
    rows = session.scalars(_ratings_of_victim_statement(), {"victim_id": victim_id, "update_ids": ids})
    return {row.update_id: row for row in rows}


@functools.cache
def _ratings_of_victim_statement() -> Select[UpdateRating]:
    """Built once per process (every victim's case page); parameters victim_id and update_ids."""
    return select(UpdateRating).where(
        UpdateRating.victim_id == bindparam("victim_id"),
        UpdateRating.update_id.in_(bindparam("update_ids", expanding=True)),
    )


def ratings_of_updates(session: Session, updates: Select[str]) -> Sequence[UpdateRating]:
    """The victims' answers about the updates whose ids `updates` selects (read as a subquery, not as
    thousands of bound ids)."""
    return session.scalars(
        select(UpdateRating).where(UpdateRating.update_id.in_(updates)).order_by(UpdateRating.id)
    ).all()


# --- Officers' reviews ----------------------------------------------------------------------------------


def get_review(session: Session, update_id: str) -> UpdateReview | None:
    return session.get(UpdateReview, update_id)


def add_review(session: Session, review: UpdateReview) -> UpdateReview:
    session.add(review)
    session.flush()
    return review


# --- The report -----------------------------------------------------------------------------------------


def _in_period(force_code: str | None, start: datetime, before: datetime) -> list[Any]:
    """Current updates the agency had in [start, before), on the force's cases (every force's, for None);
    joined to the case."""
    conditions: list[Any] = [
        CaseUpdate.superseded.is_(False),
        CaseUpdate.received_at >= start,
        CaseUpdate.received_at < before,
    ]
    if force_code is not None:
        conditions.append(Case.force_code == force_code)
    return conditions


def update_ids_in_period(force_code: str | None, start: datetime, before: datetime) -> Select[str]:
    """The ids of updates_for_force's updates, as a statement (for ratings_of_updates)."""
    return (
        select(CaseUpdate.id)
        .join(Case, Case.id == CaseUpdate.case_id)
        .where(*_in_period(force_code, start, before))
    )


class ReportRow(NamedTuple):
    """An update on the quality report: the columns it reads, with its checks and review (None if it has
    none)."""

    update_id: str
    case_id: int
    urn: str
    agency: str
    event_type: str
    received_at: datetime
    details: dict[str, Any] | None
    message: str | None
    checks: dict[str, bool] | None
    warnings: list[dict[str, Any]] | None
    check_demo: bool | None
    satisfactory: bool | None
    elements: dict[str, bool] | None
    review_demo: bool | None


def updates_for_force(
    session: Session, force_code: str | None, start: datetime, before: datetime
) -> list[ReportRow]:
    """Current updates on the force's cases (every force's, for None) that the agency had in
    [start, before): each with its case's URN, checks and review, oldest first. Columns, not whole rows:
    a unit's year is thousands of updates, and making three objects of each was most of the report's
    time."""
    query = (
        select(
            CaseUpdate.id,
            CaseUpdate.case_id,
            Case.urn,
            CaseUpdate.agency,
            CaseUpdate.event_type,
            CaseUpdate.received_at,
            CaseUpdate.details,
            CaseUpdate.message,
            UpdateQualityCheck.checks,
            UpdateQualityCheck.warnings,
            UpdateQualityCheck.demo,
            UpdateReview.satisfactory,
            UpdateReview.elements,
            UpdateReview.demo,
        )
        .join(Case, Case.id == CaseUpdate.case_id)
        .outerjoin(UpdateQualityCheck, UpdateQualityCheck.update_id == CaseUpdate.id)
        .outerjoin(UpdateReview, UpdateReview.update_id == CaseUpdate.id)
        .where(*_in_period(force_code, start, before))
        .order_by(CaseUpdate.received_at, CaseUpdate.id)
    )
    return [ReportRow(*row) for row in session.execute(query)]


def victim_names_by_case(session: Session, case_ids: Iterable[int]) -> dict[int, list[str]]:
    """case id -> the names of its victims (to take out of anonymised examples)."""
    ids = list(case_ids)
    if not ids:
        return {}
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(CaseVictim.case_id, Victim.given_name, Victim.family_name)
        .join(Victim, Victim.id == CaseVictim.victim_id)
        .where(CaseVictim.case_id.in_(ids))
    )
    for case_id, given, family in rows:
        names.setdefault(case_id, []).extend(n for n in (given, family) if n)
    return names


def force_codes(session: Session) -> list[str]:
    """The force codes of every case (each unit's cases, for figures over all of them)."""
    return [
        str(code) for code in session.scalars(select(Case.force_code).distinct().order_by(Case.force_code))
    ]


def demo_update_ids(session: Session) -> list[str]:
    """The demo data's updates (their agency event ids begin "demo-")."""
    return list(session.scalars(select(CaseUpdate.id).where(CaseUpdate.agency_event_id.like("demo-%"))))
