"""Which way we try first (issue 21, item 8): radios, not a number for each way. With two ways one
question, "Which should we try first?"; with three or four, then "Which should we try next?" of the ways
left (and "Which should we try after that?" with four). The stored document keeps `channels` as the
ordered list, so the API, the officer's form and dispatch are unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_VICTIM_ID
from tests.preferences.test_no_preselected_answers import ADDRESS, chosen
from tests.preferences.test_pages import versions
from tests.support.demo import DEMO_PASSWORD
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in

BASE = "/preferences/contact"


def radios_of(html: str, name: str = "choice") -> list[str]:
    """The values of the radios called `name`, in the order shown."""
    return re.findall(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.findall(
        rf'<input[^>]*name="{name}"[^>]*type="radio"[^>]*value="([^"]*)"', html
    )


def carry_on(client: FlaskClient, response: Any, answers: dict[str, dict[str, Any]]) -> str:
    """Answer the pages that follow (from `answers`, by step) until check answers; its text."""
    while True:
        assert response.status_code == 302, page_text(response)[:2000]
        url = response.headers["Location"]
        if "/account/confirm-password" in url:
            response = post_form(client, url, {"password": DEMO_PASSWORD})
            continue
        if url.endswith("/check"):
            page = client.get(url)
            if page.status_code == 302:
                response = page
                continue
            return page_text(page)
        step = url.rsplit("/", 1)[1]
        assert step in answers, f"asked {step}"
        page = client.get(url)
        if page.status_code == 302:  # the password again first
            response = page
            continue
        response = post_form(client, url, answers[step])


def test_two_ways_are_ordered_with_radios(seeded: Flask, client: FlaskClient) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    to_order = post_form(client, f"{BASE}/channels", {"answer": ["email", "sms"]})
    assert to_order.headers["Location"].endswith(f"{BASE}/order")
    page = client.get(f"{BASE}/order")
    html = page.get_data(as_text=True)
    assert "<select" not in html
    assert radios_of(html) == ["email", "sms"] and chosen(html) == []
    assert "Which should we try first?" in page_text(page) and "<title>Which should we try first?" in html
    assert re.search(r'<h1 class="govuk-fieldset__heading">\s*Which should we try first\?', html)

    nothing = post_form(client, f"{BASE}/order", {})
    assert nothing.status_code == 200
    assert "There is a problem" in page_text(nothing)
    assert page_text(nothing).count("Select which way we should try first") == 2
    assert 'href="#choice"' in nothing.get_data(as_text=True)  # the summary links to the first radio
    nonsense = post_form(client, f"{BASE}/order", {"choice": "letter"})  # not one of the ways chosen
    assert "Select which way we should try first" in page_text(nonsense)

    # Two ways: one question, then on to the email address.
    assert post_form(client, f"{BASE}/order", {"choice": "sms"}).headers["Location"].endswith(f"{BASE}/email")
    assert chosen(client.get(f"{BASE}/order").get_data(as_text=True)) == ["choice=sms"]
    assert client.get(f"{BASE}/order-next").headers["Location"].endswith(f"{BASE}/email")  # not asked


def test_two_ways_order_saved_and_shown_on_check_answers_with_a_change_link(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    html = victim_client.get(f"{BASE}/order").get_data(as_text=True)
    assert radios_of(html) == ["email", "sms"] and chosen(html) == ["choice=email"]  # as saved
    check = carry_on(victim_client, post_form(victim_client, f"{BASE}/order", {"choice": "sms"}), {})
    assert "How we contact you, in order 1. Text message 2. Email" in check
    body = victim_client.get(f"{BASE}/check").get_data(as_text=True)
    assert f'href="{BASE}/order"' in body and "Change order" in body
    assert post_form(victim_client, f"{BASE}/check", {}).status_code == 302
    assert versions(seeded, DEMO_VICTIM_ID)[-1].document["channels"] == ["sms", "email"]
    summary = victim_client.get("/preferences").get_data(as_text=True)
    assert f'href="{BASE}/order"' in summary  # also from the summary page


FOUR_WAYS_THEN = {
    "address": ADDRESS,
    "safe-letter": {"answer": "yes"},
    "safe-phone": {"answer": "yes"},
    "wording-letter": {"answer": "no"},
}


def test_four_ways_a_first_choice_then_the_next_of_those_left(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    to_order = post_form(victim_client, f"{BASE}/channels", {"answer": ["email", "sms", "letter", "phone"]})
    assert to_order.headers["Location"].endswith(f"{BASE}/order")
    first = victim_client.get(f"{BASE}/order").get_data(as_text=True)
    assert radios_of(first) == ["email", "sms", "letter", "phone"]
    assert chosen(first) == []  # new ways: the order is asked afresh

    to_next = post_form(victim_client, f"{BASE}/order", {"choice": "letter"})
    assert to_next.headers["Location"].endswith(f"{BASE}/order-next")
    next_page = victim_client.get(f"{BASE}/order-next")
    assert "Which should we try next?" in page_text(next_page)
    assert "We will try letter first." in page_text(next_page)
    assert radios_of(next_page.get_data(as_text=True)) == ["email", "sms", "phone"]  # letter is placed
    nothing = post_form(victim_client, f"{BASE}/order-next", {})
    assert "Select which way we should try next" in page_text(nothing)
    placed_again = post_form(victim_client, f"{BASE}/order-next", {"choice": "letter"})
    assert "Select which way we should try next" in page_text(placed_again)

    to_then = post_form(victim_client, f"{BASE}/order-next", {"choice": "phone"})
    assert to_then.headers["Location"].endswith(f"{BASE}/order-then")
    then = victim_client.get(f"{BASE}/order-then")
    assert "Which should we try after that?" in page_text(then)
    assert "We will try letter first, then phone call from an officer." in page_text(then)
    assert radios_of(then.get_data(as_text=True)) == ["email", "sms"]
    assert "Select which way we should try after that" in page_text(
        post_form(victim_client, f"{BASE}/order-then", {})
    )

    check = carry_on(
        victim_client, post_form(victim_client, f"{BASE}/order-then", {"choice": "sms"}), FOUR_WAYS_THEN
    )
    assert (
        "How we contact you, in order 1. Letter 2. Phone call from an officer 3. Text message 4. Email"
        in check
    )

    # Change the order from check answers: a new first choice asks the next places again.
    again = post_form(victim_client, f"{BASE}/order", {"choice": "email"})
    assert again.headers["Location"].endswith(f"{BASE}/order-next")
    assert chosen(victim_client.get(f"{BASE}/order-next").get_data(as_text=True)) == []
    post_form(victim_client, f"{BASE}/order-next", {"choice": "letter"})
    check = carry_on(victim_client, post_form(victim_client, f"{BASE}/order-then", {"choice": "phone"}), {})
    assert "1. Email 2. Letter 3. Phone call from an officer 4. Text message" in check
    assert post_form(victim_client, f"{BASE}/check", {}).status_code == 302
    saved = versions(seeded, DEMO_VICTIM_ID)[-1].document
    assert saved["channels"] == ["email", "letter", "phone", "sms"]  # the same ordered list as before


def test_the_same_first_choice_keeps_the_rest_of_the_order(seeded: Flask, victim_client: FlaskClient) -> None:
    post_form(victim_client, f"{BASE}/channels", {"answer": ["email", "sms", "letter"]})
    post_form(victim_client, f"{BASE}/order", {"choice": "sms"})
    post_form(victim_client, f"{BASE}/order-next", {"choice": "letter"})
    check = carry_on(victim_client, post_form(victim_client, f"{BASE}/address", ADDRESS), FOUR_WAYS_THEN)
    assert "1. Text message 2. Letter 3. Email" in check
    unchanged = post_form(victim_client, f"{BASE}/order", {"choice": "sms"})
    assert unchanged.headers["Location"].endswith(f"{BASE}/check")  # nothing to ask again


def test_only_an_officer_phoning_cannot_be_taken_for_the_phone_call_channel(
    seeded: Flask, client: FlaskClient
) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    page = page_text(client.get(f"{BASE}/channels"))
    assert "Phone call from an officer" in page
    assert "Do not send me messages – only an officer should phone me, when it is safe" in page
    assert "We will not email, text or write to you." in page
    assert "No messages - only a phone call from an officer" not in page
    assert "No messages – only a phone call from an officer" not in page
    to_phone = post_form(client, f"{BASE}/channels", {"answer": ["officer-only"]})
    assert to_phone.headers["Location"].endswith(f"{BASE}/phone")  # one way: no order question
    check = carry_on(
        client,
        to_phone,
        {
            "phone": {"answer": "020 7946 0000"},
            "safe-days": {"answer": ["mon"]},
            "safe-times": {"safe_from": "10am", "safe_to": "noon"},
            "alternative": {},
            "frequency": {"answer": "every-update"},
            "opt-outs": {"answer": []},
        },
    )
    assert "How we contact you, in order No messages – only an officer phones you, when it is safe" in check
    assert "Change order" not in check
