"""A support worker writes to the people on a victim's case for them (issue 15), on a 390 px phone, only
while the victim allows it ("Send messages for me"): without that, there is no link to the victim's
messages and their address is not found; with it, the worker writes, and the victim reads the message on
their own phone as "Written by <worker> for <victim>". Every page passes axe and fits the screen."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation
from portal.services.delegation import rules as delegation_rules
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.builders import update_delegation
from tests.support.demo import SUPPORT_WORKER, VICTIM

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
SUBJECT = "Sam cannot get to court on Tuesday"
BODY = "Sam asked me to tell you that she has a hospital appointment on Tuesday morning."


def _checked(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _demo_delegation(app: Flask) -> Delegation:
    with app.app_context():
        found = db.session.scalar(select(Delegation).where(Delegation.victim_id == DEMO_VICTIM_ID))
        assert found is not None
        db.session.expunge(found)
        return found


def test_a_support_worker_writes_for_the_victim_only_with_their_permission(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    delegation = _demo_delegation(seeded)
    assert delegation_rules.SEND_MESSAGES not in delegation.scopes
    contexts = []

    def phone() -> Page:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(context)
        return context.new_page()

    try:
        worker = phone()
        sign_in_as(worker, demo_site, SUPPORT_WORKER)
        worker.goto(f"{demo_site}/support/clients/{DEMO_VICTIM_ID}")
        expect(worker.locator("main")).not_to_contain_text("Read and send messages for them")
        missing = worker.goto(f"{demo_site}/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}/messages")
        assert missing is not None and missing.status == 404

        # The victim allows it.
        update_delegation(seeded, delegation.id, scopes=[*delegation.scopes, delegation_rules.SEND_MESSAGES])
        worker.goto(f"{demo_site}/support/clients/{DEMO_VICTIM_ID}")
        worker.get_by_role("link", name="Read and send messages for them").click()
        _checked(worker)
        worker.get_by_role("link", name="Assault").click()
        _checked(worker)
        worker.get_by_role("button", name="Write a message for them").click()
        _checked(worker)
        # Nothing chosen: a GOV.UK error, and what was typed is still there.
        worker.get_by_label("Subject").fill(SUBJECT)
        worker.get_by_role("button", name="Send message").click()
        expect(worker.locator(".govuk-error-summary")).to_contain_text("Select who you want to write to")
        expect(worker.get_by_label("Subject")).to_have_value(SUBJECT)
        _checked(worker)
        worker.get_by_label("Witness Care Unit").check()
        worker.get_by_label("Message", exact=True).fill(BODY)
        worker.get_by_role("button", name="Send message").click()
        expect(worker.locator(".govuk-notification-banner")).to_contain_text("Message sent for Sam Sample")
        expect(worker.locator("main")).to_contain_text(BODY)
        _checked(worker)

        victim = phone()
        sign_in_as(victim, demo_site, VICTIM)
        victim.goto(f"{demo_site}/cases/{DEMO_CASE_URN}/messages")
        victim.get_by_role("link", name=SUBJECT).click()
        expect(victim.locator("main")).to_contain_text(BODY)
        expect(victim.locator("main")).to_contain_text("Written by Sunny Supporter for Sam Sample")
        _checked(victim)
    finally:
        for context in contexts:
            context.close()
