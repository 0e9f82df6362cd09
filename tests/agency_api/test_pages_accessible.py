"""The API reference and the admin's API client pages in Chromium: axe-core finds nothing, on a 320px
phone and a desktop, and the key is shown once in a confirmation panel."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import limiter
from tests.support.browser import assert_accessible
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

# What axe-core reads and how the pages fit the screen do not depend on the database: SQLite only. Creating
# and revoking a key runs on both databases through the test client (test_api_clients_admin.py).
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

VIEWPORTS = {
    "phone-320x640": {"width": 320, "height": 640},
    "desktop-1280x800": {"width": 1280, "height": 800},
}


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_reference_page_is_accessible(browser: Browser, api_site: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{api_site}/api/v1/docs")
        expect(page.get_by_role("heading", name="Agency API reference", level=1)).to_be_visible()
        assert_accessible(page)
        _no_sideways_scroll(page)
    finally:
        context.close()


def test_admin_creates_and_revokes_a_key_in_the_browser(
    browser: Browser, seeded: Flask, api_site: str
) -> None:
    with seeded.app_context():
        limiter.reset()  # the per-IP sign-in limit: every test signs in from 127.0.0.1
    context = browser.new_context(viewport=VIEWPORTS["phone-320x640"])
    page = context.new_page()
    try:
        page.goto(f"{api_site}/sign-in")
        page.get_by_label("Email address").fill("admin@demo.example")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Security code").fill(pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.get_by_role("button", name=re.compile("Continue|Sign in")).click()
        page.goto(f"{api_site}/admin/api-clients")
        expect(page.get_by_role("heading", name="API clients", level=1)).to_be_visible()
        assert_accessible(page)
        _no_sideways_scroll(page)
        page.get_by_role("button", name="Create an API key").click()
        page.get_by_role("button", name="Create API key").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Name of the system").fill("Exampleshire Police")
        page.get_by_label("Police (one force)").check()
        page.get_by_label("Police force code (police and witness care only)").fill("01")
        page.get_by_role("button", name="Create API key").click()
        expect(page.get_by_role("heading", name="API key created")).to_be_visible()
        expect(page.locator("#api-key")).to_contain_text("exampleshire_police-")
        assert_accessible(page)
        _no_sideways_scroll(page)
        page.goto(f"{api_site}/admin/api-clients")
        page.get_by_role("link", name="Revoke Exampleshire Police").click()
        assert_accessible(page)
        page.get_by_role("button", name="Yes, revoke this key").click()
        expect(page.get_by_text("The key for Exampleshire Police has been revoked")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
