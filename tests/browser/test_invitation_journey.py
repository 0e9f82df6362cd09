"""A victim invited when they are added to a case sets up their account on a phone, signs in with a
second factor, leaves with "Exit this page" (which ends the session) and signs out everywhere.

The invitation link and the security codes are read from the outbox rows: the exact text Notify would
deliver (this test runs without the worker and the Notify sandbox).
"""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.support.browser import assert_accessible
from tests.support.outbox import latest_code, latest_link
from tests.support.scenarios import create_invited_victim

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PASSWORD = "kettle lantern orchard 77"
EMAIL = "new.victim@demo.example"


def _generation(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(User.session_generation).where(User.email == EMAIL)) or 0


def _enter_code(page: Page, app: Flask) -> None:
    page.get_by_label("Security code").fill(latest_code(app, "security-code:"))
    page.get_by_role("button", name="Continue").click()


def test_invitation_to_first_sign_in_quick_exit_and_sign_out_everywhere(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    # As the agency API does when it adds a victim.
    create_invited_victim(seeded, email=EMAIL, phone="07700900456")
    link = latest_link(seeded, "/invitation/")
    context = browser.new_context(viewport={"width": 390, "height": 844})

    def bbc_weather(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<html><title>BBC Weather</title></html>")

    context.route("https://www.bbc.co.uk/**", bbc_weather)
    page = context.new_page()
    try:
        page.goto(f"{demo_site}{link}")
        expect(page.get_by_role("heading", name="Create a password")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Create a password").fill(PASSWORD)
        page.get_by_label("Confirm password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="How do you want to get security codes?")).to_be_visible()
        assert_accessible(page)
        page.get_by_label(re.compile("Text message to your mobile phone number ending in 456")).check()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="Check your phone")).to_be_visible()
        assert_accessible(page)
        _enter_code(page, seeded)

        expect(page.get_by_role("heading", name="If you need to leave this service quickly")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
        expect(page.get_by_text("Harassment")).to_be_visible()
        # With JavaScript the timeout dialog warns instead of the sentence (shown only without it).
        expect(page.get_by_text("we will sign you out if you do nothing for 30 minutes")).to_be_hidden()
        expect(page.locator("dialog.app-session-timeout__dialog")).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert_accessible(page)

        # Exit this page: off to the BBC weather page, and the session ends on the server. (Clicked once
        # GOV.UK Frontend has set the button up: before that it is a plain link to /exit.)
        page.wait_for_selector(
            "[data-module='govuk-exit-this-page'][data-govuk-exit-this-page-init]", state="attached"
        )
        page.wait_for_load_state("networkidle")
        before = _generation(seeded)
        page.get_by_role("button", name=re.compile("Exit this page")).click()
        page.wait_for_url("https://www.bbc.co.uk/weather")
        deadline = time.monotonic() + 10
        while _generation(seeded) == before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _generation(seeded) == before + 1
        page.goto(f"{demo_site}/cases")
        expect(page).to_have_url(re.compile("/sign-in"))
        page.wait_for_load_state("networkidle")

        # Sign in again: password, then a new code by text message.
        page.goto(f"{demo_site}/sign-in")
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Check your phone")).to_be_visible()
        _enter_code(page, seeded)
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()

        # Sign out everywhere from the account page.
        # Once GOV.UK Frontend has set up the navigation, a phone shows it folded behind "Menu".
        page.wait_for_selector(
            "[data-module='govuk-service-navigation'][data-govuk-service-navigation-init]", state="attached"
        )
        menu = page.get_by_role("button", name="Menu")
        if menu.is_visible():
            menu.click()
        page.get_by_role("link", name="Your account").click()
        expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Sign out everywhere").click()
        expect(page.get_by_role("heading", name="Sign out everywhere", level=1)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Sign out everywhere").click()
        expect(
            page.get_by_text("You have been signed out on every phone, tablet and computer")
        ).to_be_visible()
        page.goto(f"{demo_site}/cases")
        expect(page).to_have_url(re.compile("/sign-in"))
    finally:
        context.close()
