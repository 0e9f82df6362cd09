"""Officers' pages speak about the victim, not to them (issue 21, item 6): the preference summaries, the
review queue, the history of changes, the form for preferences given by phone and the support workers
helping victims say "them" where the victim's own pages say "you"."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_VICTIM_ID
from portal.services.preferences import labels
from portal.services.preferences.records import Preferences
from tests.support.builders import create_preferences_version
from tests.support.pages import page_text, post_form

#: What the victim's own pages say to them, which no staff page may say about them.
VICTIM_PHRASES = (
    "How we contact you",
    "Is it safe for us to",
    "Is it safe for an officer to phone you",
    "What should our",
    "Another safe way to reach you",
    "How often you hear from us",
    "Updates you do not want",
    "you hear about everything",
    "Only at your safe times",
    "orders that protect you",
    "Someone to speak on my behalf",
    "Person to speak for you",
    "so you do not see the defendant",
    "Can help you now",
    "Stopped by you",
    "You, online",
    "when you told them",
)

#: Every answer given, so every row of the summary shows (tests/delegation/test_staff_wording.py too).
EVERY_ANSWER: dict[str, Any] = {
    "channels": ["email", "sms", "letter", "phone"],
    "safe": {"email": True, "sms": True, "letter": True, "phone": True},
    "detailed": {"email": True, "sms": False, "letter": False},
    "email": "sam.sample@example.com",
    "phone": "07700900123",
    "address": ["1 Test Street", "Testtown", "SW1A 1AA"],
    "alternative_phone": "07700900456",
    "urgent_any_time": False,
    "opted_out": [],
    "interpreter_needed": True,
    "interpreter_language": "Polish",
    "accessibility": ["large-print", "advocate"],
    "advocate_name": "Alex Advocate",
    "special_measures": ["screens", "video-link"],
}


def second_person_left(text: str) -> list[str]:
    return [phrase for phrase in VICTIM_PHRASES if phrase.lower() in text.lower()]


def summary_lists(html: str) -> str:
    """The text of the page's GOV.UK summary lists (where the victim's answers are shown)."""
    lists = re.findall(r'<dl class="govuk-summary-list[^"]*".*?</dl>', html, flags=re.S)
    return page_text(" ".join(lists))


def test_every_summary_row_has_a_third_person_version(babel_app_context: Flask) -> None:
    every = Preferences.from_document(
        {**Preferences().to_document(), **EVERY_ANSWER, "safe_days": ["mon", "tue"]}
    )
    victim_rows = labels.summary_rows(every)
    staff_rows = labels.for_staff(victim_rows)
    assert [row.step for row in staff_rows] == [row.step for row in victim_rows]
    for row in staff_rows:
        text = " ".join([row.label, *row.lines])
        assert not re.search(r"\b(you|your|my)\b", text, flags=re.I), text
    said = {row.step: row for row in staff_rows}
    assert said["channels"].label == "How to contact them, in order"
    assert said["safe-email"].label == "Is it safe to email them?"
    assert "Someone to speak on their behalf" in said["accessibility"].lines
    assert "Person to speak for them: Alex Advocate" in said["accessibility"].lines
    assert "Screens, so they do not see the defendant" in said["court-help"].lines
    assert said["opt-outs"].lines == ("None – they hear about everything",)
    assert said["urgent-any-time"].lines == ("Only at their safe times",)
    # The victim's own rows are unchanged.
    assert {row.step: row for row in victim_rows}["channels"].label == "How we contact you, in order"
    # What changed, as the queue and the history say it.
    assert labels.staff_changed_labels(["safe.email", "frequency"]) == [
        "Is it safe to email them?",
        "How often they hear from us",
    ]
    assert labels.staff_labels()["Is it safe for us to email you?"] == "Is it safe to email them?"


def test_the_officers_pages_about_a_victim_say_them(seeded: Flask, officer_client: FlaskClient) -> None:
    create_preferences_version(seeded, DEMO_VICTIM_ID, EVERY_ANSWER)
    victim_page = officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}").get_data(as_text=True)
    text = page_text(victim_page)
    assert second_person_left(text) == []
    assert "How to contact them, in order" in text and "Is it safe to email them?" in text
    assert "Someone to speak on their behalf" in text
    rows = summary_lists(victim_page)
    assert not re.search(r"\b(you|your|my)\b", rows, flags=re.I), rows
    for path in (
        f"/staff/victims/{DEMO_VICTIM_ID}/review",
        "/staff/review",
        f"/staff/victims/{DEMO_VICTIM_ID}/preferences",
        f"/staff/victims/{DEMO_VICTIM_ID}/delegations",
        "/staff/delegations",
    ):
        page = page_text(officer_client.get(path))
        assert second_person_left(page) == [], path
    # Reviewed, then changed again: the queue and the history name what changed, about them.
    version = create_preferences_version(seeded, DEMO_VICTIM_ID, {"frequency": "every-update"}).version
    assert (
        post_form(
            officer_client, f"/staff/victims/{DEMO_VICTIM_ID}/review", {"version": str(version), "note": ""}
        ).status_code
        == 302
    )
    create_preferences_version(
        seeded,
        DEMO_VICTIM_ID,
        {"frequency": "key-milestones", "safe": {**EVERY_ANSWER["safe"], "sms": False}},
    )
    queue = page_text(officer_client.get("/staff/review"))
    assert "Is it safe to send them text messages?, How often they hear from us" in queue
    assert second_person_left(queue) == []
    history = page_text(officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}/review"))
    assert "Is it safe to send them text messages?, How often they hear from us" in history
    assert second_person_left(history) == []
    form = page_text(officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}/preferences"))
    assert "Someone to speak on their behalf" in form and "Screens, so they do not see the defendant" in form
    helping = page_text(officer_client.get("/staff/delegations"))
    assert "Can help them now" in helping
    recorded = page_text(officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}/delegations"))
    assert "The victim, online" in recorded and "Can help them now" in recorded
