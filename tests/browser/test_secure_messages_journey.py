"""A secure message end to end (issue 15). On a 390 px phone the victim writes to the witness care unit
with a photo whose EXIF holds where it was taken and the camera; the officer, at a desk, opens it in the
unit's inbox, downloads the photo (the position and the camera are gone) and replies; the worker sends
the victim's notice through the Notify sandbox over HTTP, discreetly (it never says what the message is
about); the victim signs in on the phone, reads the reply and sees the officer's download on "Who has
viewed your information". Every page passes axe, and nothing on the phone scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from notifications.types import utcnow
from portal.extensions import db
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.browser import assert_accessible, sign_in_as
from tests.support.delivery import portal_worker, served_sandbox
from tests.support.demo import OFFICER, VICTIM
from tests.support.images import GPS_IFD, MAKE, MODEL, SECRET_PLACE, jpeg_with_exif, reopened
from tests.support.notify_rules import sandbox_problems
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
REFERENCE = re.compile(r"MSG-[0-9A-Z]{4}-[0-9A-Z]{4}")
SUBJECT = "He came to my door again"
BODY = "This photo was taken last night. He stood at my door for ten minutes."
REPLY = "Thank you for the photo. We have passed it to the officer in the case, who will call you today."


@pytest.fixture
def sandbox(session_app: Flask, live_server: str) -> Iterator[str]:
    with served_sandbox(session_app, live_server) as url:
        requests.delete(f"{url}/_sandbox/notifications", timeout=5)
        yield url


def _checked(page: Page, *, phone: bool = True) -> None:
    """The page passes axe and, on the phone, fits its width."""
    assert_accessible(page)
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _victim_writes_with_a_photo(page: Page, site: str) -> str:
    page.goto(f"{site}/cases/{DEMO_CASE_URN}")
    page.get_by_role("link", name="Messages about this case").click()
    _checked(page)
    page.get_by_role("button", name="Write a message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who do you want to write to?")
    _checked(page)
    page.get_by_label("Witness Care Unit").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write your message")
    _checked(page)
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message", exact=True).fill(BODY)
    page.get_by_label("Attach files").set_input_files(
        [{"name": "doorstep.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif(size=(640, 480))}]
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your message")
    expect(page.locator("main")).to_contain_text("doorstep.jpg")
    expect(page.locator("main")).to_contain_text(BODY)
    _checked(page)
    page.get_by_role("button", name="Send message").click()
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Message sent")
    expect(page.locator("main")).to_contain_text(re.compile(r"They should reply by \d+ \w+ \d{4}"))
    found = REFERENCE.search(panel.text_content() or "")
    assert found is not None
    _checked(page)
    return found.group(0)


def _officer_downloads_the_photo_and_replies(page: Page, site: str, reference: str) -> None:
    sign_in_as(page, site, OFFICER)
    page.goto(f"{site}/staff/messages")
    _checked(page, phone=False)
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text(BODY)
    _checked(page, phone=False)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="doorstep.jpg").click()
    download = download_info.value
    assert download.suggested_filename == "doorstep.jpg"
    path = download.path()
    assert path is not None
    content = path.read_bytes()
    photo = reopened(content)
    assert photo.format == "JPEG" and photo.size == (640, 480)
    exif = photo.getexif()
    assert MAKE not in exif and MODEL not in exif and not exif.get_ifd(GPS_IFD)
    assert SECRET_PLACE.encode() not in content and b"Canon" not in content

    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reply sent")
    _checked(page, phone=False)


def _notice_is_delivered_discreetly(app: Flask, sandbox: str) -> None:
    """The worker sends the notice through the sandbox at the victim's next safe time (the worker's clock
    moved on to it if it is not yet)."""
    with app.app_context():
        notice = db.session.scalar(
            select(OutboundMessage).where(OutboundMessage.correlation == "message-notice")
        )
        assert notice is not None, "the victim was not told"
        notice_id = notice.id
        due: datetime = max(utcnow(), notice.not_before or utcnow())
        portal_worker(app, sandbox, clock=lambda: due).run_once()  # with the sign-in codes sent meanwhile
    inbox = requests.get(f"{sandbox}/_sandbox/notifications", timeout=5).json()
    [sent] = [item for item in inbox if item["reference"] == notice_id]
    assert sent["to"] in (VICTIM, "+447700900123", "07700900123")
    assert sandbox_problems(sent) == [], sent
    words = " ".join(str(value) for value in sent["personalisation"].values()).lower()
    assert "sign in" in words or "sign-in" in words
    for word in (*NOT_IN_A_DISCREET_MESSAGE, SUBJECT.lower(), "photo", "door", "message from"):
        assert word not in words, (word, words)


def test_a_victim_writes_with_a_photo_the_officer_replies_and_the_victim_reads_it(
    browser: Browser, demo_site: str, seeded: Flask, sandbox: str
) -> None:
    contexts = []

    def new_page(viewport: dict[str, int], **options: bool) -> Page:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        return context.new_page()

    try:
        victim = new_page(PHONE, is_mobile=True, has_touch=True)
        sign_in_as(victim, demo_site, VICTIM)
        reference = _victim_writes_with_a_photo(victim, demo_site)

        _officer_downloads_the_photo_and_replies(new_page(DESK, accept_downloads=True), demo_site, reference)

        _notice_is_delivered_discreetly(seeded, sandbox)

        # Later, told there is a new message: the victim signs in again on their phone.
        victim = new_page(PHONE, is_mobile=True, has_touch=True)
        sign_in_as(victim, demo_site, VICTIM)
        victim.goto(f"{demo_site}/cases/{DEMO_CASE_URN}/messages")
        row = victim.locator(".govuk-summary-list__row").filter(has_text=SUBJECT)
        expect(row).to_contain_text("New reply")
        _checked(victim)
        row.get_by_role("link", name=SUBJECT).click()
        expect(victim.locator("main")).to_contain_text(REPLY)
        expect(victim.locator("main")).to_contain_text(BODY)
        expect(victim.get_by_role("link", name="doorstep.jpg")).to_be_visible()
        _checked(victim)
        # The officer's download is on "Who has viewed your information".
        victim.goto(f"{demo_site}/account/who-has-viewed")
        expect(victim.locator("main")).to_contain_text(f"downloaded a file from your message {reference}")
        _checked(victim)
    finally:
        for context in contexts:
            context.close()
