"""What the safe-time inputs say matches what they accept (issue 21, item 3): times are typed as people
write them ("9am", "0900", "21:00"), so no hint or error on the victim's, the officer's or the support
worker's pages asks for the 24-hour clock or "like 09:00", and every example a hint or an error gives is
itself accepted."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_VICTIM_ID
from portal.services.preferences import labels, rules
from portal.staff.preferences_form import OfficerPreferencesForm
from portal.victim.preferences_steps import find_step
from tests.cases.test_staff_form_errors import GOOD, RECORD, errors_of
from tests.preferences.test_pages import versions
from tests.support.pages import page_text, post_form

OLD_WORDING = re.compile(r"24-hour|like 0\d:\d\d|HH:MM", re.IGNORECASE)
#: "like 9am or 21:00", "For example, 5pm or 17:30": the examples a message gives.
EXAMPLES = re.compile(r"(?:like|For example,) (\S+) or (\S+?)\.?(?:$|\s)")


def _examples(text: str) -> list[str]:
    return [example for pair in EXAMPLES.findall(text) for example in pair]


@pytest.mark.usefixtures("babel_app_context")
def test_every_example_a_safe_time_message_gives_is_accepted() -> None:
    messages = [
        *rules.SAFE_TIME_MISSING.values(),
        *rules.SAFE_TIME_INVALID.values(),
        labels.STAFF_ERRORS_MISSING["safe_from"],
        labels.STAFF_ERRORS_MISSING["safe_to"],
        labels.STAFF_ERRORS_INVALID["safe_from"],
        labels.STAFF_ERRORS_INVALID["safe_to"],
        OfficerPreferencesForm.safe_from.kwargs["description"],
        OfficerPreferencesForm.safe_to.kwargs["description"],
        getattr(find_step("contact", "safe-times"), "hint", ""),
    ]
    examples = [example for message in messages for example in _examples(str(message))]
    assert len(examples) == 2 * len(messages)  # each gives two, one of them not on the 24-hour clock
    for message in map(str, messages):
        assert not OLD_WORDING.search(message), message
        assert any("am" in e or "pm" in e for e in _examples(message)), message
    for example in examples:
        rules.parse_time(example)  # ValueError if the example is not a time the service accepts


def test_the_pages_that_ask_for_safe_times_do_not_ask_for_the_24_hour_clock(
    victim_client: FlaskClient, officer_client: FlaskClient
) -> None:
    victim_page = page_text(victim_client.get("/preferences/contact/safe-times"))
    assert "For example, 9am or 21:00" in victim_page
    officer_page = page_text(officer_client.get(RECORD))
    assert "Safe from (UK time) For example, 9am or 21:00" in officer_page
    assert "Safe until (UK time) For example, 5pm or 17:30" in officer_page
    for text in (victim_page, officer_page):
        assert not OLD_WORDING.search(text)


def test_the_officer_can_record_times_as_the_victim_says_them(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    for written, kept in (("9am", "09:00"), ("0900", "09:00"), ("8.30am", "08:30")):
        saved = post_form(officer_client, RECORD, {**GOOD, "safe_from": written, "safe_to": "21:00"})
        assert saved.status_code == 302, errors_of(saved)
        document = versions(seeded, DEMO_VICTIM_ID)[-1].document
        assert (document["safe_from"], document["safe_to"]) == (kept, "21:00")
    wrong = post_form(officer_client, RECORD, {**GOOD, "safe_from": "9ish"})
    assert errors_of(wrong) == ["The earliest safe time must be a real time, like 9am or 21:00"]
