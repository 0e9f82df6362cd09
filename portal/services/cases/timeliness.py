"""The Victims' Code timeliness measure, for a witness care unit.

For every update a victim should be told about (it has a Code deadline), the victim was told at the
earlier of: a message announcing it delivered by Notify (a letter when it is expected to arrive, 2 working
days after Notify reports it posted), or the update first opened in the portal
(`portal.data.timeliness.told_times_by_update_and_victim`). Then, in London dates:

- on time: told no later than the end of the deadline day;
- late: told after it (days late = whole working days after the deadline day);
- not told, overdue: not told and the deadline day has ended;
- not told yet: not told and the deadline is still to come (left out of the percentage).

Urgent updates (safety news: `EventType.urgent`) come first in the officer's lists of updates not told
and told late, and an urgent update not told yet is listed before its deadline too: the officer may
need to tell the victim by phone at once.

Percentage on time = on time / (on time + late + overdue). Delay = whole working days from the day the
agency had the information to the day the victim was told (0 = the same day); the median is over the
victims who have been told. Updates are chosen by the London date on which the agency had them.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import Session

from portal.data import timeliness as timeliness_data
from portal.models import Case, CaseUpdate, Victim
from portal.services import vocabulary
from portal.services.common import access, pagination
from portal.services.common.actors import Actor
from portal.services.vocabulary import deadlines

LONDON = ZoneInfo("Europe/London")
ON_TIME = "on-time"
LATE = "late"
OVERDUE = "overdue"
PENDING = "pending"
STATUS_LABELS = {
    ON_TIME: _l("Told on time"),
    LATE: _l("Told late"),
    OVERDUE: _l("Not told – overdue"),
    PENDING: _l("Not told yet – not due"),
}
AGENCY_ORDER = ("police", "cps", "witness_care", "probation")


@dataclass(frozen=True)
class UpdateTimeliness:
    update_id: str
    victim_id: str
    victim_name: str
    urn: str
    agency: str
    event_type: str
    received_at: datetime
    deadline: date
    told_at: datetime | None
    status: str
    delay_days: int | None  # working days from receipt to being told
    days_late: int | None  # working days after the deadline day (to now, if not told yet)
    urgent: bool = False  # safety news (EventType.urgent): first in the officer's lists


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """[start of `start`, start of the day after `end`) in London, as UTC."""
        first = datetime.combine(self.start, time.min, tzinfo=LONDON).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON).astimezone(UTC)
        return first, after


#: Rows a page in the officer's lists of updates not told and told late (a unit can have thousands).
LIST_PAGE_SIZE = 50


def list_page(
    items: Sequence[UpdateTimeliness], number: int | None
) -> tuple[pagination.Page, list[UpdateTimeliness]]:
    """Page `number` (1 when None) of a list, and its rows; NotFound past the last page."""
    page = pagination.page_of(number, LIST_PAGE_SIZE, len(items))
    return page, list(items[page.offset : page.offset + LIST_PAGE_SIZE])


def period_params(period: Period) -> dict[str, int]:
    """The period as the report's query parameters (the GOV.UK date inputs' names)."""
    return {
        "start-day": period.start.day,
        "start-month": period.start.month,
        "start-year": period.start.year,
        "end-day": period.end.day,
        "end-month": period.end.month,
        "end-year": period.end.year,
    }


def default_period(today: date | None = None) -> Period:
    today = today or datetime.now(UTC).astimezone(LONDON).date()
    return Period(start=deadlines.add_months(today, -12) + timedelta(days=1), end=today)


def assess(
    received_at: datetime, deadline: date, told_at: datetime | None, now: datetime
) -> tuple[str, int | None, int | None]:
    """(status, delay in working days, working days late) for one update and one victim."""
    end = deadlines.deadline_end(deadline)
    if told_at is not None:
        delay = deadlines.working_days_between(received_at, told_at)
        if deadlines.is_on_time(deadline, told_at):
            return ON_TIME, delay, None
        return LATE, delay, deadlines.working_days_between(end, told_at)
    if now > end:
        return OVERDUE, None, deadlines.working_days_between(end, now)
    return PENDING, None, None


def _item(
    update: CaseUpdate | timeliness_data.UpdateDeadline,
    victim_id: str,
    victim_name: str,
    urn: str,
    told_at: datetime | None,
    now: datetime,
) -> UpdateTimeliness:
    assert update.code_deadline is not None
    status, delay, late = assess(update.received_at, update.code_deadline, told_at, now)
    return UpdateTimeliness(
        update_id=update.id,
        victim_id=victim_id,
        victim_name=victim_name,
        urn=urn,
        agency=update.agency,
        event_type=update.event_type,
        received_at=update.received_at,
        deadline=update.code_deadline,
        told_at=told_at,
        status=status,
        delay_days=delay,
        days_late=late,
        urgent=_is_urgent(update.event_type),
    )


def _assess_all(
    rows: Sequence[timeliness_data.DeadlineForVictim],
    updates: Select[str],
    session: Session,
    now: datetime,
) -> list[UpdateTimeliness]:
    told = timeliness_data.told_times_by_update_and_victim(session, updates, deadlines.told_by_message)
    return [
        _item(
            row.update, row.victim_id, row.victim_name, row.urn, told.get((row.update.id, row.victim_id)), now
        )
        for row in rows
    ]


def _is_urgent(code: str) -> bool:
    try:
        return vocabulary.get_event_type(code).urgent
    except vocabulary.UnknownEventType:  # a type no longer in the vocabulary: an ordinary update
        return False


def unit_timeliness(
    session: Session, actor: Actor, period: Period, *, now: datetime | None = None
) -> list[UpdateTimeliness]:
    """Every update (per victim) on the officer's unit's cases received in the period."""
    force = access.officer_force_code(actor)
    start, before = period.bounds()
    rows = timeliness_data.deadlines_for_force(session, force, start, before)
    updates = timeliness_data.update_ids_for_force(force, start, before)
    return _assess_all(rows, updates, session, now or datetime.now(UTC))


def page_timeliness(
    victim: Victim,
    case: Case,
    updates: Sequence[CaseUpdate],
    told: Mapping[str, datetime],
    *,
    now: datetime | None = None,
) -> dict[str, UpdateTimeliness]:
    """update id -> timeliness, for the updates on one page of a case timeline that an officer is shown
    (the caller checked the victim and case are the officer's unit's, and read the page's updates and
    when the victim was told of each update of the case): the updates with a Code deadline among
    `updates`. No statement: a page's worth of updates however many the victim has."""
    moment = now or datetime.now(UTC)
    return {
        update.id: _item(update, victim.id, victim.full_name, case.urn, told.get(update.id), moment)
        for update in updates
        if update.code_deadline is not None
    }


def late(items: Iterable[UpdateTimeliness]) -> list[UpdateTimeliness]:
    """Told after the deadline: urgent updates first, then the latest first."""
    return sorted(
        (i for i in items if i.status == LATE), key=lambda i: (not i.urgent, -(i.days_late or 0), i.deadline)
    )


def not_yet_told(items: Iterable[UpdateTimeliness]) -> list[UpdateTimeliness]:
    """Still not told: urgent updates first (whether or not their deadline has passed), then the rest
    past their deadline; the longest overdue first within each."""
    return sorted(
        (i for i in items if i.status == OVERDUE or (i.urgent and i.status == PENDING)),
        key=lambda i: (not i.urgent, i.deadline, i.urn),
    )


@dataclass(frozen=True)
class ReportRow:
    agency: str
    event_type: str | None  # None: every event type of the agency (or of all agencies, if agency is "")
    total: int
    on_time: int
    late: int
    overdue: int
    pending: int
    median_delay: float | None

    @property
    def measured(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def percent_on_time(self) -> float | None:
        return round(100 * self.on_time / self.measured, 1) if self.measured else None

    @property
    def agency_label(self) -> str:
        return (
            str(vocabulary.AGENCY_LABELS[vocabulary.Agency(self.agency)])
            if self.agency
            else str(_l("All agencies"))
        )

    @property
    def event_label(self) -> str:
        if self.event_type is None:
            return str(_l("All event types"))
        return f"{vocabulary.get_event_type(self.event_type).title} ({self.event_type})"


def _row(agency: str, event_type: str | None, items: list[UpdateTimeliness]) -> ReportRow:
    delays = [i.delay_days for i in items if i.delay_days is not None]
    return ReportRow(
        agency=agency,
        event_type=event_type,
        total=len(items),
        on_time=sum(1 for i in items if i.status == ON_TIME),
        late=sum(1 for i in items if i.status == LATE),
        overdue=sum(1 for i in items if i.status == OVERDUE),
        pending=sum(1 for i in items if i.status == PENDING),
        median_delay=float(statistics.median(delays)) if delays else None,
    )


def _agency_key(agency: str) -> int:
    return AGENCY_ORDER.index(agency) if agency in AGENCY_ORDER else len(AGENCY_ORDER)


def report_by_event_type(items: Sequence[UpdateTimeliness]) -> list[ReportRow]:
    groups: dict[tuple[str, str], list[UpdateTimeliness]] = {}
    for item in items:
        groups.setdefault((item.agency, item.event_type), []).append(item)
    return [_row(a, e, groups[(a, e)]) for a, e in sorted(groups, key=lambda k: (_agency_key(k[0]), k[1]))]


def report_by_agency(items: Sequence[UpdateTimeliness]) -> list[ReportRow]:
    """One row per agency with updates, then one for all agencies."""
    groups: dict[str, list[UpdateTimeliness]] = {}
    for item in items:
        groups.setdefault(item.agency, []).append(item)
    rows = [_row(a, None, groups[a]) for a in sorted(groups, key=_agency_key)]
    return [*rows, _row("", None, list(items))] if items else rows


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None
    measured: int
    y: int
    width: float  # of the plot area, 0..PLOT_WIDTH


CHART_LABEL_WIDTH = 200
PLOT_WIDTH = 300
BAR_HEIGHT = 28
BAR_GAP = 14


def chart_bars(rows: Sequence[ReportRow]) -> list[Bar]:
    """Geometry of a horizontal bar chart of the percentage on time, one bar per row."""
    return [
        Bar(
            label=row.agency_label,
            percent=row.percent_on_time,
            measured=row.measured,
            y=index * (BAR_HEIGHT + BAR_GAP) + 30,
            width=round(PLOT_WIDTH * (row.percent_on_time or 0) / 100, 1),
        )
        for index, row in enumerate(rows)
    ]


CSV_HEADER = (
    "agency",
    "event_type",
    "event",
    "updates",
    "on_time",
    "late",
    "not_told_overdue",
    "not_told_not_due",
    "percent_on_time",
    "median_delay_working_days",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Never let a spreadsheet read a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(period: Period, by_agency: Sequence[ReportRow], by_type: Sequence[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["period_start", period.start.isoformat(), "period_end", period.end.isoformat()])
    writer.writerow(CSV_HEADER)
    for row in [*by_type, *by_agency]:
        writer.writerow(
            [
                _cell(row.agency or "all"),
                _cell(row.event_type or "all"),
                _cell(row.event_label),
                row.total,
                row.on_time,
                row.late,
                row.overdue,
                row.pending,
                "" if row.percent_on_time is None else f"{row.percent_on_time:.1f}",
                "" if row.median_delay is None else f"{row.median_delay:g}",
            ]
        )
    return out.getvalue()
