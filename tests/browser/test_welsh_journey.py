"""A victim uses the service in Welsh on a phone (390 px): chooses Cymraeg in the header's toggle, signs in,
reads their cases and the timeline, and opens their preferences; axe-core finds nothing on any page and
nothing is wider than the screen. The toggle works with JavaScript turned off too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.extensions import limiter
from tests.support.browser import assert_accessible, served
from tests.support.demo import DEMO_PASSWORD, VICTIM
from tests.support.signing_in import second_factor_code
from tests.welsh.conftest import compiled_welsh  # noqa: F401 (the compiled Welsh catalogue)

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _choose_welsh(page: Page) -> None:
    page.get_by_role("link", name="Newid yr iaith i'r Gymraeg").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator(".app-language-select [aria-current=true]")).to_have_text("Cymraeg")


def test_a_victim_signs_in_and_reads_their_case_in_welsh(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{demo_site}/sign-in")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _choose_welsh(page)
        assert page.url.endswith("/sign-in")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi")
        assert_accessible(page)
        _fits(page)

        limiter.reset()
        page.get_by_label("Cyfeiriad e-bost").fill(VICTIM)
        page.get_by_label("Cyfrinair", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Mewngofnodi").click()
        page.wait_for_url("**/sign-in/security-code")
        assert_accessible(page)
        page.get_by_label("Cod diogelwch").fill(second_factor_code(served["app"], VICTIM))
        page.get_by_role("button", name="Parhau").click()
        page.wait_for_load_state()
        if "/exit-this-page-explained" in page.url:
            assert_accessible(page)
            page.get_by_role("button", name="Parhau").click()
            page.wait_for_load_state()

        expect(page.get_by_role("heading", name="Eich achosion", level=1)).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        assert_accessible(page)
        _fits(page)

        page.get_by_role("link", name=re.compile("^Assault")).click()
        expect(page.locator(".moj-timeline__item").first).to_be_visible()
        expect(page.get_by_text("Beth sy'n digwydd nesaf").first).to_be_visible()
        assert_accessible(page)
        _fits(page)

        page.goto(f"{demo_site}/preferences")
        expect(page.get_by_role("heading", level=1)).to_have_text("Eich dewisiadau cysylltu a'ch anghenion")
        assert_accessible(page)
        _fits(page)

        page.get_by_role("link", name="Change the language to English").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()


def test_the_toggle_works_without_javascript(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{demo_site}/help")
        _choose_welsh(page)
        assert page.url.endswith("/help")
        expect(page.get_by_role("heading", level=1)).to_have_text("Help a chysylltu")
        page.goto(f"{demo_site}/privacy")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hysbysiad preifatrwydd")
    finally:
        context.close()
