"""The "Where things stand now" panel at the top of a case page, in Chromium: on a 320 px phone with no
sideways scrolling, with no accessibility violations (axe), without JavaScript, and in the support
worker's discreet view (no named contacts: no delegation grants them)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.browser import assert_accessible, complete_second_factor_in_browser, sign_in_as
from tests.support.demo import DEMO_PASSWORD

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 320, "height": 640}


def _no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_victim_reads_where_things_stand_on_a_phone(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.get_by_role("link", name=re.compile("^Assault")).click()
        panel = page.locator("#case-standing")
        expect(panel.get_by_role("heading", name="Where things stand now", level=2)).to_be_visible()
        expect(panel).to_contain_text("Serving a sentence")
        expect(panel).to_contain_text("Next hearing: 18 January 2027 at 10am, Exampletown Crown Court")
        expect(panel).to_contain_text("Your contacts")
        # The panel comes before the updates.
        assert page.locator("#case-standing, .moj-timeline").first.get_attribute("id") == "case-standing"
        _no_sideways_scrolling(page)
        assert_accessible(page)

        right = panel.locator("details").first
        right.locator("summary").click()
        expect(right.locator(".govuk-details__text")).to_be_visible()
        _no_sideways_scrolling(page)
        assert_accessible(page)
    finally:
        context.close()


def test_the_panel_works_without_javascript(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{demo_site}/sign-in")
        page.get_by_label("Email address").fill("victim@demo.example")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        complete_second_factor_in_browser(page, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        panel = page.locator("#case-standing")
        expect(panel).to_contain_text("Serving a sentence")
        expect(panel).to_contain_text("Next hearing: 18 January 2027 at 10am, Exampletown Crown Court")
        # The words of a right open without JavaScript (a native <details>).
        right = panel.locator("details").first
        right.locator("summary").click()
        expect(right.locator(".govuk-details__text")).to_be_visible()
    finally:
        context.close()


def test_the_support_workers_view_is_discreet(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "support@demo.example")
        page.goto(f"{demo_site}/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}")
        panel = page.locator("#case-standing")
        expect(panel.get_by_role("heading", name="Where things stand now", level=2)).to_be_visible()
        expect(panel).to_contain_text("Serving a sentence")
        expect(panel).to_contain_text("Next hearing: 18 January 2027 at 10am, Exampletown Crown Court")
        expect(panel).to_contain_text("Rights open now")
        # Nothing the delegation does not grant: no named contacts, and no "New" flags on the page.
        expect(panel).not_to_contain_text("contacts")
        expect(panel.locator("a[href^='tel:'], a[href^='mailto:']")).to_have_count(0)
        expect(page.get_by_text("New", exact=True)).to_have_count(0)
        _no_sideways_scrolling(page)
        assert_accessible(page)
    finally:
        context.close()
