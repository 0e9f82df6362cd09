"""The victim's joined-up view: every update from every agency on one timeline, in plain English."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from flask_babel import get_locale
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.models import Case, CaseUpdate
from portal.services import vocabulary
from portal.services.accounts import Actor
from portal.services.vocabulary import RightWithDate

HEARING_EVENTS = ("hearing-scheduled", "hearing-changed", "hearing-adjourned")
SOURCES: tuple[str, ...] = ("police", "cps", "witness_care", "probation")


@dataclass(frozen=True)
class TimelineEntry:
    update_id: str
    source: str
    source_label: str
    occurred_at: datetime
    title: str
    what_this_means: str
    what_happens_next: str
    rights: list[RightWithDate]
    is_new: bool
    # The agency's own words to the victim, if it wrote any (shown as theirs, not ours).
    message: str | None = None


@dataclass(frozen=True)
class Hearing:
    at: datetime
    court_name: str | None


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    latest: TimelineEntry | None
    next_hearing: Hearing | None
    new_count: int


@dataclass(frozen=True)
class CaseTimeline:
    case: Case
    entries: list[TimelineEntry]
    total: int
    source_counts: dict[str, int]
    selected_source: str | None
    next_hearing: Hearing | None


#: Timeline entries worded per web process (see _worded): enough for many victims' busiest cases.
WORDING_CACHE_SIZE = 8192


@lru_cache(maxsize=WORDING_CACHE_SIZE)
def _worded(
    locale: str,
    update_id: str,
    agency: str,
    event_type: str,
    details_json: str,
    occurred_at: datetime,
    received_at: datetime,
    message: str | None,
) -> TimelineEntry:
    """An update's entry, before `is_new`. The words depend only on these arguments and the locale, and a
    timeline shows the same updates on every view, so each process words each update once per locale
    instead of on every page view (the wording is most of a long timeline's cost)."""
    wording = vocabulary.describe(
        event_type,
        json.loads(details_json),
        occurred_at=occurred_at,
        received_at=received_at,
        message=message,
    )
    return TimelineEntry(
        update_id=update_id,
        source=agency,
        source_label=str(vocabulary.AGENCY_LABELS[vocabulary.Agency(agency)]),
        occurred_at=occurred_at,
        title=wording.title,
        what_this_means=wording.what_this_means,
        what_happens_next=wording.what_happens_next,
        rights=list(wording.rights),
        is_new=False,
        message=wording.message,
    )


def _current_locale() -> str:
    return str(get_locale() or "en")


def _entry(update: CaseUpdate, seen: set[str], locale: str | None = None) -> TimelineEntry:
    worded = _worded(
        locale or _current_locale(),
        update.id,
        update.agency,
        update.event_type,
        json.dumps(update.details or {}, sort_keys=True),
        update.occurred_at,
        update.received_at,
        update.message,
    )
    return replace(worded, rights=list(worded.rights), is_new=update.id not in seen)


def next_hearing(updates: Sequence[CaseUpdate], now: datetime | None = None) -> Hearing | None:
    """The hearing from the most recent hearing update, if it is still to come."""
    now = now or datetime.now(UTC)
    for update in updates:  # newest first
        if update.event_type not in HEARING_EVENTS:
            continue
        at = _parse_datetime((update.details or {}).get("hearing_at"))
        if at is None:
            continue
        return Hearing(at=at, court_name=(update.details or {}).get("court_name")) if at > now else None
    return None


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def case_summaries(session: Session, actor: Actor, cases: Sequence[Case]) -> list[CaseSummary]:
    """For "Your cases": each case with its latest update and next hearing, in two queries."""
    assert actor.victim_id is not None
    updates = cases_data.updates_for_victim(session, [c.id for c in cases], actor.victim_id)
    seen = cases_data.seen_update_ids_on_cases(session, actor.victim_id, [c.id for c in cases])
    by_case: dict[int, list[CaseUpdate]] = {c.id: [] for c in cases}
    for update in updates:
        by_case[update.case_id].append(update)
    summaries = []
    for case in cases:
        case_updates = by_case[case.id]
        summaries.append(
            CaseSummary(
                case=case,
                latest=_entry(case_updates[0], seen) if case_updates else None,
                next_hearing=next_hearing(case_updates),
                new_count=sum(1 for u in case_updates if u.id not in seen),
            )
        )
    return summaries


def case_timeline(
    session: Session, actor: Actor, case: Case, source: str | None, *, mark_seen: bool
) -> CaseTimeline:
    """One case's timeline for a victim, newest first, optionally filtered by source.

    When the victim themselves views it, the updates shown are recorded as seen (the first time only):
    that is a "told" time for the Code timeliness measure.
    """
    assert actor.victim_id is not None
    updates = cases_data.updates_for_victim(session, [case.id], actor.victim_id)
    seen = cases_data.seen_update_ids_on_cases(session, actor.victim_id, [case.id])
    counts = dict.fromkeys(SOURCES, 0)
    for update in updates:
        counts[update.agency] = counts.get(update.agency, 0) + 1
    selected = source if source in SOURCES else None
    shown = [u for u in updates if selected is None or u.agency == selected]
    locale = _current_locale()
    entries = [_entry(u, seen, locale) for u in shown]
    if mark_seen:
        cases_data.record_seen(session, actor.victim_id, [u.id for u in shown if u.id not in seen])
    return CaseTimeline(
        case=case,
        entries=entries,
        total=len(updates),
        source_counts=counts,
        selected_source=selected,
        next_hearing=next_hearing(updates),
    )


def officer_case_timeline(
    session: Session, case: Case, victim_id: str, source: str | None = None
) -> CaseTimeline:
    """One case's timeline as the victim sees it, for a witness care officer (scope checked by the caller).

    Never records anything as seen: only the victim opening an update counts as telling them. `is_new`
    on each entry means the victim has not opened that update yet.
    """
    updates = cases_data.updates_for_victim(session, [case.id], victim_id)
    seen = cases_data.seen_update_ids_on_cases(session, victim_id, [case.id])
    counts = dict.fromkeys(SOURCES, 0)
    for update in updates:
        counts[update.agency] = counts.get(update.agency, 0) + 1
    selected = source if source in SOURCES else None
    shown = [u for u in updates if selected is None or u.agency == selected]
    locale = _current_locale()
    return CaseTimeline(
        case=case,
        entries=[_entry(u, seen, locale) for u in shown],
        total=len(updates),
        source_counts=counts,
        selected_source=selected,
        next_hearing=next_hearing(updates),
    )


def support_case_timeline(
    session: Session, case: Case, victim_id: str, source: str | None = None
) -> CaseTimeline:
    """One case's timeline as the victim sees it, for a support worker under a delegation (the caller
    checks the "see-updates" scope). Never records anything as seen, and shows no "New" flags: those
    belong to the victim, and a worker reading an update does not tell the victim anything."""
    view = officer_case_timeline(session, case, victim_id, source)
    return replace(view, entries=[replace(entry, is_new=False) for entry in view.entries])
