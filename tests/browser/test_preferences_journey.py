"""A victim tells us how to contact them and what they need, on a phone (390 x 844), axe-clean throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import assert_accessible, sign_in_as
from tests.support.demo import DEMO_PASSWORD

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}


def check_page(page: Page) -> None:
    """axe-clean, and nothing wider than the phone's screen."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_victim_sets_contact_preferences_and_needs_on_a_phone(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.get_by_role("link", name="Your contact preferences and needs").click()
        expect(
            page.get_by_role("heading", name="Your contact preferences and needs", level=1)
        ).to_be_visible()
        expect(page.get_by_text("Demo Police (when the crime was reported)")).to_be_visible()  # the history
        check_page(page)

        page.get_by_role("link", name="Change safe times").click()
        expect(page.get_by_role("heading", name="At what times is it safe to contact you?")).to_be_visible()
        expect(page.get_by_text("For example, 9am or 21:00.")).to_be_visible()
        check_page(page)
        start, end = page.get_by_label("From", exact=True), page.get_by_label("To", exact=True)
        # A plain text input: a phone's keyboard with ":" and letters, not a numeric keypad.
        for field in (start, end):
            expect(field).to_have_attribute("type", "text")
            expect(field).not_to_have_attribute("inputmode", re.compile(".*"))
        start.fill("7pm")
        end.fill("8am")
        continue_(page)
        expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
        expect(page.get_by_role("link", name="The end time must be after the start time")).to_be_visible()
        expect(page.get_by_label("From", exact=True)).to_have_value("7pm")  # nothing typed is lost
        check_page(page)
        page.get_by_label("To", exact=True).fill("9.30pm")
        continue_(page)

        # A safe-contact setting changed, so the password is asked for again before check answers.
        check_page(page)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        continue_(page)
        # Then check answers, saying the times as we understood them; change one more thing from there.
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(page.get_by_text("7pm to 9:30pm, UK time")).to_be_visible()
        check_page(page)

        # Which way first: radios of the two ways, the saved first choice selected.
        page.get_by_role("link", name="Change order in which we try them").click()
        expect(page.get_by_role("heading", name="Which should we try first?")).to_be_visible()
        expect(page.get_by_role("radio", name="Email")).to_be_checked()
        check_page(page)
        page.get_by_role("radio", name="Text message").check()
        continue_(page)
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(page.get_by_text("1. Text message")).to_be_visible()
        page.get_by_role("link", name="Change updates you do not want").click()
        page.get_by_label("Parole and release").check()
        check_page(page)
        continue_(page)
        page.get_by_role("button", name="Save your answers").click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", name="Your answers have been saved")).to_be_visible()
        expect(page.get_by_text("by text message, then email")).to_be_visible()
        check_page(page)

        # What you need: an interpreter.
        page.get_by_role("link", name="See all your preferences and needs").click()
        page.get_by_role("link", name="Change interpreter").click()
        check_page(page)
        page.get_by_label("Yes").check()
        continue_(page)
        expect(
            page.get_by_role("heading", name="Which language do you need an interpreter for?")
        ).to_be_visible()
        continue_(page)
        expect(
            page.get_by_role("link", name="Enter the language you need an interpreter for")
        ).to_be_visible()
        check_page(page)
        page.get_by_label("Which language do you need an interpreter for?").fill("Polish")
        continue_(page)
        expect(page.get_by_text("Yes, Polish")).to_be_visible()
        page.get_by_role("button", name="Save your answers").click()
        page.wait_for_load_state()
        check_page(page)

        page.get_by_role("link", name="See all your preferences and needs").click()
        history = page.locator("table")
        expect(history).to_contain_text("Interpreter")
        expect(history).to_contain_text(re.compile("Safe times.*Updates you do not want"))
        check_page(page)
    finally:
        context.close()
