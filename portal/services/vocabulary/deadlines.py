"""Victims' Code deadlines, counted in working days for England and Wales.

The rule
--------
* A **working day** is Monday to Friday, except bank holidays in England (``holidays`` package,
  ``country_holidays("GB", subdiv="ENG")``, computed offline). Wales has the same bank holidays. Substitute
  days count as holidays (Christmas 2027 falls on a Saturday: Monday 27 and Tuesday 28 December are off),
  and so do one-off bank holidays the package knows of (for example 8 May 2023).
* The clock starts on the **Europe/London calendar date** on which the agency had the information
  (``received_at``, an aware datetime, normally UTC). The conversion matters: 23:30 UTC on a Thursday in
  summer is 00:30 on Friday in London.
* The deadline is the **N-th working day after** that date, and it ends at 23:59:59.999999 London time.
  The start day never counts, whatever the time, and whether or not it is a working day: information
  received at 23:30 on a Friday with 1 working day is due by the end of Monday; received on a Saturday,
  also Monday.
* A victim was told **on time** if they were told (message delivered, or update read) no later than the
  end of the deadline day.
* A few timescales run from something other than receipt (the event type's ``counts_from``): the Victim
  Contact Scheme referral must happen within 10 working days **of sentence**, and the Victim Liaison
  Officer must make contact within 20 working days **of the referral**. For those, pass the update's
  details: the clock starts on ``sentence_date`` / ``referral_date`` when given, and falls back to the
  receipt date otherwise (which can only make the deadline later, so it may hide lateness; never invent
  lateness).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from portal.services.vocabulary.registry import get_event_type, timescale_days

LONDON = ZoneInfo("Europe/London")

#: For event types whose clock does not start at receipt: which detail holds the start date.
CLOCK_START_DETAIL: dict[str, str] = {"sentence": "sentence_date", "referral": "referral_date"}


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {moment!r}")


def london_date(moment: datetime) -> date:
    """The calendar date in London at an aware moment."""
    _require_aware(moment, "moment")
    return moment.astimezone(LONDON).date()


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts); 0 returns ``start``."""
    if days < 0:
        raise ValueError(f"days must not be negative, not {days}")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the last day of that month if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _clock_start(received_at: datetime, counts_from: str, details: Mapping[str, Any] | None) -> date:
    start = london_date(received_at)
    key = CLOCK_START_DETAIL.get(counts_from)
    if key and details and details.get(key):
        value = details[key]
        start = (
            value
            if isinstance(value, date) and not isinstance(value, datetime)
            else date.fromisoformat(value)
        )
    return start


def code_deadline(
    received_at: datetime,
    event_code: str,
    enhanced: bool,
    overrides: Mapping[str, tuple[int, int]] | None = None,
    *,
    details: Mapping[str, Any] | None = None,
) -> date | None:
    """The last day (London) on which the victim must be told, or None if the type has no timescale.

    ``received_at`` is when the agency had the information (aware). ``details`` is only read for event
    types whose clock starts elsewhere (see the module docstring). Raises UnknownEventType, or ValueError
    for a naive datetime or a bad override.
    """
    _require_aware(received_at, "received_at")
    event = get_event_type(event_code)
    days = timescale_days(event, enhanced, overrides)
    if days is None:
        return None
    return add_working_days(_clock_start(received_at, event.counts_from, details), days)


def deadline_end(deadline: date) -> datetime:
    """The last moment of the deadline day (23:59:59.999999 in London), as an aware UTC datetime."""
    return datetime.combine(deadline, time.max, tzinfo=LONDON).astimezone(UTC)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from ``start`` to ``end`` (London dates), negative when ``end`` is earlier.

    Counts the working days after ``start``'s date up to and including ``end``'s date. For lateness, pass
    ``deadline_end(deadline)`` and the time the victim was told: told the next working day is 1 day late;
    told on the Saturday after a Friday deadline is late but 0 whole working days late.
    """
    return _working_days_between_dates(london_date(start), london_date(end))


@lru_cache(maxsize=8192)
def _working_days_between_dates(first: date, last: date) -> int:
    """working_days_between on London dates (a report asks for the same pairs of days thousands of times)."""
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    count = 0
    current = first
    while current < last:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return sign * count


def is_on_time(deadline: date, told_at: datetime) -> bool:
    """True if the victim was told no later than the end of the deadline day (London time)."""
    _require_aware(told_at, "told_at")
    return told_at <= deadline_end(deadline)


#: Second class, the postage of the generic letter template (README "Notify templates"): Royal Mail
#: aims to deliver it 2 working days after posting (first class: 1).
LETTER_DELIVERY_WORKING_DAYS = 2


def letter_arrives(posted_at: datetime) -> datetime:
    """When a letter posted at ``posted_at`` is expected to reach the victim: midday (London) on the
    second working day after posting. DOMAIN.md: a letter tells the victim when it arrives."""
    _require_aware(posted_at, "posted_at")
    day = add_working_days(london_date(posted_at), LETTER_DELIVERY_WORKING_DAYS)
    return datetime.combine(day, time(12, 0), tzinfo=LONDON).astimezone(UTC)


def told_by_message(channel: str, delivered_at: datetime) -> datetime:
    """When a message the victim was sent told them: on delivery, or for a letter (which Notify reports
    as delivered when it is printed and posted) when it is expected to arrive."""
    return letter_arrives(delivered_at) if channel == "letter" else delivered_at


def letters_arrived_if_posted_by(now: datetime) -> datetime:
    """The latest posting time whose letters have arrived by `now` (see `letter_arrives`): the end of the
    last London day from which a letter's expected arrival is not after `now`."""
    _require_aware(now, "now")
    day = london_date(now)
    while letter_arrives(datetime.combine(day, time(12, 0), tzinfo=LONDON).astimezone(UTC)) > now:
        day -= timedelta(days=1)
    return deadline_end(day)
