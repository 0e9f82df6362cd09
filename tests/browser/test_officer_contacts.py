"""A witness care officer changes a case's officer in the case: from the case page's "Named contacts" to
the question page, a mistake shown the GOV.UK way, then saved. Every page axe-clean, on a 320px phone
without sideways scrolling, and on a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.browser import assert_accessible, sign_in_as

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

VIEWPORTS = {
    "phone-320x640": {"width": 320, "height": 640},
    "desktop-1280x800": {"width": 1280, "height": 800},
}


def visit(page: Page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_officer_changes_the_officer_in_the_case(browser: Browser, demo_site: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "officer@demo.example")
        page.goto(f"{demo_site}/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}")
        visit(page)
        contacts = page.locator("#named-contacts + .govuk-summary-list")
        expect(contacts).to_contain_text("DC Sam Patel")
        contacts.get_by_role("link", name=re.compile("Change Officer in the case")).click()
        visit(page)
        expect(page.get_by_role("heading", name="Named contacts", level=1)).to_be_visible()

        page.locator("#officer_in_case_name").fill("DS Kim Lee")
        page.locator("#officer_in_case_phone").fill("12345")
        page.get_by_role("button", name="Save named contacts").click()
        visit(page)
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter a phone number")
        summary.get_by_role("link", name=re.compile("Enter a phone number")).click()
        expect(page.locator("#officer_in_case_phone")).to_be_focused()
        expect(page.locator("#officer_in_case_name")).to_have_value("DS Kim Lee")

        page.locator("#officer_in_case_phone").fill("020 7946 0018")
        page.get_by_role("button", name="Save named contacts").click()
        visit(page)
        expect(page.get_by_text("Named contacts saved.")).to_be_visible()
        contacts = page.locator("#named-contacts + .govuk-summary-list")
        expect(contacts).to_contain_text("DS Kim Lee")
        expect(contacts.get_by_role("link", name="020 7946 0018")).to_have_attribute(
            "href", "tel:+442079460018"
        )
    finally:
        context.close()
