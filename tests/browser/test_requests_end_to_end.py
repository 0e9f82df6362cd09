"""Each kind of request end to end, on a 390 px phone: the victim sends it in the portal; the agency's own
system reads it through the real API over HTTP with a JWT, acknowledges it and answers it; the victim sees
the status and the answer in "Your requests" and on the request's page, and was told discreetly (for a
review: the outcome is a `vrr-outcome` update on their timeline, told as every update is). Every page the
victim sees passes axe and nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import CaseUpdate
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.vocabulary.deadlines import london_date
from tests.support.agency_client import AgencyClient
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.builders import create_update
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE, messages

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
REFERENCE = re.compile(r"(REV|VPS|CMP)-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _checked(page: Page) -> None:
    """The page passes axe and fits the phone's width."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _reference_on_confirmation(page: Page) -> str:
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text(REFERENCE)
    found = REFERENCE.search(panel.text_content() or "")
    assert found is not None
    _checked(page)
    return found.group(0)


def _agency_answers(site: str, agency: str, kind: str, reference: str, answer: dict[str, Any]) -> None:
    """The agency's system, as its developer would write it: polls for its requests of this kind, finds
    the new one, acknowledges it, then answers it."""
    client = AgencyClient(site, api_clients.demo_client(agency).key)
    listed = client.request("GET", "/api/v1/requests", params={"type": kind})
    assert listed.status_code == 200, listed.text
    [item] = [r for r in listed.json()["requests"] if r["reference"] == reference]
    assert item["status"] == "received" and item["urn"] == DEMO_CASE_URN
    moved = client.request(
        "POST",
        f"/api/v1/requests/{item['id']}/status",
        json={"status": "acknowledged", "note": "We have your request and are looking at it."},
    )
    assert moved.status_code == 200, moved.text
    answered = client.request("POST", f"/api/v1/requests/{item['id']}/status", json=answer)
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"


def _victim_sees_the_answer(page: Page, site: str, reference: str, status: str, outcome: str) -> None:
    """ "Your requests" on the case page shows the new status; the request's page shows it and the answer."""
    page.goto(f"{site}/cases/{DEMO_CASE_URN}")
    row = page.locator("#requests .govuk-summary-list__row").filter(has_text=reference)
    expect(row).to_contain_text(status)
    expect(row).to_contain_text(re.compile(r"Answered on \d+ \w+ \d{4}"))
    _checked(page)
    row.get_by_role("link").click()
    expect(page.locator("#dates")).to_contain_text(status)
    expect(page.get_by_role("heading", name="The answer")).to_be_visible()
    expect(page.locator(".govuk-inset-text").filter(has_text=outcome)).to_be_visible()
    _checked(page)


def _assert_discreet(told: list[Any]) -> None:
    assert told, "the victim was not told"
    for message in told:
        words = ((message.subject or "") + " " + message.body).lower()
        for word in NOT_IN_A_DISCREET_MESSAGE:
            assert word not in words, (word, message.body)


def test_a_review_is_answered_by_the_cps_and_its_outcome_is_on_the_timeline(
    browser: Browser, demo_site: str, seeded: Flask
) -> None:
    letter = london_date(datetime.now(UTC)) - timedelta(days=2)
    decision = create_update(
        seeded,
        DEMO_CASE_URN,
        "cps-no-charge-decision",
        agency="cps",
        agency_event_id="end-to-end-review",
        details={"reason": "there is not enough evidence", "letter_date": letter.isoformat()},
        announce=False,
    )
    outcome = "A prosecutor who was not involved looked again: the suspect will now be charged."
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.locator(f"#update-{decision.id}").get_by_role(
            "link", name="Ask for a review of this decision"
        ).click()
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("Why do you disagree with the decision?").fill("The CCTV was never looked at.")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check your answers before asking for a review"
        )
        page.get_by_role("button", name="Send request").click()
        reference = _reference_on_confirmation(page)

        _agency_answers(
            demo_site,
            "cps",
            "review",
            reference,
            {"status": "answered", "decision": "overturned", "outcome": outcome},
        )

        _victim_sees_the_answer(page, demo_site, reference, "Decision made", outcome)
        # On the timeline: the review's outcome, for this victim, told as an update in their discreet way.
        with seeded.app_context():
            update = db.session.scalar(select(CaseUpdate).where(CaseUpdate.event_type == "vrr-outcome"))
            assert update is not None and update.details["outcome"] == "overturned"
            update_id = update.id
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        entry = page.locator(f"#update-{update_id}")
        expect(entry).to_contain_text("The review you asked for has finished")
        expect(entry).to_contain_text("The review found that the original decision was wrong.")
        expect(entry).to_contain_text("the suspect will now be charged")
        _checked(page)
        _assert_discreet(messages(seeded, f"update:{update_id}"))
        notices = messages(seeded, "request-notice")
        # The acknowledgement only: the answer is told as the update.
        assert len(notices) == 1, [(m.correlation, m.created_at) for m in messages(seeded)]
    finally:
        context.close()


def test_a_statement_is_read_and_answered_by_the_cps(browser: Browser, demo_site: str, seeded: Flask) -> None:
    outcome = "Your statement was read to the court before the sentence was passed."
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.get_by_role("link", name="Make a Victim Personal Statement").first.click()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Write your statement").fill("Since then I have not slept well.")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("I want someone to read it out for me").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label(re.compile("I understand that the defendant and their lawyers will see")).check()
        page.get_by_role("button", name="Send statement").click()
        reference = _reference_on_confirmation(page)

        _agency_answers(demo_site, "cps", "statement", reference, {"status": "answered", "outcome": outcome})

        _victim_sees_the_answer(page, demo_site, reference, "Used", outcome)
        _assert_discreet(messages(seeded, "request-notice"))
        assert len(messages(seeded, "request-notice")) == 2  # acknowledged, then answered
    finally:
        context.close()


def test_a_complaint_is_answered_by_the_cps(browser: Browser, demo_site: str, seeded: Flask) -> None:
    outcome = "We are sorry that nobody called you. We have changed how we record calls to make."
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.get_by_role("link", name="Make a complaint").click()
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("The Crown Prosecution Service (CPS)").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("What happened?").fill("I was promised a call and nobody called.")
        page.get_by_label("Day").fill("3")
        page.get_by_label("Month").fill("2")
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("What would you like to happen?").fill("An apology")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Send complaint").click()
        reference = _reference_on_confirmation(page)

        _agency_answers(demo_site, "cps", "complaint", reference, {"status": "answered", "outcome": outcome})

        _victim_sees_the_answer(page, demo_site, reference, "Final response sent", outcome)
        _assert_discreet(messages(seeded, "request-notice"))
        assert len(messages(seeded, "request-notice")) == 2  # acknowledged, then answered
    finally:
        context.close()
