"""Every error on the officer's forms names what is wrong, about the victim, in GOV.UK style (issue 21,
item 9): no "Select from the list" or "Enter a time, like 09:00" twice, no "Enter your ...". Each message
is asserted."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.pages import page_text, post_form

RECORD = f"/staff/victims/{DEMO_VICTIM_ID}/preferences"
VAGUE = ("Select from the list", "Enter a time, like 09:00", "Not a valid", "Enter your", "contact you")

#: A complete, acceptable answer to the form, which each test spoils.
GOOD: dict[str, Any] = {
    "rank_email": "",
    "rank_sms": "",
    "rank_letter": "1",
    "rank_phone": "",
    "safe": ["letter"],
    "address": "1 Test Street\nTesttown\nSW1A 1AA",
    "safe_days": ["mon", "tue", "wed"],
    "safe_from": "09:00",
    "safe_to": "17:00",
    "urgent_any_time": "no",
    "frequency": "every-update",
    "language": "en",
    "interpreter_needed": "no",
}


def errors_of(response: Any) -> list[str]:
    """The messages in the page's error summary, in order."""
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html, page_text(html)[:500]
    summary = html[html.index('<ul class="govuk-list govuk-error-summary__list">') :]
    summary = summary[: summary.index("</ul>")]
    return [page_text(item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, flags=re.S)]


def test_nothing_chosen_or_entered_names_each_answer(officer_client: FlaskClient) -> None:
    spoilt = {**GOOD, "frequency": None, "language": None, "safe_from": "", "safe_to": "", "safe_days": []}
    response = post_form(officer_client, RECORD, spoilt)
    assert response.status_code == 200
    errors = errors_of(response)
    assert sorted(errors) == sorted(
        [
            "Select how often they want to hear from us",
            "Select the language they want their updates in",
            "Enter the earliest time it is safe to contact them, like 9am or 21:00",
            "Enter the latest time it is safe to contact them, like 5pm or 17:30",
            "Select at least one day when it is safe to contact them",
        ]
    )
    assert not [e for e in errors if any(v in e for v in VAGUE)]
    assert "<title>Error:" in response.get_data(as_text=True)


def test_times_that_are_not_times_say_which(officer_client: FlaskClient) -> None:
    errors = errors_of(post_form(officer_client, RECORD, {**GOOD, "safe_from": "25:99", "safe_to": "soon"}))
    assert errors == [
        "The earliest safe time must be a real time, like 9am or 21:00",
        "The latest safe time must be a real time, like 5pm or 17:30",
    ]
    backwards = errors_of(
        post_form(officer_client, RECORD, {**GOOD, "safe_from": "17:00", "safe_to": "09:00"})
    )
    assert backwards == ["The latest safe time must be after the earliest safe time"]


def test_answers_that_do_not_go_together_are_said_about_them(officer_client: FlaskClient) -> None:
    spoilt = {
        **GOOD,
        "rank_email": "1",
        "rank_letter": "2",
        "safe": [],
        "email": "",
        "interpreter_needed": "yes",
        "interpreter_language": "",
        "accessibility": ["advocate"],
        "advocate_name": "",
    }
    errors = errors_of(post_form(officer_client, RECORD, spoilt))
    assert sorted(errors) == sorted(
        [
            "Select at least one way the victim confirmed is safe, or choose a phone call from an officer only",
            "Enter their email address",
            "Enter the language they need an interpreter for",
            "Enter the name of the person who will speak on their behalf",
        ]
    )
    too_long = errors_of(
        post_form(
            officer_client, RECORD, {**GOOD, "interpreter_needed": "yes", "interpreter_language": "x" * 101}
        )
    )
    assert too_long == ["The interpreter language must be 100 characters or fewer"]


def test_each_named_contact_error_says_whose(officer_client: FlaskClient) -> None:
    url = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}/contacts"
    response = post_form(
        officer_client,
        url,
        {
            "officer_in_case_name": "DC Jones",
            "officer_in_case_phone": "not a number",
            "witness_care_officer_name": "Wendy",
            "witness_care_officer_phone": "also not a number",
            "victim_liaison_officer_phone": "01632 960 201",
        },
    )
    errors = errors_of(response)
    assert len(errors) == len(set(errors)) == 3
    assert errors[0].startswith("Officer in the case: Enter a phone number")
    assert errors[1].startswith("Witness care officer: Enter a phone number")
    assert errors[2] == "Enter the name of the Victim Liaison Officer"


def test_resetting_security_codes_says_what_is_too_long(officer_client: FlaskClient) -> None:
    url = f"/staff/victims/{DEMO_VICTIM_ID}/reset-security-codes"
    assert officer_client.get(url).status_code == 200
    errors = errors_of(
        post_form(
            officer_client, url, {"identity_checked": "y", "how": "x" * 201, "password_forgotten": "no"}
        )
    )
    assert errors == ["How you checked who this person is must be 200 characters or fewer"]
