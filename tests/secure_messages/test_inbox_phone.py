"""Issue 15: the officer's inbox on a 320 px phone, in Chromium, with JavaScript off. The overdue message is
first; on its page a common reply goes into the reply box (the server puts it there), the officer adds to
it and sends it, and assigns and closes the thread. With JavaScript on, every inbox page (and an error) passes
axe and nothing scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import limiter
from tests.secure_messages.test_inbox import LONG_AGO, status_of, write
from tests.support import browser as browser_support
from tests.support.browser import assert_accessible, complete_second_factor_in_browser, sign_in_as
from tests.support.demo import DEMO_PASSWORD, OFFICER

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def site(seeded: Flask, live_server: str) -> Iterator[str]:
    browser_support.served["app"] = seeded
    limiter.reset()
    yield live_server


def _checked(page: Page) -> None:
    """axe finds nothing and the page fits the phone's width (needs JavaScript in the page)."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _sign_in_without_javascript(page: Page, site: str) -> None:
    page.goto(f"{site}/sign-in")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_second_factor_in_browser(page, OFFICER)


def test_an_officer_answers_from_a_phone_without_javascript(
    browser: Browser, site: str, seeded: Flask
) -> None:
    write(seeded, "A newer question")
    thread_id = write(seeded, "An overdue question", now=LONG_AGO)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        _sign_in_without_javascript(page, site)
        page.get_by_role("link", name="Messages", exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Messages from victims")
        subjects = page.locator("#threads tbody tr td:first-child a").all_text_contents()
        assert subjects[:2] == ["An overdue question", "A newer question"]

        page.get_by_role("link", name="An overdue question").click()
        expect(page.locator("main")).to_contain_text("When is the trial?")
        page.get_by_role("button", name="Assign to me").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("assigned to you")

        page.get_by_label("Start from a common reply (optional)").select_option("received")
        page.get_by_role("button", name="Use this reply").click()
        box = page.get_by_label("Your reply")
        expect(box).to_have_value(
            re.compile(r"^Thank you for your message\. We have received it and will reply by \d")
        )
        box.fill(box.input_value() + " The trial date is not fixed yet.")
        page.get_by_role("button", name="Send reply").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Reply sent")
        expect(page.locator("#messages")).to_contain_text("The trial date is not fixed yet.")

        page.get_by_role("button", name="Close the conversation").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The conversation is closed")
        assert status_of(seeded, thread_id) == "closed"
    finally:
        context.close()


def test_the_inbox_pages_are_accessible_on_a_small_phone(browser: Browser, site: str, seeded: Flask) -> None:
    thread_id = write(seeded, "A question with a rather long subject line to wrap", now=LONG_AGO)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in_as(page, site, OFFICER)
        for path in ("/staff/messages", f"/staff/messages/{thread_id}", "/staff"):
            page.goto(f"{site}{path}")
            _checked(page)
        page.goto(f"{site}/staff/messages/{thread_id}")
        page.get_by_role("button", name="Send reply").click()  # nothing written: the error summary
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a message")
        _checked(page)
    finally:
        context.close()
