"""Browser-test helpers: sign in through the real page, check axe-core on every page visited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

_axe = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no violations on the page as it is now."""
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in_as(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def demo_site(seeded: Flask, live_server: str) -> Iterator[str]:
    yield live_server
