"""Queries for hearing reminders: which victims are needed as a witness on which cases, the hearing
updates of those cases, the reminders already queued, and adding one (never two for one hearing date)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.data import chunks
from portal.models import Case, CaseUpdate, CaseVictim, HearingReminder

#: Cases whose information the retention schedule has removed (portal.data.retention.ANONYMISED).
ANONYMISED = "anonymised"


@dataclass(frozen=True)
class HearingFact:
    """One hearing update of a case: for every victim on it (`victim_id` None) or for one victim."""

    case_id: int
    victim_id: str | None
    event_type: str
    details: dict[str, Any]
    occurred_at: datetime
    received_at: datetime


def witnesses(session: Session, event_type: str) -> list[tuple[int, str]]:
    """(case id, victim id) for each victim who has a current update of `event_type` (witness-required)
    on a case that is not anonymised, in a stable order: one statement."""
    query = (
        select(CaseVictim.case_id, CaseVictim.victim_id)
        .join(Case, Case.id == CaseVictim.case_id)
        .join(CaseUpdate, CaseUpdate.case_id == CaseVictim.case_id)
        .where(
            Case.status != ANONYMISED,
            CaseUpdate.event_type == event_type,
            CaseUpdate.superseded.is_(False),
            or_(CaseUpdate.victim_id.is_(None), CaseUpdate.victim_id == CaseVictim.victim_id),
        )
        .distinct()
        .order_by(CaseVictim.case_id, CaseVictim.victim_id)
    )
    return [(case_id, victim_id) for case_id, victim_id in session.execute(query)]


def hearing_facts(session: Session, case_ids: Iterable[int], event_types: Iterable[str]) -> list[HearingFact]:
    """The current updates of these types on these cases, for every victim or for one."""
    types = list(event_types)
    found: list[HearingFact] = []
    for chunk in chunks(sorted(set(case_ids))):
        query = select(
            CaseUpdate.case_id,
            CaseUpdate.victim_id,
            CaseUpdate.event_type,
            CaseUpdate.details,
            CaseUpdate.occurred_at,
            CaseUpdate.received_at,
        ).where(
            CaseUpdate.case_id.in_(chunk),
            CaseUpdate.event_type.in_(types),
            CaseUpdate.superseded.is_(False),
        )
        found.extend(
            HearingFact(case_id, victim_id, event_type, dict(details or {}), occurred_at, received_at)
            for case_id, victim_id, event_type, details, occurred_at, received_at in session.execute(query)
        )
    return found


def reminded(session: Session, keys: Iterable[tuple[str, int, date]]) -> set[tuple[str, int, date]]:
    """Of these (victim id, case id, hearing date) keys, those that already have a reminder."""
    wanted = sorted(set(keys))
    found: set[tuple[str, int, date]] = set()
    for chunk in chunks(wanted):
        query = select(HearingReminder.victim_id, HearingReminder.case_id, HearingReminder.hearing_on).where(
            tuple_(HearingReminder.victim_id, HearingReminder.case_id, HearingReminder.hearing_on).in_(chunk)
        )
        found.update((victim_id, case_id, on) for victim_id, case_id, on in session.execute(query))
    return found


def claim(session: Session, reminder: HearingReminder) -> bool:
    """Add the reminder in a savepoint; False, with nothing added, when this victim already has one for
    this case and hearing date (another worker got there first: the unique key decides)."""
    try:
        with session.begin_nested():
            session.add(reminder)
            session.flush()
    except IntegrityError:
        return False
    return True
