"""A letter tells the victim when it arrives, not when it is posted (DOMAIN.md): Notify reports a letter
"received" when it is printed and posted; second class arrives 2 working days later."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.services.vocabulary.deadlines import (
    is_on_time,
    letter_arrives,
    letters_arrived_if_posted_by,
    london_date,
    told_by_message,
)


@pytest.mark.parametrize(
    ("posted", "arrives"),
    [
        (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), date(2026, 12, 2)),  # Monday -> Wednesday
        (datetime(2026, 12, 4, 15, 0, tzinfo=UTC), date(2026, 12, 8)),  # Friday -> Tuesday
        (datetime(2026, 12, 24, 9, 0, tzinfo=UTC), date(2026, 12, 30)),  # over Christmas and Boxing Day
        (datetime(2026, 12, 5, 23, 30, tzinfo=UTC), date(2026, 12, 8)),  # Saturday: Monday is the first
    ],
)
def test_a_letter_arrives_two_working_days_after_posting(posted: datetime, arrives: date) -> None:
    assert london_date(letter_arrives(posted)) == arrives


def test_a_letter_posted_on_the_deadline_day_is_late() -> None:
    posted = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert not is_on_time(date(2026, 11, 30), told_by_message("letter", posted))
    assert is_on_time(date(2026, 12, 2), told_by_message("letter", posted))


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_texts_and_emails_tell_on_delivery(channel: str) -> None:
    delivered = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert told_by_message(channel, delivered) == delivered


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        letter_arrives(datetime(2026, 11, 30, 9, 0))


@pytest.mark.parametrize(
    ("now", "posted_by"),
    [
        # Wednesday 2 December, 1pm: Monday's letters arrived at midday today; Tuesday's not yet.
        (datetime(2026, 12, 2, 13, 0, tzinfo=UTC), date(2026, 11, 30)),
        # Wednesday, 11am: not Monday's yet; Sunday's (arriving Tuesday) are the last to have arrived.
        (datetime(2026, 12, 2, 11, 0, tzinfo=UTC), date(2026, 11, 29)),
        # Tuesday 8 December, 1pm: the weekend's arrived today, Monday's come tomorrow.
        (datetime(2026, 12, 8, 13, 0, tzinfo=UTC), date(2026, 12, 6)),
    ],
)
def test_which_letters_have_arrived_by_now(now: datetime, posted_by: date) -> None:
    cutoff = letters_arrived_if_posted_by(now)
    assert london_date(cutoff) == posted_by
    assert letter_arrives(cutoff) <= now
    assert letter_arrives(cutoff + timedelta(microseconds=1)) > now
