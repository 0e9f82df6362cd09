"""Every role's main journey by keyboard alone and with JavaScript turned off (issue 17, WCAG 2.1.1), on a
320 px phone: focus moves with Tab from the top of each page to the next control, each control it lands
on is visible, and Enter works it. Nothing is clicked and nothing is focused by script: a control that
Tab cannot reach within a page fails the test, naming it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import limiter
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.demo import ADMIN, DEMO_PASSWORD, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.signing_in import second_factor_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 320, "height": 640}
MAX_TABS = 120

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const rect = el.getBoundingClientRect();
  return {
    text: (el.innerText || el.value || "").trim(),
    label: label.trim(),
    visible: rect.width > 0 && rect.height > 0,
  };
}"""


def tab_to(page: Page, name: str) -> None:
    """Press Tab from wherever focus is until it reaches the control whose text or label is `name`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        text = focused["text"]
        if (
            text == name
            or text.startswith(name + " ")
            or text.startswith(name + "\n")
            or focused["label"].startswith(name)
        ):
            assert focused["visible"], f"{name!r} has focus but cannot be seen"
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def press_on(page: Page, name: str) -> None:
    """Tab to a link or button and press Enter: a new page loads."""
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, label)
    page.keyboard.type(text)


def sign_in_by_keyboard(page: Page, site: str, app: Flask, email: str) -> None:
    limiter.reset()
    page.goto(f"{site}/sign-in")
    type_into(page, "Email address", email)
    type_into(page, "Password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/sign-in/security-code"))
    type_into(page, "Security code", second_factor_code(app, email))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/exit-this-page-explained" in page.url:
        press_on(page, "Continue")


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_victim_reads_their_case_and_preferences(page: Page, demo_site: str, seeded: Flask) -> None:
    sign_in_by_keyboard(page, demo_site, seeded, VICTIM)
    expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
    press_on(page, "Assault")
    expect(page).to_have_url(re.compile(f"/cases/{DEMO_CASE_URN}$"))
    expect(page.locator(".moj-timeline__item[id^='update-']")).to_have_count(16)
    _no_sideways_scroll(page)
    press_on(page, "Contact preferences and needs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("preferences")
    press_on(page, "Sign out")
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()


def test_an_officer_works_the_review_queue(page: Page, demo_site: str, seeded: Flask) -> None:
    sign_in_by_keyboard(page, demo_site, seeded, OFFICER)
    expect(page.get_by_role("heading", name="Your work", level=1)).to_be_visible()
    press_on(page, "Preferences and needs to review")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    press_on(page, "Sam Sample")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    press_on(page, "Sign out")
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()


def test_a_support_worker_reads_a_clients_case(page: Page, demo_site: str, seeded: Flask) -> None:
    sign_in_by_keyboard(page, demo_site, seeded, SUPPORT_WORKER)
    press_on(page, "Sam Sample")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    press_on(page, "Sign out")
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()


def test_an_admin_searches_the_audit_trail(page: Page, demo_site: str, seeded: Flask) -> None:
    sign_in_by_keyboard(page, demo_site, seeded, ADMIN)
    press_on(page, "Audit trail")
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    press_on(page, "Search")
    expect(page.get_by_text(re.compile(r"\d+ events? \(newest first\)"))).to_be_visible()
    _no_sideways_scroll(page)
    press_on(page, "Sign out")
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
