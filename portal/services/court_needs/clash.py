"""Is a hearing on a date the victim asked to avoid? A pure rule, and which hearings still stand.

A date to avoid covers the whole day, the morning or the afternoon (London time). Morning is before
13:00; afternoon is from 13:00. A hearing clashes with a whole-day date on its London date, and with a
part-day date when it starts in that part of the day.

The hearings of a case come from its updates with a hearing time (`HEARING_EVENTS`). A hearing moved
by a later "hearing-changed" update (its `previous_hearing_at`) no longer stands; a correction of an
update replaces it, so corrected updates are left out before this is asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from portal.services.court_needs.records import AFTERNOON, MORNING, WHOLE_DAY, DateToAvoid

LONDON = ZoneInfo("Europe/London")
MORNING_ENDS = time(13, 0)
#: Updates that set when the victim may have to be at court.
HEARING_EVENTS: tuple[str, ...] = (
    "hearing-scheduled",
    "hearing-changed",
    "hearing-adjourned",
    "witness-required",
)


def part_of_day(hearing_at: datetime) -> str:
    """MORNING when the hearing starts before 13:00 London time, otherwise AFTERNOON."""
    return MORNING if hearing_at.astimezone(LONDON).time() < MORNING_ENDS else AFTERNOON


def clashing_date(hearing_at: datetime, dates: Iterable[DateToAvoid]) -> DateToAvoid | None:
    """The date to avoid the hearing falls on (a whole day before a part of it), or None."""
    day = hearing_at.astimezone(LONDON).date()
    part = part_of_day(hearing_at)
    matching = [item for item in dates if item.day == day and item.part in (WHOLE_DAY, part)]
    matching.sort(key=lambda item: item.part != WHOLE_DAY)
    return matching[0] if matching else None


def parse_time(value: Any) -> datetime | None:
    """A hearing time from an update's details ("2027-03-14T10:00:00+00:00"), aware; None when absent."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class HearingNotice:
    """What an update says about a hearing (built from a CaseUpdate by the caller)."""

    update_id: str
    case_id: int
    event_type: str
    victim_id: str | None  # None: the update is for every victim on the case
    details: Mapping[str, Any]


@dataclass(frozen=True)
class Hearing:
    update_id: str
    case_id: int
    event_type: str
    victim_id: str | None
    at: datetime


def standing_hearings(notices: Sequence[HearingNotice]) -> list[Hearing]:
    """The hearings the notices (oldest first) set that were not moved by a later notice."""
    hearings: list[Hearing] = []
    for notice in notices:
        at = parse_time(notice.details.get("hearing_at"))
        moved_from = parse_time(notice.details.get("previous_hearing_at"))
        if moved_from is not None:
            hearings = [
                hearing
                for hearing in hearings
                if not (hearing.case_id == notice.case_id and hearing.at == moved_from)
            ]
        if at is not None and notice.event_type in HEARING_EVENTS:
            hearings.append(
                Hearing(notice.update_id, notice.case_id, notice.event_type, notice.victim_id, at)
            )
    return hearings


@dataclass(frozen=True)
class Clash:
    victim_id: str
    case_id: int
    hearing: Hearing
    date_to_avoid: DateToAvoid


def clashes(
    hearings: Iterable[Hearing],
    dates_by_victim_case: Mapping[tuple[str, int], Sequence[DateToAvoid]],
    today: date,
) -> list[Clash]:
    """Each hearing from `today` on (London) that falls on a date a victim on its case asked to avoid;
    a hearing for one victim only counts for that victim. Soonest first."""
    found = []
    for hearing in hearings:
        if hearing.at.astimezone(LONDON).date() < today:
            continue
        for (victim_id, case_id), dates in dates_by_victim_case.items():
            if case_id != hearing.case_id or hearing.victim_id not in (None, victim_id):
                continue
            clashing = clashing_date(hearing.at, dates)
            if clashing is not None:
                found.append(Clash(victim_id, case_id, hearing, clashing))
    found.sort(key=lambda clash: (clash.hearing.at, clash.victim_id))
    return found
