"""Issue 23: hearings on a date the victim asked to avoid (`portal/services/court_needs/clash.py`): what
mutation testing showed no test noticed. Each test is named for what the officer would miss or be told
wrongly; the rule is pure, so no database is needed."""

from __future__ import annotations

import os
import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portal.services.court_needs.clash import (
    HearingNotice,
    clashes,
    clashing_date,
    parse_time,
    standing_hearings,
)
from portal.services.court_needs.records import AFTERNOON, WHOLE_DAY, DateToAvoid

BST = timezone(timedelta(hours=1))


@pytest.fixture
def server_in_new_york() -> Iterator[None]:
    """The server's own clock set to New York time (five hours behind London in summer)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time_module.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time_module.tzset()


def notice(update_id: str, victim_id: str | None, **details: str) -> HearingNotice:
    return HearingNotice(update_id, 1, "hearing-scheduled", victim_id, details)


@pytest.mark.usefixtures("server_in_new_york")
def test_a_hearing_just_after_midnight_today_is_flagged_whatever_the_servers_time_zone() -> None:
    """00:30 on 5 July in London is still 4 July in New York: the hearing is today's, not yesterday's."""
    at = datetime(2027, 7, 5, 0, 30, tzinfo=BST)
    found = clashes(
        standing_hearings([notice("a", None, hearing_at=at.isoformat())]),
        {("v1", 1): [DateToAvoid(date(2027, 7, 5), WHOLE_DAY, "work")]},
        today=date(2027, 7, 5),
    )
    assert [(item.victim_id, item.hearing.at) for item in found] == [("v1", at)]


def test_the_whole_day_is_named_before_the_afternoon_it_covers() -> None:
    afternoon = DateToAvoid(date(2027, 1, 18), AFTERNOON, "work")
    whole_day = DateToAvoid(date(2027, 1, 18), WHOLE_DAY, "medical")
    assert clashing_date(datetime(2027, 1, 18, 14, 0, tzinfo=UTC), [afternoon, whole_day]) == whole_day


def test_a_hearing_for_one_victim_is_not_flagged_on_another_victims_dates() -> None:
    hearings = standing_hearings([notice("a", "v2", hearing_at="2027-03-14T10:00:00+00:00")])
    avoid = [DateToAvoid(date(2027, 3, 14), WHOLE_DAY, "work")]
    found = clashes(hearings, {("v1", 1): avoid, ("v2", 1): avoid}, today=date(2027, 3, 1))
    assert [item.victim_id for item in found] == ["v2"]


def test_a_hearing_time_with_its_offset_keeps_its_part_of_the_day() -> None:
    """12:30 in London summer time is a morning hearing; read as 12:30 UTC it would be 13:30, afternoon."""
    hearings = standing_hearings([notice("a", None, hearing_at="2027-07-05T12:30:00+01:00")])
    assert [hearing.at for hearing in hearings] == [datetime(2027, 7, 5, 11, 30, tzinfo=UTC)]
    afternoon = [DateToAvoid(date(2027, 7, 5), AFTERNOON, "work")]
    assert clashes(hearings, {("v1", 1): afternoon}, today=date(2027, 7, 1)) == []


def test_a_hearing_time_without_an_offset_is_read_as_utc() -> None:
    assert parse_time("2027-03-14T10:00:00") == datetime(2027, 3, 14, 10, 0, tzinfo=UTC)
    assert parse_time("2027-03-14T10:00:00").tzinfo is not None  # type: ignore[union-attr]


@pytest.mark.parametrize("value", [20270314, ["2027-03-14T10:00:00+00:00"], {"at": "2027-03-14"}, True])
def test_a_hearing_time_that_is_not_text_is_no_hearing_rather_than_an_error_on_the_officers_pages(
    value: object,
) -> None:
    assert parse_time(value) is None
    assert standing_hearings([HearingNotice("a", 1, "hearing-scheduled", None, {"hearing_at": value})]) == []
