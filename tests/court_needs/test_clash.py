"""The rule: is a hearing on a date the victim asked to avoid? Boundaries of the parts of the day (London
time, summer and winter), whole days, hearings moved by a later update, and past hearings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portal.services.court_needs.clash import (
    Hearing,
    HearingNotice,
    clashes,
    clashing_date,
    part_of_day,
    standing_hearings,
)
from portal.services.court_needs.records import AFTERNOON, MORNING, WHOLE_DAY, DateToAvoid

BST = timezone(timedelta(hours=1))
WINTER_DAY = date(2027, 1, 18)
SUMMER_DAY = date(2027, 7, 5)


def avoid(day: date, part: str) -> DateToAvoid:
    return DateToAvoid(day, part, "work")


@pytest.mark.parametrize(
    ("hearing_at", "expected"),
    [
        (datetime(2027, 1, 18, 12, 59, 59, tzinfo=UTC), MORNING),  # winter: London is UTC
        (datetime(2027, 1, 18, 13, 0, tzinfo=UTC), AFTERNOON),
        (datetime(2027, 7, 5, 11, 59, tzinfo=UTC), MORNING),  # 12:59 in London (BST)
        (datetime(2027, 7, 5, 12, 0, tzinfo=UTC), AFTERNOON),  # 13:00 in London
        (datetime(2027, 7, 5, 13, 0, tzinfo=BST), AFTERNOON),
        (datetime(2027, 7, 5, 0, 0, tzinfo=BST), MORNING),
    ],
)
def test_morning_is_before_one_in_the_afternoon_london_time(hearing_at: datetime, expected: str) -> None:
    assert part_of_day(hearing_at) == expected


def test_a_morning_date_catches_a_hearing_before_one_and_not_from_one() -> None:
    dates = [avoid(WINTER_DAY, MORNING)]
    assert clashing_date(datetime(2027, 1, 18, 12, 59, tzinfo=UTC), dates) == dates[0]
    assert clashing_date(datetime(2027, 1, 18, 13, 0, tzinfo=UTC), dates) is None


def test_an_afternoon_date_catches_a_hearing_from_one_and_not_before() -> None:
    dates = [avoid(SUMMER_DAY, AFTERNOON)]
    assert clashing_date(datetime(2027, 7, 5, 13, 0, tzinfo=BST), dates) == dates[0]
    assert clashing_date(datetime(2027, 7, 5, 12, 59, tzinfo=BST), dates) is None


def test_a_whole_day_catches_any_time_of_its_london_date_only() -> None:
    dates = [avoid(SUMMER_DAY, WHOLE_DAY)]
    assert clashing_date(datetime(2027, 7, 5, 0, 0, tzinfo=BST), dates) == dates[0]
    assert clashing_date(datetime(2027, 7, 5, 23, 59, tzinfo=BST), dates) == dates[0]
    # 23:30 UTC on the 4th is 00:30 on the 5th in London.
    assert clashing_date(datetime(2027, 7, 4, 23, 30, tzinfo=UTC), dates) == dates[0]
    assert clashing_date(datetime(2027, 7, 4, 22, 59, tzinfo=UTC), dates) is None
    assert clashing_date(datetime(2027, 7, 6, 9, 0, tzinfo=BST), dates) is None


def test_the_whole_day_is_named_before_a_part_of_it() -> None:
    dates = [avoid(WINTER_DAY, MORNING), avoid(WINTER_DAY, WHOLE_DAY)]
    assert clashing_date(datetime(2027, 1, 18, 10, 0, tzinfo=UTC), dates) == dates[1]


def notice(
    update_id: str, event: str, case_id: int = 1, victim_id: str | None = None, **details: str
) -> HearingNotice:
    return HearingNotice(update_id, case_id, event, victim_id, details)


def test_a_hearing_moved_by_a_later_update_no_longer_stands() -> None:
    hearings = standing_hearings(
        [
            notice("a", "hearing-scheduled", hearing_at="2027-03-14T10:00:00+00:00"),
            notice("b", "hearing-scheduled", case_id=2, hearing_at="2027-03-14T10:00:00+00:00"),
            notice(
                "c",
                "hearing-changed",
                hearing_at="2027-04-20T14:00:00+01:00",
                previous_hearing_at="2027-03-14T10:00:00+00:00",
            ),
            notice("d", "witness-required", hearing_at="2027-05-01T10:00:00+01:00"),
            notice("e", "victim-contact-offered"),
        ]
    )
    assert [hearing.update_id for hearing in hearings] == ["b", "c", "d"]


def test_only_hearings_from_today_on_and_for_the_victim_are_flagged() -> None:
    at = datetime(2027, 3, 14, 10, 0, tzinfo=UTC)
    dates = {
        ("v1", 1): [avoid(date(2027, 3, 14), WHOLE_DAY)],
        ("v2", 1): [avoid(date(2027, 3, 14), AFTERNOON)],
    }
    everyone = Hearing("a", 1, "hearing-scheduled", None, at)
    found = clashes([everyone], dates, today=date(2027, 3, 14))
    assert [(c.victim_id, c.hearing.update_id) for c in found] == [("v1", "a")]
    assert clashes([everyone], dates, today=date(2027, 3, 15)) == []
    only_v2 = Hearing("b", 1, "hearing-scheduled", "v2", at.replace(hour=14))
    assert [c.victim_id for c in clashes([only_v2], dates, today=date(2027, 3, 1))] == ["v2"]
    other_case = Hearing("c", 2, "hearing-scheduled", None, at)
    assert clashes([other_case], dates, today=date(2027, 3, 1)) == []
