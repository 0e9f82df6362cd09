"""Issue 23: what mutation testing of the Code deadlines (`portal/services/vocabulary/deadlines.py`) showed
no test noticed: a clock that is aware only in name, when a letter arrives, the latest posting time whose
letters have arrived, and the lateness of a day told early. Pure rules: no database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

import pytest

from portal.services.vocabulary import deadlines


class NoOffset(tzinfo):
    """A time zone that knows no offset: a datetime with it is naive for every purpose."""

    def utcoffset(self, _moment: datetime | None) -> None:
        return None

    def dst(self, _moment: datetime | None) -> None:
        return None


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("moment", lambda moment: deadlines.london_date(moment)),
        ("received_at", lambda moment: deadlines.code_deadline(moment, "suspect-charged", False)),
        ("told_at", lambda moment: deadlines.is_on_time(date(2026, 11, 30), moment)),
        ("posted_at", lambda moment: deadlines.letter_arrives(moment)),
        ("now", lambda moment: deadlines.letters_arrived_if_posted_by(moment)),
    ],
)
def test_a_datetime_without_an_offset_is_refused_as_naive(
    name: str, call: Callable[[datetime], object]
) -> None:
    """The error names the argument that was naive."""
    for naive in (datetime(2026, 11, 30, 12, 0), datetime(2026, 11, 30, 12, 0, tzinfo=NoOffset())):
        with pytest.raises(ValueError, match=f"^{name} must be a timezone-aware datetime, not "):
            call(naive)


def test_a_letter_arrives_at_midday_london_time_two_working_days_after_posting() -> None:
    # Posted on a Thursday in summer (BST): Monday at noon in London is 11:00 UTC.
    assert deadlines.letter_arrives(datetime(2026, 7, 2, 16, 0, tzinfo=UTC)) == datetime(
        2026, 7, 6, 11, 0, tzinfo=UTC
    )
    # In winter (GMT) noon in London is noon UTC.
    assert deadlines.letter_arrives(datetime(2026, 11, 26, 16, 0, tzinfo=UTC)) == datetime(
        2026, 11, 30, 12, 0, tzinfo=UTC
    )
    assert deadlines.told_by_message("letter", datetime(2026, 11, 26, 16, 0, tzinfo=UTC)).hour == 12
    assert deadlines.told_by_message("sms", datetime(2026, 11, 26, 16, 0, tzinfo=UTC)).hour == 16


def test_letters_posted_by_the_end_of_a_day_have_arrived_from_noon_two_working_days_later() -> None:
    monday_noon_bst = datetime(2026, 7, 6, 11, 0, tzinfo=UTC)  # letters posted on Thursday arrive now
    thursday_end = datetime(2026, 7, 2, 23, 59, 59, 999999, tzinfo=UTC) - timedelta(hours=1)
    assert deadlines.letters_arrived_if_posted_by(monday_noon_bst) == thursday_end
    # A moment before noon, only Wednesday's letters have arrived.
    assert deadlines.letters_arrived_if_posted_by(monday_noon_bst - timedelta(microseconds=1)) == (
        thursday_end - timedelta(days=1)
    )
    winter = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday noon, GMT: Thursday's letters
    assert deadlines.letters_arrived_if_posted_by(winter) == datetime(
        2026, 11, 26, 23, 59, 59, 999999, tzinfo=UTC
    )


def test_the_deadline_ends_at_the_last_moment_of_the_london_day() -> None:
    assert deadlines.deadline_end(date(2026, 7, 6)) == datetime(2026, 7, 6, 22, 59, 59, 999999, tzinfo=UTC)
    assert deadlines.deadline_end(date(2026, 7, 6)).tzinfo == UTC


def test_working_days_between_the_same_day_is_none_either_way() -> None:
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert deadlines.working_days_between(friday, friday + timedelta(hours=8)) == 0
    assert deadlines.working_days_between(friday + timedelta(hours=8), friday) == 0
    assert deadlines.working_days_between(friday + timedelta(days=3), friday) == -1
