"""A victim changes a need on their phone; the witness care officer sees it in the review queue, with
what changed, and marks it reviewed. Every officer page visited is axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import assert_accessible, sign_in_as

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def visit(page: Page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)


def test_officer_sees_the_victims_change_and_marks_it_reviewed(browser: Browser, demo_site: str) -> None:
    # The victim, on a phone: asks for help at court.
    victim = browser.new_context(viewport={"width": 390, "height": 844})
    page = victim.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/preferences")
        page.get_by_role("link", name=re.compile("Change help when giving evidence")).click()
        page.get_by_label("Screens, so you do not see the defendant").check()
        page.get_by_role("button", name="Continue").click()
        visit(page)
        page.get_by_role("button", name="Save your answers").click()
        expect(page.get_by_role("heading", name="Your answers have been saved")).to_be_visible()
    finally:
        victim.close()

    officer = browser.new_context(viewport={"width": 1280, "height": 900})
    page = officer.new_page()
    try:
        sign_in_as(page, demo_site, "officer@demo.example")
        page.get_by_role("link", name="Review queue").click()
        visit(page)
        expect(page.get_by_role("link", name="Sam Sample")).to_be_visible()

        # The filters are a plain GET form.
        page.get_by_label("Asked for special measures at court").check()
        page.get_by_role("button", name="Apply filters").click()
        visit(page)
        assert "filter=special-measures" in page.url
        expect(page.get_by_role("link", name="Sam Sample")).to_be_visible()

        page.get_by_role("link", name="Sam Sample").click()
        visit(page)
        expect(page.get_by_role("heading", name="Review preferences and needs", level=1)).to_be_visible()
        expect(page.locator(".govuk-caption-l")).to_have_text("Sam Sample")
        changed_row = page.locator(".govuk-summary-list__row", has_text="Help when giving evidence")
        expect(changed_row).to_contain_text("Screens, so they do not see the defendant")  # about the victim
        expect(changed_row.locator(".govuk-tag")).to_have_text("New")  # never reviewed before

        page.get_by_label("Note (optional)").fill("Asked the court about screens")
        page.get_by_role("button", name="Mark as reviewed").click()
        visit(page)
        expect(page.get_by_text("Marked as reviewed.")).to_be_visible()
        page.goto(f"{demo_site}/staff/review")
        expect(page.get_by_text("There is nothing to review.")).to_be_visible()
        visit(page)

        # The rest of the workspace: the victim's page, a case timeline, recording by phone, finding a
        # case and the timeliness report.
        page.get_by_role("link", name="Find a case").click()
        visit(page)
        page.get_by_label("Find a case").fill("01YZ1234524")
        page.get_by_role("button", name="Find").click()
        visit(page)
        page.get_by_role("link", name="Sam Sample").click()
        visit(page)
        expect(page.get_by_text("Asked the court about screens")).to_have_count(
            0
        )  # notes live on the review page
        page.get_by_role("link", name="01YZ1234524").click()
        visit(page)
        expect(page.get_by_text("Code deadline").first).to_be_visible()
        page.go_back()
        page.get_by_role("button", name="Record preferences given by phone").click()
        visit(page)
        page.get_by_role("link", name="Timeliness").click()
        visit(page)
        expect(page.locator("svg.app-chart[role=img]")).to_be_visible()
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        officer.close()
