"""A victim makes a complaint on a 390 px phone: from the case page, about the CPS, through an error that
keeps what they typed, check answers, and a confirmation with the reference and the dates; every page
passes axe and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import VictimRequest
from portal.services.demo_data import DEMO_CASE_URN, DEMO_COMPLAINT_ID
from tests.support.browser import assert_accessible, sign_in_as

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
WHAT_HAPPENED = "I was promised a call about the court date and nobody called."


def _checked(page: Page) -> None:
    """The page passes axe and fits the phone's width."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_victim_complains_about_the_cps_on_a_phone(browser: Browser, demo_site: str, seeded: Flask) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.get_by_role("link", name="Make a complaint").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Make a complaint")
        _checked(page)
        page.get_by_role("button", name="Start now").click()

        expect(page.get_by_role("group", name="Who is your complaint about?")).to_be_visible()
        _checked(page)
        page.get_by_label("The Crown Prosecution Service (CPS)").check()
        page.get_by_role("button", name="Continue").click()

        page.get_by_label("What happened?").fill(WHAT_HAPPENED)
        page.get_by_label("Day").fill("3")
        page.get_by_role("button", name="Continue").click()
        # The date is incomplete: the error is shown and nothing typed is lost.
        expect(page.get_by_role("alert")).to_contain_text(
            "The date it happened must include a month and year"
        )
        expect(page).to_have_title(re.compile("^Error: What happened?"))
        expect(page.get_by_label("What happened?")).to_have_value(WHAT_HAPPENED)
        _checked(page)
        page.get_by_label("Month").fill("2")
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Continue").click()

        page.get_by_label("What would you like to happen?").fill("An explanation and an apology")
        _checked(page)
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        expect(page.locator(".govuk-summary-list")).to_contain_text("3 February 2026")
        _checked(page)
        page.get_by_role("button", name="Send complaint").click()

        panel = page.locator(".govuk-panel")
        expect(panel).to_contain_text("Complaint sent")
        expect(
            page.get_by_text(re.compile(r"^They should acknowledge it by \d+ \w+ \d{4} and reply by"))
        ).to_be_visible()
        expect(page.get_by_role("link", name="https://www.ombudsman.org.uk/")).to_be_visible()
        _checked(page)
        reference = (panel.locator("strong").text_content() or "").strip()
        with seeded.app_context():
            stored = db.session.scalar(
                select(VictimRequest).where(
                    VictimRequest.kind == "complaint", VictimRequest.id != DEMO_COMPLAINT_ID
                )
            )
            assert stored is not None
            assert (stored.reference, stored.agency, stored.answers["what_happened"]) == (
                reference,
                "cps",
                WHAT_HAPPENED,
            )
    finally:
        context.close()
