"""The timeliness rules against hand-computed cases, bank holidays included (no database).

England's bank holidays around Christmas 2026, checked with the holidays package: Friday 25 December
(Christmas Day) and Monday 28 December (Boxing Day, substitute for Saturday 26). So an update received
on Thursday 24 December 2026 with 1 working day is due by the end of Tuesday 29 December.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import holidays
import pytest

from portal.services.cases import timeliness
from portal.services.cases.timeliness import LATE, ON_TIME, OVERDUE, PENDING, Period, UpdateTimeliness
from portal.services.vocabulary import deadlines

pytestmark = pytest.mark.usefixtures("babel_app_context")

CHRISTMAS_EVE = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_christmas_2026_bank_holidays_are_what_the_fixtures_assume() -> None:
    england = holidays.country_holidays("GB", subdiv="ENG", years=2026)
    assert date(2026, 12, 25) in england
    assert date(2026, 12, 28) in england  # Boxing Day (substitute day)
    assert date(2026, 12, 29) not in england
    assert deadlines.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("told_at", "status", "delay", "days_late"),
    [
        # Told the same day: on time, no delay.
        ("2026-12-24T16:00", ON_TIME, 0, None),
        # Told over Christmas (25, 26, 27, 28 are not working days): on time, 0 working days.
        ("2026-12-28T11:00", ON_TIME, 0, None),
        # Told at 23:30 London time on the deadline day (UTC in winter): still on time, 1 working day.
        ("2026-12-29T23:30", ON_TIME, 1, None),
        # Told the next day: late by 1 working day, delay 2.
        ("2026-12-30T00:30", LATE, 2, 1),
        # Told on Monday 4 January 2027 (1 January is a bank holiday): 30, 31 Dec and 4 Jan.
        ("2027-01-04T09:00", LATE, 4, 3),
    ],
)
def test_an_update_told_at_different_times(
    told_at: str, status: str, delay: int, days_late: int | None
) -> None:
    result = timeliness.assess(CHRISTMAS_EVE, date(2026, 12, 29), at(told_at), now=at("2027-02-01T12:00"))
    assert result == (status, delay, days_late)


def test_not_told_is_pending_until_the_deadline_day_ends_then_overdue() -> None:
    deadline = date(2026, 12, 29)
    assert timeliness.assess(CHRISTMAS_EVE, deadline, None, now=at("2026-12-29T23:59")) == (
        PENDING,
        None,
        None,
    )
    assert timeliness.assess(CHRISTMAS_EVE, deadline, None, now=at("2026-12-30T00:01")) == (OVERDUE, None, 1)
    # Still not told on Tuesday 5 January 2027: 30, 31 December, 4 and 5 January.
    assert timeliness.assess(CHRISTMAS_EVE, deadline, None, now=at("2027-01-05T10:00")) == (OVERDUE, None, 4)


def test_told_just_after_midnight_in_summer_time_counts_the_london_date() -> None:
    # Received Friday 3 July 2026 09:00 BST, 1 working day: due Monday 6 July. Told at 23:30 UTC on
    # Monday 6 July, which is 00:30 on Tuesday 7 July in London: late.
    received = at("2026-07-03T08:00")
    assert (
        timeliness.assess(received, date(2026, 7, 6), at("2026-07-06T22:30"), now=at("2026-08-01T00:00"))[0]
        == ON_TIME
    )
    assert timeliness.assess(
        received, date(2026, 7, 6), at("2026-07-06T23:30"), now=at("2026-08-01T00:00")
    ) == (
        LATE,
        2,
        1,
    )


def item(
    status: str, delay: int | None, agency: str = "police", event: str = "suspect-arrested"
) -> UpdateTimeliness:
    return UpdateTimeliness(
        update_id=f"u-{status}-{delay}-{agency}-{event}",
        victim_id="v",
        victim_name="A Victim",
        urn="01YZ1234524",
        agency=agency,
        event_type=event,
        received_at=CHRISTMAS_EVE,
        deadline=date(2026, 12, 29),
        told_at=None if delay is None else CHRISTMAS_EVE,
        status=status,
        delay_days=delay,
        days_late=None,
    )


ITEMS = [
    # Police, suspect-arrested: 2 on time (delays 0, 1), 1 late (delay 4), 1 overdue, 1 pending.
    item(ON_TIME, 0),
    item(ON_TIME, 1),
    item(LATE, 4),
    item(OVERDUE, None),
    item(PENDING, None),
    # Witness care, hearing-scheduled: 1 on time (delay 1), 1 late (delay 3).
    item(ON_TIME, 1, "witness_care", "hearing-scheduled"),
    item(LATE, 3, "witness_care", "hearing-scheduled"),
]


def test_report_by_event_type_percentages_and_medians() -> None:
    rows = timeliness.report_by_event_type(ITEMS)
    police, court = rows
    assert (police.agency, police.event_type) == ("police", "suspect-arrested")
    assert (police.total, police.on_time, police.late, police.overdue, police.pending) == (5, 2, 1, 1, 1)
    assert police.measured == 4  # the pending one is not counted
    assert police.percent_on_time == 50.0  # 2 of 4
    assert police.median_delay == 1.0  # median of 0, 1, 4
    assert (court.agency, court.percent_on_time, court.median_delay) == ("witness_care", 50.0, 2.0)  # (1+3)/2


def test_report_by_agency_ends_with_all_agencies() -> None:
    rows = timeliness.report_by_agency(ITEMS)
    assert [row.agency for row in rows] == ["police", "witness_care", ""]
    overall = rows[-1]
    assert overall.agency_label == "All agencies"
    assert (overall.total, overall.on_time, overall.measured) == (7, 3, 6)
    assert overall.percent_on_time == 50.0
    assert overall.median_delay == 1.0  # median of 0, 1, 4, 1, 3


def test_chart_bars_are_as_wide_as_the_percentage() -> None:
    rows = timeliness.report_by_agency(ITEMS)
    bars = timeliness.chart_bars(rows)
    assert [bar.width for bar in bars] == [150.0, 150.0, 150.0]  # 50% of 300
    assert bars[0].label == "Police"
    assert bars[1].y - bars[0].y == timeliness.BAR_HEIGHT + timeliness.BAR_GAP


def test_csv_has_one_row_per_event_type_then_the_agency_totals() -> None:
    period = Period(date(2026, 12, 1), date(2026, 12, 31))
    text = timeliness.report_csv(
        period, timeliness.report_by_agency(ITEMS), timeliness.report_by_event_type(ITEMS)
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["period_start", "2026-12-01", "period_end", "2026-12-31"]
    assert rows[1][:4] == ["agency", "event_type", "event", "updates"]
    assert rows[2] == [
        "police",
        "suspect-arrested",
        "Someone has been arrested (suspect-arrested)",
        "5",
        "2",
        "1",
        "1",
        "1",
        "50.0",
        "1",
    ]
    assert rows[-1][:2] == ["all", "all"]
    assert rows[-1][-2:] == ["50.0", "1"]


def test_period_bounds_are_london_days() -> None:
    start, after = Period(date(2026, 7, 1), date(2026, 7, 31)).bounds()
    assert start == at("2026-06-30T23:00")  # midnight BST
    assert after == at("2026-07-31T23:00")
