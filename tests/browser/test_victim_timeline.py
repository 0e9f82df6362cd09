"""A victim signs in on a phone and on a desktop, reads the joined-up timeline and filters it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from portal.services.demo_data import DEMO_CASE_URN
from tests.support.browser import assert_accessible, complete_second_factor_in_browser, sign_in_as
from tests.support.scenarios import add_updates
from tests.support.signing_in import second_factor_code

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

VIEWPORTS = {
    "phone-390x844": {"width": 390, "height": 844},
    "desktop-1280x800": {"width": 1280, "height": 800},
}


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_victim_reads_and_filters_the_timeline(browser: Browser, demo_site: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(demo_site)
        assert_accessible(page)
        expect(page.get_by_role("button", name=re.compile("Exit this page"))).to_be_visible()

        sign_in_as(page, demo_site, "victim@demo.example")
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
        expect(page.get_by_text("18 January 2027 at 10am, Exampletown Crown Court")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name=re.compile("^Assault")).click()
        expect(page.get_by_role("heading", name="Assault", level=1)).to_be_visible()
        items = page.locator(".moj-timeline__item[id^='update-']")
        expect(items).to_have_count(16)
        expect(items.first).to_contain_text("Probation Service")
        assert_accessible(page)
        # Nothing is wider than the screen (works on a 320-390 px phone without sideways scrolling).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        page.get_by_role("link", name=re.compile(r"^Crown Prosecution Service \(")).click()
        expect(items).to_have_count(1)
        expect(items.first).to_contain_text("Crown Prosecution Service")
        assert_accessible(page)

        page.get_by_role("link", name=re.compile(r"^Everyone")).click()
        expect(items).to_have_count(16)
        expect(page.get_by_text("New", exact=True)).to_have_count(0)
    finally:
        context.close()


def test_keyboard_only_sign_in_and_navigation(browser: Browser, demo_site: str, seeded: Flask) -> None:
    demo_app = seeded
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{demo_site}/sign-in")
        page.get_by_label("Email address").focus()
        page.keyboard.type("victim@demo.example")
        page.keyboard.press("Tab")
        page.keyboard.type("demo-only-password")
        page.keyboard.press("Enter")
        # The second factor by keyboard: the code field, then Enter; then past the quick-exit explanation.
        page.wait_for_url("**/sign-in/security-code")
        page.get_by_label("Security code").focus()
        page.keyboard.type(second_factor_code(demo_app, "victim@demo.example"))
        page.keyboard.press("Enter")
        page.wait_for_url("**/exit-this-page-explained**")
        page.get_by_role("button", name="Continue").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
        page.get_by_role("link", name=re.compile("^Assault")).focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"/cases/{DEMO_CASE_URN}$"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_pages_work_without_javascript(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_as_no_js = page
        sign_in_as_no_js.goto(f"{demo_site}/sign-in")
        page.get_by_label("Email address").fill("victim@demo.example")
        page.get_by_label("Password", exact=True).fill("demo-only-password")
        page.get_by_role("button", name="Sign in").click()
        complete_second_factor_in_browser(page, "victim@demo.example")
        page.get_by_role("link", name=re.compile("^Assault")).click()
        expect(page.locator(".moj-timeline__item[id^='update-']")).to_have_count(16)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    finally:
        context.close()


def test_victim_pages_through_a_long_timeline_on_a_phone(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    add_updates(seeded, 44)  # 60 updates on the demo case: 3 pages of 20
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.get_by_role("link", name=re.compile("^Assault")).click()
        items = page.locator(".moj-timeline__item[id^='update-']")
        expect(items).to_have_count(20)
        expect(page.get_by_text("Showing 1 to 20 of 60 updates")).to_be_visible()
        pagination = page.get_by_role("navigation", name="Pages of updates")
        expect(pagination).to_be_visible()
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        pagination.get_by_role("link", name=re.compile("Next")).click()
        expect(page).to_have_url(re.compile(r"\?page=2$"))
        expect(page.get_by_text("Showing 21 to 40 of 60 updates")).to_be_visible()
        expect(items).to_have_count(20)
        expect(pagination.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
        assert_accessible(page)

        pagination.get_by_role("link", name="Page 3").click()
        expect(page.get_by_text("Showing 41 to 60 of 60 updates")).to_be_visible()
        expect(pagination.get_by_role("link", name=re.compile("Next"))).to_have_count(0)
    finally:
        context.close()
