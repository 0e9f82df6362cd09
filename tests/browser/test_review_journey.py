"""A victim asks the Crown Prosecution Service to review its decision not to charge, on a 390 px phone: from
the link next to the right on their timeline to the confirmation with the reference, every page passing
axe and none scrolling sideways; the request is stored for the CPS."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import VictimRequest
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.vocabulary.deadlines import london_date
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.builders import create_update

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_victim_asks_for_a_review_from_the_timeline_on_a_phone(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    letter = london_date(datetime.now(UTC)) - timedelta(days=30)  # late: the reason is asked for
    update = create_update(
        seeded,
        DEMO_CASE_URN,
        "cps-no-charge-decision",
        agency="cps",
        agency_event_id="browser-review",
        occurred_at=datetime.now(UTC),
        details={"reason": "there is not enough evidence", "letter_date": letter.isoformat()},
        announce=False,
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        entry = page.locator(f"#update-{update.id}")
        entry.get_by_role("link", name="Ask for a review of this decision").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a review of this decision")
        _checked(page)
        page.get_by_role("button", name="Start now").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Why do you disagree with the decision?")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("link", name="Enter why you disagree with the decision")).to_be_visible()
        _checked(page)
        reasons = page.get_by_label("Why do you disagree with the decision?")
        reasons.fill("The CCTV from the shop was never looked at.")
        expect(page.get_by_text(re.compile(r"You have [\d,]+ characters remaining")).first).to_be_visible()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Why are you asking for a review now?")
        _checked(page)
        page.get_by_label("Why are you asking for a review now?").fill("I was in hospital.")
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check your answers before asking for a review"
        )
        expect(page.get_by_text("The CCTV from the shop was never looked at.")).to_be_visible()
        _checked(page)
        page.get_by_role("button", name="Send request").click()

        panel = page.locator(".govuk-panel")
        expect(panel).to_contain_text("Request for a review sent")
        _checked(page)
        with seeded.app_context():
            made = db.session.scalar(select(VictimRequest).where(VictimRequest.update_id == update.id))
            assert made is not None
            assert (made.agency, made.answers["delay_reason"]) == ("cps", "I was in hospital.")
            reference = made.reference
        expect(panel).to_contain_text(reference)
        expect(page.get_by_text(re.compile("^They should acknowledge your request by"))).to_be_visible()
    finally:
        context.close()
