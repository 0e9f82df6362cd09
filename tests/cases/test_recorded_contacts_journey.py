"""An officer records a phone call on a 390px phone, and the timeliness report counts it (issue 15's "Done
when"): from the demo case page to the form, a mistake shown the GOV.UK way with nothing typed lost,
then recorded; the update is then told on time, and the report has one more victim told on time. Every
page axe-clean, without sideways scrolling, in Debian's Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import db, limiter
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support import browser as browser_support
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.builders import create_update

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

ON_TIME = re.compile(r"of victims were told on time \((\d+) of (\d+) ")


@pytest.fixture
def demo_site(seeded: Flask, live_server: str) -> Iterator[str]:
    browser_support.served["app"] = seeded
    limiter.reset()
    yield live_server


def visit(page: Page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def on_time(page: Page) -> tuple[int, int]:
    found = ON_TIME.search(page.locator("main").inner_text())
    assert found, "no percentage on time"
    return int(found[1]), int(found[2])


def test_officer_records_a_phone_call_and_the_report_counts_it(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    arrested = datetime.now(UTC) - timedelta(hours=2)
    with seeded.app_context(), db.job() as session:
        update_id = create_update(
            session,
            DEMO_CASE_URN,
            "suspect-arrested",
            agency="police",
            agency_event_id="journey-phone-call",
            occurred_at=arrested,
            victim_id=DEMO_VICTIM_ID,
            announce=False,
        ).id
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "officer@demo.example")
        page.goto(f"{demo_site}/staff/timeliness")
        visit(page)
        told_before, measured_before = on_time(page)

        page.goto(f"{demo_site}/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}")
        visit(page)
        page.get_by_role("link", name=re.compile("^Record that the victim was told")).click()
        visit(page)
        expect(page.get_by_role("heading", name="Record that the victim was told", level=1)).to_be_visible()
        page.locator(f'input[name="updates"][value="{update_id}"]').check()
        page.get_by_label("Note (optional)").fill("Told her about the arrest.")
        told = (datetime.now(UTC) - timedelta(minutes=30)).astimezone(ZoneInfo("Europe/London"))
        page.get_by_label("Time").fill(told.strftime("%H:%M"))
        page.get_by_label("Day").fill(str(told.day))
        page.get_by_label("Month").fill(str(told.month))
        page.get_by_label("Year").fill(str(told.year))
        page.get_by_role("button", name="Record contact").click()  # no way chosen: a mistake
        visit(page)
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Select how you told the victim")
        summary.get_by_role("link", name="Select how you told the victim").click()
        expect(page.locator("#method")).to_be_focused()
        expect(page.get_by_label("Note (optional)")).to_have_value("Told her about the arrest.")
        expect(page.locator(f'input[name="updates"][value="{update_id}"]')).to_be_checked()

        page.get_by_label("By phone").check()
        page.get_by_role("button", name="Record contact").click()
        visit(page)
        expect(page.get_by_text("Recorded: 1 update now counts as told.")).to_be_visible()

        page.goto(f"{demo_site}/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}?update={update_id}")
        expect(page.locator(f"#update-{update_id}")).to_contain_text("Told on time")

        page.goto(f"{demo_site}/staff/timeliness")
        visit(page)
        assert on_time(page) == (told_before + 1, measured_before + 1)
        page.goto(f"{demo_site}/staff/call-list")
        visit(page)
        expect(page.get_by_role("heading", name="Victims to phone or see", level=1)).to_be_visible()
    finally:
        context.close()
