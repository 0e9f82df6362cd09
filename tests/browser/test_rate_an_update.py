"""A victim says an update was not clear, on a 390 px phone with JavaScript off, and says what was
unclear; with JavaScript on, the same question works the same way and the page passes axe."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import UpdateRating
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.browser import assert_accessible, complete_second_factor_in_browser, sign_in_as
from tests.support.demo import DEMO_PASSWORD

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}


def _no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_victim_rates_an_update_unclear_on_a_phone_without_javascript(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{demo_site}/sign-in")
        page.get_by_label("Email address").fill("victim@demo.example")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        complete_second_factor_in_browser(page, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        newest = page.locator(".moj-timeline__item[id^='update-']").first
        update_id = (newest.get_attribute("id") or "").removeprefix("update-")
        question = page.locator(f"#clear-answer-{update_id}")
        expect(question.get_by_role("group", name=re.compile("^Was this update clear?"))).to_be_visible()
        question.get_by_label("No", exact=True).check()
        # Without JavaScript the optional question is there all along.
        question.get_by_label("What was unclear? (optional)").fill("What is an exclusion zone?")
        question.get_by_role("button", name=re.compile("^Send your answer")).click()
        page.wait_for_load_state()

        expect(
            page.get_by_text("Thank you. Your answer helps agencies write clearer updates.")
        ).to_be_visible()
        answered = page.locator(f"#clear-answer-{update_id}")
        expect(answered).to_contain_text("You told us this update was not clear.")
        assert page.url.endswith(f"/cases/{DEMO_CASE_URN}#update-{update_id}")
        with seeded.app_context():
            rating = db.session.scalar(
                select(UpdateRating).where(
                    UpdateRating.update_id == update_id, UpdateRating.victim_id == DEMO_VICTIM_ID
                )
            )
            assert rating is not None
            assert (rating.clear, rating.unclear, rating.demo) == (False, "What is an exclusion zone?", False)
    finally:
        context.close()


def test_the_question_is_accessible_with_javascript(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        question = page.locator(".app-timeline__rating").first
        question.get_by_label("No", exact=True).check()
        expect(question.get_by_label("What was unclear? (optional)")).to_be_visible()
        _no_sideways_scrolling(page)
        assert_accessible(page)
    finally:
        context.close()
