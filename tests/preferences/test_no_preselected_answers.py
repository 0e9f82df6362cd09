"""No answer is chosen for the victim (issue 21, item 4): "Is it safe for us to send you letters?" came
with "No" already selected, so pressing Continue told us letters were not safe without the victim saying
so. A question not yet answered shows no answer (no radio selected, no checkbox ticked, no safe time
filled in); Continue without choosing gives the GOV.UK error; a question answered before shows that
answer.

The walk below goes through every question page of both sections, as a victim with no saved preferences
who chooses every way to contact (so every safety and wording question is asked) and the answers that
lead to the follow-up questions (an interpreter, a person to speak for them).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.victim.preferences_steps import STEPS
from tests.support.demo import DEMO_PASSWORD
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in

ADDRESS = {"line_1": "2 Example Road", "line_2": "", "town": "Exampletown", "postcode": "EX1 2BB"}
#: What the victim answers on each page: radios and checkboxes as {"answer": ...}, other pages their fields.
ANSWERS: dict[str, dict[str, dict[str, Any]]] = {
    "contact": {
        "channels": {"answer": ["email", "sms", "letter", "phone"]},
        "order": {"choice": "letter"},
        "order-next": {"choice": "phone"},
        "order-then": {"choice": "email"},
        "email": {"answer": "pat.walk@example.com"},
        "phone": {"answer": "07700 900 982"},
        "address": ADDRESS,
        "safe-email": {"answer": "yes"},
        "safe-sms": {"answer": "no"},
        "safe-letter": {"answer": "yes"},
        "safe-phone": {"answer": "yes"},
        "wording-email": {"answer": "yes"},
        "wording-letter": {"answer": "no"},
        "safe-days": {"answer": ["mon", "fri"]},
        "safe-times": {"safe_from": "9am", "safe_to": "8pm"},
        "urgent-any-time": {"answer": "no"},
        "alternative": {},
        "frequency": {"answer": "key-milestones"},
        "opt-outs": {"answer": []},
    },
    "needs": {
        "language": {"answer": "en"},
        "interpreter": {"answer": "yes"},
        "interpreter-language": {"answer": "Polish"},
        "accessibility": {"answer": ["advocate"]},
        "advocate": {"answer": "Sam Jones, my sister"},
        "support-referral": {"answer": "no"},
        "court-help": {"answer": ["none"]},
        "pre-trial-visit": {"answer": "no"},
        "vps": {"answer": "yes"},
        "vcs": {"answer": "no"},
    },
}
#: The error each question with choices gives when the victim presses Continue without choosing.
REQUIRED = {
    "channels": "Select how we can contact you, or select that only an officer should phone you",
    "order": "Select which way we should try first",
    "order-next": "Select which way we should try next",
    "order-then": "Select which way we should try after that",
    "safe-email": "Select yes if it is safe to email you",
    "safe-sms": "Select yes if it is safe to send you text messages",
    "safe-letter": "Select yes if it is safe to send you letters",
    "safe-phone": "Select yes if it is safe for an officer to phone you",
    "wording-email": "Select what our emails should say",
    "wording-letter": "Select what our letters should say",
    "safe-days": "Select at least one day when it is safe to contact you",
    "safe-times": "Enter the earliest time it is safe to contact you, like 9am or 21:00",
    "urgent-any-time": "Select yes if we should tell you about this at any time",
    "frequency": "Select how often you want to hear from us",
    "language": "Select English or Welsh",
    "interpreter": "Select yes or no",
    "accessibility": "Select the help you need, or select no",
    "support-referral": "Select yes or no",
    "court-help": "Select what would help you, or select none of these",
    "pre-trial-visit": "Select yes or no",
    "vps": "Select yes or no",
    "vcs": "Select yes or no",
}
CODE_PAGES = ("verify-email", "verify-phone")


def chosen(html: str) -> list[str]:
    """The radios and checkboxes selected on a page, as name=value."""
    found = []
    for tag in re.findall(r"<input[^>]*>", html):
        if re.search(r"\bchecked\b", tag):
            name = re.search(r'name="([^"]*)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            found.append(f"{name[1] if name else '?'}={value[1] if value else '?'}")
    return found


def filled_in(html: str, *names: str) -> dict[str, str]:
    """The values shown in these text inputs."""
    values = {}
    for name in names:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag is not None, name
        value = re.search(r'value="([^"]*)"', tag[0])
        values[name] = value[1] if value else ""
    return values


def skip_code(client: FlaskClient, url: str) -> Any:
    page = client.get(url).get_data(as_text=True)
    token = page.split('name="action-csrf_token" type="hidden" value="')[1].split('"')[0]
    return client.post(url, data={"action-csrf_token": token, "action": "skip"})


def walk(client: FlaskClient, section: str, on_page: Any) -> list[str]:
    """Answer every question page of a section from the start until check answers, calling
    `on_page(step, html)` on each question page first. Returns the steps in the order they came."""
    seen: list[str] = []
    url = client.get(f"/preferences/{section}/start").headers["Location"]
    while not url.endswith("/check"):
        step = url.rsplit("/", 1)[1]
        page = client.get(url)
        if page.status_code == 302 and "/account/confirm-password" in page.headers["Location"]:
            post_form(client, page.headers["Location"], {"password": DEMO_PASSWORD})
            page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        assert step not in seen, f"{step} asked twice"
        seen.append(step)
        if step in CODE_PAGES:
            response = skip_code(client, url)
        else:
            on_page(step, page.get_data(as_text=True))
            response = post_form(client, url, ANSWERS[section][step])
        assert response.status_code == 302, (step, page_text(response)[:3000])
        url = response.headers["Location"]
    return seen


def test_no_question_arrives_answered_and_continue_without_an_answer_asks_for_one(
    seeded: Flask, client: FlaskClient
) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")  # no saved preferences

    def nothing_chosen(step: str, html: str) -> None:
        assert chosen(html) == [], f"{step}: {chosen(html)} selected before the victim answered"
        if step == "safe-times":
            assert filled_in(html, "safe_from", "safe_to") == {"safe_from": "", "safe_to": ""}
        if step in REQUIRED:
            empty = post_form(client, f"/preferences/{section}/{step}", {})
            assert empty.status_code == 200, step
            text = page_text(empty)
            assert "There is a problem" in text and REQUIRED[step] in text, (step, text[:2000])
            assert chosen(empty.get_data(as_text=True)) == [], step

    for section in ("contact", "needs"):
        asked = walk(client, section, nothing_chosen)
        # Every question page of the section was walked (the wording of text messages is not asked:
        # they are not safe).
        every = [step.name for step in STEPS[section] if step.name != "wording-sms"]
        assert asked == every, section
    for section in ("contact", "needs"):
        assert post_form(client, f"/preferences/{section}/check", {}).status_code == 302


def test_a_question_answered_before_shows_that_answer(seeded: Flask, client: FlaskClient) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    for section in ("contact", "needs"):
        walk(client, section, lambda step, html: None)
    for section in ("contact", "needs"):
        assert post_form(client, f"/preferences/{section}/check", {}).status_code == 302

    expected = {
        "order": ["choice=letter"],
        "order-next": ["choice=phone"],
        "order-then": ["choice=email"],
        "safe-email": ["answer=yes"],
        "safe-sms": ["answer=no"],
        "safe-letter": ["answer=yes"],
        "wording-letter": ["answer=no"],
        "safe-days": ["answer=mon", "answer=fri"],
        "urgent-any-time": ["answer=no"],
        "frequency": ["answer=key-milestones"],
        "court-help": ["answer=none"],
        "vps": ["answer=yes"],
        "vcs": ["answer=no"],
    }
    for step, answer in expected.items():
        section = "needs" if step in ANSWERS["needs"] else "contact"
        page = client.get(f"/preferences/{section}/{step}")
        assert chosen(page.get_data(as_text=True)) == answer, step
    times = client.get("/preferences/contact/safe-times").get_data(as_text=True)
    assert filled_in(times, "safe_from", "safe_to") == {"safe_from": "09:00", "safe_to": "20:00"}


def test_a_way_added_later_asks_whether_it_is_safe_with_nothing_chosen(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """The demo victim has saved email and text messages: adding letters asks about them afresh."""
    assert chosen(victim_client.get("/preferences/contact/safe-email").get_data(as_text=True)) == [
        "answer=yes"
    ]
    post_form(victim_client, "/preferences/contact/channels", {"answer": ["email", "sms", "letter"]})
    post_form(victim_client, "/preferences/contact/order", {"choice": "email"})
    post_form(victim_client, "/preferences/contact/order-next", {"choice": "sms"})
    post_form(victim_client, "/preferences/contact/address", ADDRESS)
    page = victim_client.get("/preferences/contact/safe-letter")
    assert page.status_code == 200
    assert chosen(page.get_data(as_text=True)) == []
    empty = post_form(victim_client, "/preferences/contact/safe-letter", {})
    assert "Select yes if it is safe to send you letters" in page_text(empty)


def test_what_you_need_shows_no_answer_when_only_how_we_contact_you_was_saved(
    seeded: Flask, client: FlaskClient
) -> None:
    """Saving "How we contact you" records defaults for "What you need" too (no interpreter, English):
    they are not the victim's answers, so the Change links of that section open pages with none chosen."""
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    walk(client, "contact", lambda step, html: None)
    assert post_form(client, "/preferences/contact/check", {}).status_code == 302
    for step in ("language", "interpreter", "accessibility", "support-referral", "court-help", "vps", "vcs"):
        page = client.get(f"/preferences/needs/{step}")
        assert page.status_code == 200, step
        assert chosen(page.get_data(as_text=True)) == [], step
    # Once answered, the answer shows.
    post_form(client, "/preferences/needs/interpreter", {"answer": "no"})
    assert chosen(client.get("/preferences/needs/interpreter").get_data(as_text=True)) == ["answer=no"]
    # ...and a section someone answered shows its answers: the contact section's pages.
    assert chosen(client.get("/preferences/contact/safe-letter").get_data(as_text=True)) == ["answer=yes"]
