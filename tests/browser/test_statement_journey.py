"""On a phone (390 x 844): the victim makes a Victim Personal Statement from the update that offers it.
The warning comes first; they write, save and come back, upload a PDF (a picture renamed .pdf is refused
first, the text kept), say whether they want to read it out, confirm who will see it and send it: the
confirmation shows the reference. axe-core is clean on every page, and nothing is wider than the screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.services.demo_data import DEMO_CASE_URN
from tests.support.browser import assert_accessible, sign_in_as

# The flows behind this journey run on both databases through the Flask test client; in the browser it
# runs on SQLite (see tests/README.md, "Browser journeys").
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
TEXT = "Since the assault I have not slept well."


def _fits(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_make_a_statement_on_a_phone(browser: Browser, demo_site: str, tmp_path: Path) -> None:
    picture = tmp_path / "statement.pdf"
    picture.write_bytes(PNG)
    real = tmp_path / "my-statement.pdf"
    real.write_bytes(PDF)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, "victim@demo.example")
        page.goto(f"{demo_site}/cases/{DEMO_CASE_URN}")
        page.get_by_role("link", name="Make a Victim Personal Statement").first.click()

        # The warning, before anything can be written.
        expect(page.get_by_role("heading", name="Make a Victim Personal Statement", level=1)).to_be_visible()
        expect(page.get_by_text("The defendant and their lawyers will see your statement.")).to_be_visible()
        expect(page.get_by_role("heading", name="What to leave out")).to_be_visible()
        expect(page.locator("textarea")).to_have_count(0)
        _fits(page)
        page.get_by_role("button", name="Continue").click()

        # Write, with the character count, and save to come back later.
        box = page.get_by_label("Write your statement")
        expect(box).to_be_visible()
        box.fill(TEXT)
        expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
        _fits(page)
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.get_by_role("heading", name="Your statement has been saved")).to_be_visible()
        _fits(page)
        page.get_by_role("link", name="Carry on writing your statement").click()
        expect(page.get_by_label("Write your statement")).to_have_value(TEXT)

        # A picture renamed .pdf is refused, and the text stays.
        page.get_by_label("Write your statement").fill(TEXT + " I had to move house.")
        page.get_by_label("Upload your statement instead (optional)").set_input_files(str(picture))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "The selected file must be a PDF or a Word document (.docx)"
        )
        expect(page.get_by_label("Write your statement")).to_have_value(TEXT + " I had to move house.")
        _fits(page)
        page.get_by_label("Upload your statement instead (optional)").set_input_files(str(real))
        page.get_by_role("button", name="Continue").click()

        expect(
            page.get_by_role("heading", name="Do you want to read your statement out in court?")
        ).to_be_visible()
        _fits(page)
        page.get_by_label("I want someone to read it out for me").check()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="Check your statement before sending it")).to_be_visible()
        expect(page.get_by_text("I had to move house.")).to_be_visible()
        expect(page.get_by_role("link", name="my-statement.pdf")).to_be_visible()
        _fits(page)
        page.get_by_role("button", name="Send statement").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Confirm that you understand who will see your statement"
        )
        page.get_by_label(re.compile("I understand that the defendant and their lawyers will see")).check()
        page.get_by_role("button", name="Send statement").click()

        expect(page.get_by_role("heading", name="Statement sent")).to_be_visible()
        expect(page.locator(".govuk-panel")).to_contain_text(re.compile(r"VPS-[0-9A-Z]{4}-[0-9A-Z]{4}"))
        _fits(page)
    finally:
        context.close()
