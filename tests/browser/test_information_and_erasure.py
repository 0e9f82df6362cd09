"""A victim downloads their information, and an officer and an administrator erase a victim's information,
through the real pages in Chromium: every page axe-clean and without sideways scrolling on a 320px phone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.demo import DEMO_PASSWORD

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.security(24), pytest.mark.sqlite_only]

PHONE = {"width": 320, "height": 640}


def visit(page: Page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _download(page: Page, link: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_a_victim_downloads_their_information(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/account")
        page.get_by_role("link", name="Download your information").click()
        visit(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Download your information")

        page.get_by_label("Enter your password to continue", exact=True).fill("not my password")
        page.get_by_role("button", name="Continue").click()
        visit(page)
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Your password is wrong")
        summary.get_by_role("link", name=re.compile("Your password is wrong")).click()
        expect(page.get_by_label("Enter your password to continue", exact=True)).to_be_focused()

        page.get_by_label("Enter your password to continue", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Continue").click()
        visit(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your information is ready")

        readable = _download(page, "Download your information as a web page (HTML)")
        assert (
            "Sam Sample" in readable
            and DEMO_CASE_URN in readable
            and "Who has viewed your information" in readable
        )
        data = json.loads(_download(page, "Download your information as data (JSON)"))
        assert data["about_you"]["name"] == "Sam Sample"
        assert DEMO_CASE_URN in [case["reference"] for case in data["cases"]]
    finally:
        context.close()


def test_an_officer_asks_and_an_administrator_erases(browser: Browser, demo_site: str) -> None:
    officer = browser.new_context(viewport=PHONE).new_page()
    try:
        sign_in_as(officer, demo_site, "officer@demo.example")
        officer.goto(f"{demo_site}/staff/victims/{DEMO_VICTIM_ID}/account")
        officer.get_by_role("link", name="Ask for their information to be erased").click()
        visit(officer)
        expect(officer.get_by_role("heading", name="What we must keep")).to_be_visible()
        ask = officer.get_by_role("button", name="Ask an administrator to erase their information")
        ask.click()
        visit(officer)
        expect(officer.locator(".govuk-error-summary")).to_contain_text(
            "Confirm that you have checked who this person is"
        )
        officer.get_by_label("I have checked who this person is", exact=False).check()
        officer.get_by_label("How did you check, and what did they ask for?").fill(
            "Called back on the number held on the case; 2 security questions; asked for everything"
        )
        ask.click()
        visit(officer)
        expect(
            officer.get_by_text("An administrator has been asked to erase their information.")
        ).to_be_visible()
    finally:
        officer.context.close()

    admin = browser.new_context(viewport=PHONE).new_page()
    try:
        sign_in_as(admin, demo_site, "admin@demo.example")
        admin.goto(f"{demo_site}/admin/erasure-requests")
        visit(admin)
        expect(admin.locator("main")).not_to_contain_text("Sam Sample")
        admin.get_by_role("link", name=re.compile("Request for V-")).click()
        visit(admin)
        erase = admin.get_by_role("button", name="Erase their information")
        erase.click()
        visit(admin)
        expect(admin.locator(".govuk-error-summary")).to_contain_text("cannot be undone")
        admin.get_by_label("I understand that this cannot be undone").check()
        erase.click()
        visit(admin)
        expect(admin.get_by_text(re.compile("Their information has been erased"))).to_be_visible()
        expect(admin.get_by_text("There are no requests waiting.")).to_be_visible()
    finally:
        admin.context.close()

    victim = browser.new_context(viewport=PHONE).new_page()
    try:
        victim.goto(f"{demo_site}/sign-in")
        victim.get_by_label("Email address").fill("victim@demo.example")
        victim.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        victim.get_by_role("button", name="Sign in").click()
        visit(victim)
        expect(victim).to_have_url(re.compile(r"/sign-in$"))
        expect(victim.locator(".govuk-error-summary")).to_be_visible()
    finally:
        victim.context.close()
