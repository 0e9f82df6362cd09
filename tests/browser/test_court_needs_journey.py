"""A victim gives two dates they cannot go to court and a need at court, on a phone (390 x 844), without
losing what they typed when a date is refused; axe-clean and nothing wider than the screen throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.services.court_needs.records import LONDON
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.browser import assert_accessible, sign_in_as

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
TITLE = "Dates you cannot go to court and help you need at court"


def check_page(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def type_date(page: Page, day: date) -> None:
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def test_victim_adds_two_dates_and_a_need_on_a_phone(browser: Browser, demo_site: str) -> None:
    today = datetime.now(UTC).astimezone(LONDON).date()
    first, second = today + timedelta(days=14), today + timedelta(days=40)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        check_page(page)
        page.get_by_role("button", name="Start").click()
        expect(page.get_by_role("heading", name="Dates you cannot go to court", level=1)).to_be_visible()
        check_page(page)

        # A date in the past is refused; what was typed and chosen stays.
        type_date(page, today - timedelta(days=1))
        page.get_by_label("Morning").check()
        page.get_by_label("Medical appointment").check()
        page.get_by_role("button", name="Add this date").click()
        expect(page.get_by_role("link", name="The date must be today or in the future")).to_be_visible()
        expect(page.get_by_label("Morning")).to_be_checked()
        expect(page.get_by_label("Medical appointment")).to_be_checked()
        check_page(page)

        type_date(page, first)
        page.get_by_role("button", name="Add this date").click()
        expect(page.get_by_role("heading", name="You have added 1 date")).to_be_visible()
        type_date(page, second)
        page.get_by_label("All day").check()
        page.get_by_label("Holiday already booked").check()
        page.get_by_role("button", name="Add this date").click()
        expect(page.get_by_role("heading", name="You have added 2 dates")).to_be_visible()
        check_page(page)
        # Also at 320 px, the narrowest screen the service supports: nothing wider than the screen.
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="Help you need at court", level=1)).to_be_visible()
        page.get_by_label("A screen so you do not see the defendant in court").check()
        check_page(page)
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="Check your answers", level=1)).to_be_visible()
        expect(page.get_by_role("term").filter(has_text=long_date(first))).to_be_visible()
        expect(page.get_by_role("term").filter(has_text=long_date(second))).to_be_visible()
        check_page(page)
        page.get_by_role("button", name="Save your answers").click()

        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(page.get_by_text("Your dates and the help you need at court have been saved")).to_be_visible()
        expect(page.get_by_text("A screen so you do not see the defendant in court")).to_be_visible()
        expect(page.get_by_role("term").filter(has_text=long_date(second))).to_be_visible()
        check_page(page)
    finally:
        context.close()
