"""What the victim may claim and by when (portal/services/cases/entitlements.py), read through the case's
standing (`standing()`, a pure function): the boundaries of each date, London dates, calendar days and
calendar months, and what is said once a date has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from portal.services import vocabulary
from portal.services.cases import entitlements as ent
from portal.services.cases.standing import UpdateFact, standing

pytestmark = pytest.mark.usefixtures("babel_app_context")

REPORTED = date(2027, 1, 11)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def fact(event_type: str, occurred: datetime, details: dict[str, Any] | None = None) -> UpdateFact:
    return UpdateFact(event_type, details or {}, occurred, occurred + timedelta(minutes=30))


def claims(
    updates: list[UpdateFact], today: date, reported_on: date | None = REPORTED
) -> dict[str, ent.Entitlement]:
    found = standing(updates, at(today), reported_on=reported_on).entitlements
    return {item.key: item for item in found}


SENTENCED = fact(
    "sentence", at(date(2027, 3, 1)), {"sentence_summary": "2 years", "sentence_date": "2027-03-01"}
)


# --- Unduly Lenient Sentence scheme: 28 calendar days from the sentence, a hard limit ----------------


def test_the_unduly_lenient_sentence_scheme_is_open_on_day_28_and_passed_on_day_29() -> None:
    # Sentenced on Monday 1 March 2027: the 28 days end on Monday 29 March (weekends count).
    on_day_28 = claims([SENTENCED], date(2027, 3, 29))[ent.UNDULY_LENIENT]
    assert on_day_28.until == date(2027, 3, 29)
    assert not on_day_28.passed
    on_day_29 = claims([SENTENCED], date(2027, 3, 30))[ent.UNDULY_LENIENT]
    assert on_day_29.passed
    assert on_day_29.after is not None and "cannot be extended" in on_day_29.after
    assert on_day_29.link_url == "https://www.gov.uk/report-sentence-unduly-lenient"


def test_the_scheme_counts_calendar_days_across_a_bank_holiday_and_the_clock_change() -> None:
    # Sentenced on Thursday 25 March 2027: Good Friday, Easter Monday and the clocks going forward all
    # fall inside; calendar days still end on Thursday 22 April.
    sentenced = fact("sentence", at(date(2027, 3, 25)), {"sentence_date": "2027-03-25"})
    assert claims([sentenced], date(2027, 4, 1))[ent.UNDULY_LENIENT].until == date(2027, 4, 22)


def test_the_date_is_the_vocabularys_own() -> None:
    wording = vocabulary.describe("sentence", SENTENCED.details, occurred_at=SENTENCED.occurred_at)
    (uls,) = [right for right in wording.rights if right.name == "Unduly Lenient Sentence scheme"]
    assert claims([SENTENCED], date(2027, 3, 2))[ent.UNDULY_LENIENT].until == uls.until


def test_without_a_sentence_date_the_28_days_run_from_the_london_date_it_happened() -> None:
    # 23:30 UTC on 30 June 2027 is 00:30 on 1 July in London: the 28 days end on 29 July, not 28 July.
    late_evening = fact("sentence", datetime(2027, 6, 30, 23, 30, tzinfo=UTC), {"sentence_summary": "A fine"})
    assert claims([late_evening], date(2027, 7, 1))[ent.UNDULY_LENIENT].until == date(2027, 7, 29)


def test_the_scheme_is_offered_only_once_someone_is_sentenced() -> None:
    verdict = fact("verdict", at(date(2027, 2, 1)), {"guilty": True})
    assert ent.UNDULY_LENIENT not in claims([verdict], date(2027, 2, 2))
    assert ent.UNDULY_LENIENT in claims([verdict, SENTENCED], date(2027, 3, 2))


def test_the_latest_sentence_counts() -> None:
    again = fact("sentence", at(date(2027, 5, 3)), {"sentence_date": "2027-05-03"})
    assert claims([again, SENTENCED], date(2027, 5, 4))[ent.UNDULY_LENIENT].until == date(2027, 5, 31)


# --- Compensation (CICA): 2 years from the crime ------------------------------------------------------


def test_compensation_runs_2_years_from_the_date_reported_and_says_it_runs_from_the_crime() -> None:
    cica = claims([], date(2027, 2, 1))[ent.CICA]
    assert cica.until == date(2029, 1, 11)
    assert not cica.passed
    assert cica.note is not None and "The 2 years run from the date of the crime" in cica.note
    assert "20th birthday" in cica.text and "physical or mental health" in cica.text
    assert cica.link_url == "https://www.gov.uk/claim-compensation-criminal-injury"


def test_compensation_after_a_crime_reported_on_29_february_ends_on_28_february() -> None:
    leap = date(2028, 2, 29)
    last_day = claims([], date(2030, 2, 28), reported_on=leap)[ent.CICA]
    assert last_day.until == date(2030, 2, 28)
    assert not last_day.passed
    day_after = claims([], date(2030, 3, 1), reported_on=leap)[ent.CICA]
    assert day_after.passed


def test_once_2_years_have_passed_compensation_is_shown_with_the_exceptions() -> None:
    passed = claims([], date(2029, 1, 12))[ent.CICA]
    assert passed.passed
    assert passed.after is not None
    assert "you may still be able to apply" in passed.after
    assert "20th birthday" in passed.after and "could not apply earlier" in passed.after


def test_with_no_date_reported_compensation_is_undated_not_guessed() -> None:
    cica = claims([], date(2027, 2, 1), reported_on=None)[ent.CICA]
    assert cica.until is None and cica.has_clock and not cica.passed
    assert cica.note is None


# --- Witness expenses: after a witness-required update, 1 month from going to court ------------------

HEARING = fact(
    "hearing-scheduled", at(date(2027, 3, 1)), {"hearing_at": "2027-04-14T10:00:00+01:00", "court_name": "X"}
)
NEEDED = fact("witness-required", at(date(2027, 3, 2)))


def test_witness_expenses_appear_only_after_a_witness_required_update() -> None:
    before = claims([HEARING], date(2027, 3, 1))
    assert ent.WITNESS_EXPENSES not in before
    after = claims([HEARING, NEEDED], date(2027, 3, 2))
    expenses = after[ent.WITNESS_EXPENSES]
    # Not been to court yet: a month from a day still to come.
    assert expenses.until is None and expenses.has_clock and not expenses.passed
    assert "within 1 month" in expenses.text


def test_witness_expenses_are_due_a_month_after_the_hearing_day() -> None:
    on_the_day = claims([HEARING, NEEDED], date(2027, 4, 14))[ent.WITNESS_EXPENSES]
    assert on_the_day.until == date(2027, 5, 14)
    assert not claims([HEARING, NEEDED], date(2027, 5, 14))[ent.WITNESS_EXPENSES].passed
    late = claims([HEARING, NEEDED], date(2027, 5, 15))[ent.WITNESS_EXPENSES]
    assert late.passed and late.after is not None and "Witness Care" in late.after


def test_a_moved_hearing_moves_the_month_and_one_called_off_before_its_day_gives_none() -> None:
    moved = fact(
        "hearing-changed",
        at(date(2027, 3, 20)),
        {"hearing_at": "2027-05-31T10:00:00+01:00", "court_name": "X"},
    )
    assert claims([HEARING, NEEDED, moved], date(2027, 6, 1))[ent.WITNESS_EXPENSES].until == date(2027, 6, 30)
    adjourned = fact("hearing-adjourned", at(date(2027, 4, 1)), {"reason": "The court had no time"})
    assert claims([HEARING, NEEDED, adjourned], date(2027, 6, 1))[ent.WITNESS_EXPENSES].until is None


# --- Pre-trial visit and restorative justice ----------------------------------------------------------


def test_a_court_visit_is_offered_while_a_hearing_is_to_come() -> None:
    visit = claims([HEARING], date(2027, 4, 13))[ent.COURT_VISIT]
    assert visit.before == datetime(2027, 4, 14, 9, tzinfo=UTC)
    assert visit.until is None and not visit.has_clock
    assert "citizensadvice.org.uk" in visit.link_url
    assert ent.COURT_VISIT not in claims([HEARING], date(2027, 4, 15))
    assert ent.COURT_VISIT not in claims([], date(2027, 4, 13))


def test_restorative_justice_is_open_at_any_stage() -> None:
    for updates in ([], [HEARING, NEEDED, SENTENCED]):
        justice = claims(updates, date(2027, 3, 2))[ent.RESTORATIVE_JUSTICE]
        assert justice.until is None and not justice.has_clock and not justice.passed


# --- Order, and the next deadline on "Your cases" ------------------------------------------------------


def test_the_nearest_last_day_comes_first_and_passed_ones_last() -> None:
    sentenced = fact("sentence", at(date(2027, 5, 3)), {"sentence_date": "2027-05-03"})
    found = standing([HEARING, NEEDED, sentenced], at(date(2027, 6, 1)), reported_on=REPORTED).entitlements
    keys = [item.key for item in found]
    # Expenses (14 May) and the ULS (31 May) have passed; compensation (11 January 2029) is still open.
    assert keys == [ent.CICA, ent.RESTORATIVE_JUSTICE, ent.WITNESS_EXPENSES, ent.UNDULY_LENIENT]
    assert [item.passed for item in found] == [False, False, True, True]


def test_the_next_deadline_is_one_within_28_days_and_not_passed() -> None:
    items = standing([SENTENCED], at(date(2027, 3, 1)), reported_on=REPORTED).entitlements
    due = ent.next_deadline(items, date(2027, 3, 1))
    assert due is not None and due.key == ent.UNDULY_LENIENT
    # 29 March is 28 days after 1 March, 29 days after 28 February.
    assert ent.next_deadline(items, date(2027, 2, 28)) is None
    assert ent.next_deadline(items, date(2027, 3, 29)) is not None
    later = standing([SENTENCED], at(date(2027, 3, 30)), reported_on=REPORTED).entitlements
    assert ent.next_deadline(later, date(2027, 3, 30)) is None
