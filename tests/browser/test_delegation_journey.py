"""On a phone (390 x 844): the victim asks their support worker to help, the worker accepts and uses it,
the victim watches what they looked at and stops it; the worker's very next page is a 404. axe-core is
clean on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import assert_accessible, sign_in_as

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def _fits(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_grant_accept_use_and_revoke_on_a_phone(browser: Browser, demo_site: str) -> None:
    victim_context = browser.new_context(viewport=PHONE)
    worker_context = browser.new_context(viewport=PHONE)
    victim = victim_context.new_page()
    worker = worker_context.new_page()
    try:
        # --- The victim asks for help -----------------------------------------------------------
        sign_in_as(victim, demo_site, "victim@demo.example")
        victim.goto(f"{demo_site}/people-helping-you")
        expect(victim.get_by_role("heading", name="People helping you", level=1)).to_be_visible()
        _fits(victim)
        victim.get_by_role("button", name="Ask someone to help you").click()

        expect(victim.get_by_role("heading", name="Who do you want to help you?")).to_be_visible()
        _continue(victim)  # nothing chosen: the error summary
        expect(victim.get_by_role("alert")).to_contain_text("Select who you want to help you")
        _fits(victim)
        victim.get_by_label("A support worker you know").check()
        _continue(victim)

        expect(victim.get_by_role("heading", name="What is their work email address?")).to_be_visible()
        _fits(victim)
        victim.get_by_label("What is their work email address?").fill("support@demo.example")
        _continue(victim)

        expect(victim.get_by_role("heading", name="What can they do?")).to_be_visible()
        _fits(victim)
        victim.get_by_label("See your contact preferences and needs").check()
        victim.get_by_label("Get a copy of our messages to you").check()
        _continue(victim)

        expect(victim.get_by_role("heading", name="Until when can they help you?")).to_be_visible()
        _fits(victim)
        _continue(victim)  # the suggested date: 6 months from today

        expect(victim.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(victim.get_by_text("Sunny Supporter (Demo Victim Support)")).to_be_visible()
        _fits(victim)
        victim.get_by_role("button", name="Send request").click()
        expect(victim.get_by_role("heading", name="Request sent")).to_be_visible()
        _fits(victim)

        # --- The worker accepts and uses it ------------------------------------------------------
        sign_in_as(worker, demo_site, "support@demo.example")
        worker.get_by_role("link", name="Your clients").first.click()
        expect(worker.get_by_role("heading", name="Your invitations")).to_be_visible()
        _fits(worker)
        worker.get_by_role("button", name="Accept the request from Sam Sample").click()
        expect(worker.get_by_text("You can now help Sam Sample.")).to_be_visible()
        _fits(worker)
        worker.get_by_role("link", name="Sam Sample").click()
        expect(worker.get_by_role("heading", name="Sam Sample", level=1)).to_be_visible()
        _fits(worker)
        client_url = worker.url
        worker.get_by_role("link", name="Assault").click()
        expect(worker.locator(".moj-timeline__item")).to_have_count(16)
        _fits(worker)
        worker.goto(client_url)
        worker.get_by_role("link", name="See their contact preferences and needs").click()
        expect(worker.get_by_role("heading", name="Contact preferences and needs")).to_be_visible()
        _fits(worker)

        # --- The victim sees it, and stops every delegation to the worker --------------------------
        victim.goto(f"{demo_site}/people-helping-you")
        expect(victim.get_by_text("accepted your request and can now help you")).to_be_visible()
        victim.get_by_text(re.compile(r"What Sunny Supporter .* looked at and changed")).first.click()
        expect(victim.get_by_text("Looked at: contact preferences and needs").first).to_be_visible()
        _fits(victim)
        while victim.get_by_role("link", name=re.compile("Stop their access")).count():
            victim.get_by_role("link", name=re.compile("Stop their access")).first.click()
            expect(victim.get_by_role("heading", name=re.compile("Are you sure"))).to_be_visible()
            _fits(victim)
            victim.get_by_role("button", name="Stop their access").click()
            expect(victim.get_by_text("can no longer see your information or act for you")).to_be_visible()
        expect(victim.get_by_text("Nobody can see your information or act for you.")).to_be_visible()
        _fits(victim)

        # The worker's very next request: not found, and Sam is no longer a client.
        response = worker.goto(client_url)
        assert response is not None and response.status == 404
        _fits(worker)
        worker.goto(f"{demo_site}/support")
        expect(
            worker.get_by_text("Nobody has let you help them in this service at the moment.")
        ).to_be_visible()
        _fits(worker)
    finally:
        victim_context.close()
        worker_context.close()
