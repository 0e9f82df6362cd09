"""Browser-test helpers: sign in through the real pages in Chromium, check axe-core on a page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page

from portal.extensions import limiter
from tests.support.demo import DEMO_PASSWORD
from tests.support.signing_in import second_factor_code

_axe = Axe()

# The app behind live_server, so the sign-in helper can read the code a person would receive (set by
# the demo_site fixture).
served: dict[str, Flask] = {}


def assert_accessible(page: Page) -> None:
    """axe-core finds no violations on the page as it is now (once a navigation a click started has
    finished: every page of the service has a <main>)."""
    page.wait_for_load_state("load")
    page.locator("main").first.wait_for(state="attached")
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def complete_second_factor_in_browser(page: Page, email: str, *, explain_exit: bool = True) -> None:
    """On the security code page: type the code (authenticator app or the outbox message, see
    tests/support/signing_in.py::second_factor_code) and continue; then past the "Exit this page"
    explanation."""
    page.wait_for_url("**/sign-in/security-code")
    page.get_by_label("Security code").fill(second_factor_code(served["app"], email))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    if explain_exit and "/exit-this-page-explained" in page.url:
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def sign_in_as(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real pages: email and password, the second factor, the quick-exit explanation."""
    limiter.reset()
    page.goto(f"{base_url}/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    complete_second_factor_in_browser(page, email)
