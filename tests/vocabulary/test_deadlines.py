"""Victims' Code deadlines in working days. Every expected date here was worked out by hand on a calendar.

England and Wales bank holidays used below (gov.uk/bank-holidays):
2023: 1 May (Early May), 8 May (coronation, one-off). 2026: 3 Apr Good Friday, 6 Apr Easter Monday,
31 Aug summer, 25 Dec (Fri), 28 Dec (Boxing Day substitute for Sat 26). 2027: 1 Jan, 26 Mar Good Friday,
29 Mar Easter Monday, 3 May, 31 May, 30 Aug, 27 and 28 Dec (substitutes for Sat 25 and Sun 26 Dec).
2028: 3 Jan (substitute for Sat 1 Jan). BST: 29 Mar to 25 Oct 2026, 28 Mar to 31 Oct 2027.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.services.vocabulary import UnknownEventType, parse_overrides
from portal.services.vocabulary.deadlines import (
    add_months,
    add_working_days,
    code_deadline,
    deadline_end,
    is_on_time,
    is_working_day,
    london_date,
    working_days_between,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- Working days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 3, 5), True),  # Friday
        (date(2027, 3, 6), False),  # Saturday
        (date(2027, 3, 7), False),  # Sunday
        (date(2027, 5, 3), False),  # Early May bank holiday
        (date(2027, 5, 31), False),  # Spring bank holiday
        (date(2026, 8, 31), False),  # Summer bank holiday
        (date(2027, 8, 30), False),  # Summer bank holiday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 28), False),  # Boxing Day substitute (26th is a Saturday)
        (date(2026, 12, 29), True),
        (date(2027, 12, 27), False),  # Christmas Day substitute (25th is a Saturday)
        (date(2027, 12, 28), False),  # Boxing Day substitute (26th is a Sunday)
        (date(2027, 12, 29), True),
        (date(2028, 1, 3), False),  # New Year's Day substitute
        (date(2023, 5, 8), False),  # Coronation: a one-off bank holiday
        (date(2027, 3, 17), True),  # St Patrick's Day: a holiday in Northern Ireland only
        (date(2027, 8, 2), True),  # Scottish summer holiday: not in England and Wales
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2027, 3, 1), 0, date(2027, 3, 1)),
        (date(2027, 3, 1), 1, date(2027, 3, 2)),
        (date(2027, 3, 1), 5, date(2027, 3, 8)),
        (date(2027, 3, 5), 1, date(2027, 3, 8)),  # Friday -> Monday
        (date(2027, 3, 6), 1, date(2027, 3, 8)),  # Saturday -> Monday: day 1 after Saturday is Monday
        (date(2027, 3, 7), 1, date(2027, 3, 8)),  # Sunday -> Monday
        (date(2027, 4, 30), 1, date(2027, 5, 4)),  # over the Early May bank holiday
        (date(2027, 4, 30), 5, date(2027, 5, 10)),
        (date(2027, 5, 28), 1, date(2027, 6, 1)),  # over the Spring bank holiday
        (date(2026, 8, 28), 1, date(2026, 9, 1)),  # over the Summer bank holiday
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # over Good Friday and Easter Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas (Fri) and Boxing Day substitute (Mon)
        (date(2026, 12, 24), 5, date(2027, 1, 5)),  # ... and New Year's Day (Fri)
        (date(2027, 12, 24), 1, date(2027, 12, 29)),  # both Christmas substitutes (Mon and Tue)
        (date(2027, 12, 24), 5, date(2028, 1, 5)),  # ... and the New Year's Day substitute (Mon 3 Jan)
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # over the coronation bank holiday
        (date(2027, 3, 1), 10, date(2027, 3, 15)),
        (date(2027, 3, 1), 20, date(2027, 3, 31)),  # 20 working days over Easter 2027
    ],
)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2027, 3, 1), -1)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(min_value=1, max_value=40)
)
def test_add_working_days_properties(start: date, days: int) -> None:
    result = add_working_days(start, days)
    assert result > start
    assert is_working_day(result)
    between = [start + timedelta(days=n) for n in range(1, (result - start).days + 1)]
    assert sum(is_working_day(d) for d in between) == days


# --- Code deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "enhanced", "expected"),
    [
        # 23:30 on a Friday in winter (GMT = UTC): the Friday does not count; due end of Monday.
        (utc(2027, 3, 5, 23, 30), True, date(2027, 3, 8)),
        # 23:30 on a Friday in summer (BST) is 22:30 UTC: still Friday in London; due end of Monday.
        (utc(2026, 7, 3, 22, 30), True, date(2026, 7, 6)),
        # 23:30 UTC on a Thursday in summer is 00:30 on Friday in London: due Monday, not Friday.
        (utc(2026, 7, 2, 23, 30), True, date(2026, 7, 6)),
        # 23:30 UTC on a Thursday in winter is still Thursday in London: due Friday.
        (utc(2027, 3, 4, 23, 30), True, date(2027, 3, 5)),
        # Received on a Saturday: due Monday.
        (utc(2027, 3, 6, 10, 0), True, date(2027, 3, 8)),
        # Standard 5 working days against enhanced 1 for the same arrest.
        (utc(2027, 3, 1, 10, 0), False, date(2027, 3, 8)),
        (utc(2027, 3, 1, 10, 0), True, date(2027, 3, 2)),
        # Easter 2026, late on the Thursday before Good Friday (BST): due Tuesday after Easter Monday.
        (utc(2026, 4, 2, 22, 30), True, date(2026, 4, 7)),
        (utc(2026, 4, 2, 22, 30), False, date(2026, 4, 13)),
    ],
)
def test_code_deadline_for_an_arrest(received_at: datetime, enhanced: bool, expected: date) -> None:
    assert code_deadline(received_at, "suspect-arrested", enhanced) == expected


def test_code_deadline_same_for_standard_and_enhanced_when_the_code_says_so() -> None:
    received = utc(2027, 3, 5, 16, 0)  # Friday
    assert code_deadline(received, "hearing-scheduled", False) == date(2027, 3, 8)
    assert code_deadline(received, "hearing-scheduled", True) == date(2027, 3, 8)
    assert code_deadline(received, "support-referral-made", False) == date(2027, 3, 9)
    assert code_deadline(received, "crime-recorded", False) == date(2027, 3, 8)  # "without delay" = 1 day


def test_vcs_referral_counts_from_sentence_when_the_date_is_given() -> None:
    received = utc(2027, 3, 10, 10, 0)
    assert code_deadline(received, "vcs-referral", False, details={"sentence_date": "2027-03-01"}) == date(
        2027, 3, 15
    )
    assert code_deadline(received, "vcs-referral", True, details={"sentence_date": date(2027, 3, 1)}) == date(
        2027, 3, 15
    )
    # Without the sentence date, the clock falls back to receipt (Wednesday 10 March + 10 working days).
    assert code_deadline(received, "vcs-referral", False) == date(2027, 3, 24)


def test_vlo_contact_counts_from_referral() -> None:
    received = utc(2027, 3, 20, 10, 0)
    deadline = code_deadline(received, "vlo-contact", False, details={"referral_date": "2027-03-01"})
    assert deadline == date(2027, 3, 31)


def test_details_do_not_move_the_clock_for_ordinary_types() -> None:
    received = utc(2027, 3, 1, 10, 0)
    assert code_deadline(received, "suspect-arrested", True, details={"sentence_date": "2020-01-01"}) == date(
        2027, 3, 2
    )


def test_overrides_of_unconfirmed_types() -> None:
    received = utc(2027, 3, 1, 10, 0)  # Monday
    overrides = parse_overrides("suspect-charged=3/2, appeal-lodged=5/2")
    assert overrides == {"suspect-charged": (3, 2), "appeal-lodged": (5, 2)}
    assert code_deadline(received, "suspect-charged", False, overrides) == date(2027, 3, 4)
    assert code_deadline(received, "suspect-charged", True, overrides) == date(2027, 3, 3)
    assert code_deadline(received, "suspect-charged", True) == date(2027, 3, 2)  # default 5/1
    assert code_deadline(received, "crime-recorded", False, parse_overrides("crime-recorded=2/1")) == date(
        2027, 3, 3
    )
    # An override of one type leaves the others alone.
    assert code_deadline(received, "hearing-scheduled", False, overrides) == date(2027, 3, 2)


@pytest.mark.parametrize("text", ["hearing-scheduled=2/2", "suspect-arrested=10/5", "vcs-referral=20/20"])
def test_overrides_of_confirmed_types_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="Only unconfirmed timescales can be configured"):
        parse_overrides(text)


def test_a_confirmed_override_passed_directly_is_rejected_too() -> None:
    with pytest.raises(ValueError, match="Only unconfirmed"):
        code_deadline(utc(2027, 3, 1, 10, 0), "verdict", False, {"verdict": (10, 10)})


def test_code_deadline_rejects_naive_datetimes_and_unknown_types() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        code_deadline(datetime(2027, 3, 1, 10, 0), "verdict", False)
    with pytest.raises(UnknownEventType):
        code_deadline(utc(2027, 3, 1, 10, 0), "no-such-event", False)


# --- End of day, on time, lateness --------------------------------------------------------------------


def test_deadline_end_is_the_last_moment_of_the_day_in_london() -> None:
    assert deadline_end(date(2027, 3, 8)) == utc(2027, 3, 8, 23, 59, 59, 999999)  # GMT
    assert deadline_end(date(2026, 7, 6)) == utc(2026, 7, 6, 22, 59, 59, 999999)  # BST
    assert deadline_end(date(2026, 7, 6)).tzinfo == UTC


def test_is_on_time_at_the_edges() -> None:
    deadline = date(2026, 7, 6)  # BST
    assert is_on_time(deadline, utc(2026, 7, 6, 22, 59, 59, 999999))
    assert not is_on_time(deadline, utc(2026, 7, 6, 23, 0))  # 00:00 on 7 July in London
    assert is_on_time(deadline, utc(2026, 7, 1, 9, 0))  # early is on time
    winter = date(2027, 3, 8)
    assert is_on_time(winter, utc(2027, 3, 8, 23, 59))
    assert not is_on_time(winter, utc(2027, 3, 9, 0, 0))
    # Any aware timezone is fine: 08:00 on 9 March in Paris is 07:00 UTC, after the deadline.
    assert not is_on_time(winter, datetime(2027, 3, 9, 8, 0, tzinfo=timezone(timedelta(hours=1))))
    with pytest.raises(ValueError):
        is_on_time(winter, datetime(2027, 3, 8, 12, 0))


def test_working_days_between() -> None:
    friday_end = deadline_end(date(2027, 3, 5))
    assert working_days_between(friday_end, utc(2027, 3, 5, 12, 0)) == 0
    assert working_days_between(friday_end, utc(2027, 3, 6, 12, 0)) == 0  # Saturday: late, not a whole day
    assert working_days_between(friday_end, utc(2027, 3, 8, 9, 0)) == 1
    assert working_days_between(friday_end, utc(2027, 3, 10, 9, 0)) == 3
    assert working_days_between(utc(2027, 3, 10, 9, 0), friday_end) == -3
    # Over Easter 2027: Thursday 25 to Wednesday 31 March is 2 working days (30 and 31; not 26 or 29).
    assert working_days_between(utc(2027, 3, 25, 9, 0), utc(2027, 3, 31, 9, 0)) == 2
    # London dates, not UTC dates: 23:30 UTC on Thursday 2 July 2026 is already Friday in London.
    assert working_days_between(utc(2026, 7, 1, 12, 0), utc(2026, 7, 2, 23, 30)) == 2


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=25),
)
def test_the_deadline_is_n_working_days_after_receipt(received_at: datetime, days: int) -> None:
    deadline = add_working_days(london_date(received_at), days)
    assert working_days_between(received_at, deadline_end(deadline)) == days
    assert is_on_time(deadline, deadline_end(deadline))
    assert not is_on_time(deadline, deadline_end(deadline) + timedelta(microseconds=1))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 12, 14), 3, date(2027, 3, 14)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2027, 10, 31), 3, date(2028, 1, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected
