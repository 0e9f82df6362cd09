"""Safe times as people type them (issue 21, item 3): "9am", "9.30am", "8pm", "0900", "21:00", "9". A
phone's numeric keypad has no ":" or ".", so the inputs are plain text; every way in (the victim's page,
the officer's form, the agency API) uses the same rule (rules.parse_time) and keeps "HH:MM".

A bare hour without "am" or "pm" is on the 24-hour clock ("9" is 9am, "21" is 9pm): the check-answers page
then says "9am", so someone who meant 9pm sees what we understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from portal.services.demo_data import DEMO_VICTIM_ID
from portal.services.preferences import labels, rules
from portal.services.preferences.rules import InvalidPreferences, validate_changes
from tests.preferences.test_pages import versions
from tests.support.demo import DEMO_PASSWORD
from tests.support.pages import page_text, post_form

BASE = "/preferences/contact"
TIMES = f"{BASE}/safe-times"
EARLIEST_MISSING = "Enter the earliest time it is safe to contact you, like 9am or 21:00"
EARLIEST_INVALID = "The earliest time it is safe to contact you must be a real time, like 9am or 21:00"
LATEST_MISSING = "Enter the latest time it is safe to contact you, like 5pm or 17:30"
LATEST_INVALID = "The latest time it is safe to contact you must be a real time, like 5pm or 17:30"


def _twelve(t: time) -> tuple[int, str]:
    return t.hour % 12 or 12, "am" if t.hour < 12 else "pm"


#: Each way of writing a time, by name. Those that cannot say minutes are used only on the hour.
FORMATS: dict[str, Callable[[time], str]] = {
    "21:30": lambda t: f"{t.hour:02d}:{t.minute:02d}",
    "21.30": lambda t: f"{t.hour:02d}.{t.minute:02d}",
    "9:30": lambda t: f"{t.hour}:{t.minute:02d}",
    "0930": lambda t: f"{t.hour:02d}{t.minute:02d}",
    "930": lambda t: f"{t.hour}{t.minute:02d}",
    "the service's own (9am, 5:30pm, midday)": labels.format_time,
    "9.30am": lambda t: f"{_twelve(t)[0]}.{t.minute:02d}{_twelve(t)[1]}",
    "9:30 PM": lambda t: f"{_twelve(t)[0]}:{t.minute:02d} {_twelve(t)[1].upper()}",
    "9:30 p.m.": lambda t: f"{_twelve(t)[0]}:{t.minute:02d} {_twelve(t)[1][0]}.m.",
    "930pm": lambda t: f"{_twelve(t)[0]}{t.minute:02d}{_twelve(t)[1]}",
}
ON_THE_HOUR: dict[str, Callable[[time], str]] = {
    "9am": lambda t: "{}{}".format(*_twelve(t)),
    "9 am": lambda t: "{} {}".format(*_twelve(t)),
    "9 (24-hour)": lambda t: str(t.hour),
    "09 (24-hour)": lambda t: f"{t.hour:02d}",
}
TIMES_OF_DAY = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@pytest.mark.parametrize("name", FORMATS)
@given(when=TIMES_OF_DAY)
def test_every_way_of_writing_a_time_reads_back_as_that_time(name: str, when: time) -> None:
    written = FORMATS[name](when)
    assert rules.parse_time(written) == when, written
    assert validate_changes({"safe_from": written}) == {"safe_from": when.strftime("%H:%M")}


@pytest.mark.parametrize("name", ON_THE_HOUR)
@given(hour=st.integers(0, 23))
def test_every_way_of_writing_an_hour_reads_back_as_that_hour(name: str, hour: int) -> None:
    written = ON_THE_HOUR[name](time(hour))
    assert rules.parse_time(written) == time(hour), written


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("9am", time(9)), ("9.30am", time(9, 30)), ("9:30 am", time(9, 30)), ("8pm", time(20)),
        ("12pm", time(12)), ("12am", time(0)), ("0900", time(9)), ("900", time(9)), ("21:00", time(21)),
        ("9", time(9)), ("21", time(21)), ("midday", time(12)), ("noon", time(12)), ("midnight", time(0)),
        (" 9 AM ", time(9)), ("9.30 p.m.", time(21, 30)), ("00:00", time(0)), ("23:59", time(23, 59)),
    ],
)  # fmt: skip
def test_the_examples_of_the_issue(written: str, meant: time) -> None:
    assert rules.parse_time(written) == meant


@pytest.mark.parametrize(
    "wrong",
    ["24:00", "25:00", "9:60", "13pm", "0am", "00:30am", "2400", "960", "09:5", "9.", "noonish", "9-5"],
)
def test_what_is_not_a_time_is_refused_with_a_message_naming_the_answer(wrong: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_time(wrong)
    for key, message in (("safe_from", EARLIEST_INVALID), ("safe_to", LATEST_INVALID)):
        with pytest.raises(InvalidPreferences) as problem:
            validate_changes({key: wrong})
        assert problem.value.errors == {key: message}


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_nothing_entered_asks_for_the_time(empty: Any) -> None:
    for key, message in (("safe_from", EARLIEST_MISSING), ("safe_to", LATEST_MISSING)):
        with pytest.raises(InvalidPreferences) as problem:
            validate_changes({key: empty})
        assert problem.value.errors == {key: message}


@given(hour=st.integers(24, 99), minute=st.integers(0, 59))
def test_no_hour_past_23_is_a_time(hour: int, minute: int) -> None:
    for written in (f"{hour}:{minute:02d}", f"{hour}{minute:02d}", f"{hour}"):
        with pytest.raises(ValueError):
            rules.parse_time(written)


@given(hour=st.integers(0, 23), minute=st.integers(60, 99))
def test_no_minute_past_59_is_a_time(hour: int, minute: int) -> None:
    with pytest.raises(ValueError):
        rules.parse_time(f"{hour}:{minute}")


@given(hour=st.integers(13, 99), half=st.sampled_from(["am", "pm"]))
def test_am_and_pm_go_with_hours_1_to_12_only(hour: int, half: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_time(f"{hour}{half}")
    with pytest.raises(ValueError):
        rules.parse_time(f"0{half}")


# --- The victim's page -------------------------------------------------------------------------


def _safe_times(client: FlaskClient, start: str, end: str) -> Any:
    return post_form(client, TIMES, {"safe_from": start, "safe_to": end})


def _check_answers(client: FlaskClient) -> str:
    check = client.get(f"{BASE}/check")
    if check.status_code == 302:  # a safe-contact setting changed: the password again first
        post_form(client, check.headers["Location"], {"password": DEMO_PASSWORD})
        check = client.get(f"{BASE}/check")
    return page_text(check)


def test_the_page_gives_a_keyboard_with_a_colon_and_says_how_to_write_a_time(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    html = victim_client.get(TIMES).get_data(as_text=True)
    inputs = re.findall(r"<input[^>]*name=\"safe_(?:from|to)\"[^>]*>", html)
    assert len(inputs) == 2
    for tag in inputs:
        assert "inputmode" not in tag, tag  # a numeric keypad has no ":" and no "am"
        assert 'type="text"' in tag and 'autocomplete="off"' in tag and 'spellcheck="false"' in tag, tag
    assert "For example, 9am or 21:00." in page_text(html)
    assert "24-hour" not in page_text(html)


@pytest.mark.parametrize(
    ("start", "end", "said", "kept"),
    [
        ("9am", "8pm", "9am to 8pm, UK time", ("09:00", "20:00")),
        ("0900", "2100", "9am to 9pm, UK time", ("09:00", "21:00")),
        ("9.30am", "21:00", "9:30am to 9pm, UK time", ("09:30", "21:00")),
        ("9", "21", "9am to 9pm, UK time", ("09:00", "21:00")),  # a bare 9: 9am, said back to the victim
        ("12am", "12pm", "midnight to midday, UK time", ("00:00", "12:00")),
    ],
)
def test_the_victim_types_a_time_as_they_like_and_check_answers_says_what_we_understood(
    seeded: Flask, victim_client: FlaskClient, start: str, end: str, said: str, kept: tuple[str, str]
) -> None:
    assert _safe_times(victim_client, start, end).headers["Location"].endswith(f"{BASE}/check")
    assert said in _check_answers(victim_client)
    assert post_form(victim_client, f"{BASE}/check", {}).status_code == 302
    document = versions(seeded, DEMO_VICTIM_ID)[-1].document
    assert (document["safe_from"], document["safe_to"]) == kept


@pytest.mark.parametrize(
    ("start", "end", "messages"),
    [
        ("", "", [EARLIEST_MISSING, LATEST_MISSING]),
        ("25:00", "9:60", [EARLIEST_INVALID, LATEST_INVALID]),
        ("13pm", "", [EARLIEST_INVALID, LATEST_MISSING]),
        ("8pm", "9am", ["The end time must be after the start time"]),
    ],
)
def test_times_that_cannot_be_used_are_named_and_what_was_typed_is_kept(
    seeded: Flask, victim_client: FlaskClient, start: str, end: str, messages: list[str]
) -> None:
    response = _safe_times(victim_client, start, end)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "There is a problem" in text and "<title>Error:" in html
    for message in messages:
        assert text.count(message) == 2, message  # in the error summary and at the input
    assert f'value="{start}"' in html or not start
    assert f'value="{end}"' in html or not end


# --- The officer's form: the same rule ----------------------------------------------------------


#: The officer's form for the demo victim, answered in full but for the times.
RECORD = f"/staff/victims/{DEMO_VICTIM_ID}/preferences"
OFFICER_ANSWERS: dict[str, Any] = {
    "rank_letter": "1", "safe": ["letter"], "address": "1 Test Street\nTesttown\nSW1A 1AA",
    "safe_days": ["mon", "tue", "wed"], "urgent_any_time": "no", "frequency": "every-update",
    "language": "en", "interpreter_needed": "no",
}  # fmt: skip


def test_the_officer_records_times_as_the_victim_said_them(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    saved = post_form(officer_client, RECORD, {**OFFICER_ANSWERS, "safe_from": "9am", "safe_to": "2130"})
    assert saved.status_code == 302, page_text(saved)
    document = versions(seeded, DEMO_VICTIM_ID)[-1].document
    assert (document["safe_from"], document["safe_to"]) == ("09:00", "21:30")
