"""Issue 23: the preference rules (`portal/services/preferences/rules.py`) that mutation testing showed no
test noticed, each a rule a victim's contact details or needs depend on. Pure rules: no database.

Named for the issue's mutant 10: an address of 1-2 or 7+ lines, equal safe-from and safe-to times, the
advocate's name; then every other check and normalisation of the answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from typing import Any

import pytest
from flask import Flask

from portal.services.preferences import rules
from portal.services.preferences.rules import InvalidPreferences, check_document, validate_changes

pytestmark = pytest.mark.usefixtures("babel_app_context")

ENTER_ADDRESS = "Enter the address: the first line, the town and the postcode"


@pytest.fixture
def international(babel_app_context: Flask) -> Iterator[Flask]:
    """The Notify service may text and post abroad."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(babel_app_context.config, "NOTIFY_INTERNATIONAL_SMS", True)
        patch.setitem(babel_app_context.config, "NOTIFY_INTERNATIONAL_LETTERS", True)
        yield babel_app_context


def document(**changes: Any) -> dict[str, Any]:
    """A whole, valid document: email and text message, both safe, weekdays 9 to 5."""
    base: dict[str, Any] = {
        "channels": ["email", "sms"],
        "officer_phone_only": False,
        "safe": {"email": True, "sms": True, "letter": False, "phone": False},
        "email": "sam@example.com",
        "phone": "+447911123456",
        "address": None,
        "safe_from": "09:00",
        "safe_to": "17:00",
        "interpreter_needed": False,
        "interpreter_language": None,
        "accessibility": [],
        "advocate_name": None,
    }
    return {**base, **changes}


def refused(changes: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidPreferences) as caught:
        validate_changes(changes)
    assert str(caught.value) == "; ".join(f"{key}: {message}" for key, message in caught.value.errors.items())
    return caught.value.errors


# --- Mutant 10 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 2, 7, 8])
def test_mutant10_an_address_of_1_2_or_7_and_more_lines_is_refused(lines: int) -> None:
    """3 to 6 lines: the victim's name goes above them on a letter, making at most Notify's 7."""
    address = [f"{n} High Street" for n in range(1, lines)] + ["SW1A 1AA"]
    with pytest.raises(ValueError, match=ENTER_ADDRESS):
        rules.normalise_address(address)
    assert refused({"address": address}) == {"address": ENTER_ADDRESS}


@pytest.mark.parametrize("lines", [3, 6])
def test_mutant10_an_address_of_3_to_6_lines_is_kept_with_its_postcode_last(lines: int) -> None:
    address = [f"{n} High Street" for n in range(1, lines)] + ["sw1a1aa"]
    assert rules.normalise_address(address) == [*address[:-1], "SW1A 1AA"]


def test_mutant10_equal_safe_from_and_safe_to_times_are_refused() -> None:
    message = "The end time must be after the start time"
    assert check_document(document(safe_from="09:00", safe_to="09:00")) == {"safe_to": message}
    assert check_document(document(safe_from="17:00", safe_to="09:00")) == {"safe_to": message}
    assert check_document(document(safe_from="09:00", safe_to="09:01")) == {}


def test_mutant10_the_advocates_name_is_needed_when_an_advocate_speaks_for_the_victim() -> None:
    message = "Enter the name of the person who will speak for you"
    assert check_document(document(accessibility=["large-print", "advocate"])) == {"advocate_name": message}
    assert check_document(document(accessibility=["advocate"], advocate_name="Alex Advocate")) == {}
    assert check_document(document(accessibility=["large-print"])) == {}


# --- The rules across answers ----------------------------------------------------------------------------


def test_a_call_from_an_officer_only_cannot_be_combined() -> None:
    message = "A phone call from an officer only cannot be combined with other ways"
    only_phone = document(channels=["phone"], officer_phone_only=True, safe={"phone": False})
    assert check_document(only_phone) == {}  # an officer's call needs no channel confirmed safe
    assert check_document({**only_phone, "channels": ["phone", "email"]}) == {"channels": message}
    assert check_document({**only_phone, "channels": []}) == {"channels": message}


def test_at_least_one_way_must_be_safe() -> None:
    message = str(rules.NO_SAFE_CHANNEL)
    assert check_document(document(safe={"email": False, "sms": False})) == {"safe": message}
    assert check_document(document(safe={"email": False, "sms": True})) == {}
    assert check_document(document(channels=[], safe={})) == {}  # nothing chosen yet: no message


def test_every_chosen_way_needs_its_contact_detail() -> None:
    assert check_document(document(email=None, phone="")) == {
        "email": "Enter your email address",
        "phone": "Enter your phone number",
    }
    assert check_document(document(channels=["letter"], safe={"letter": True})) == {
        "address": "Enter your address"
    }
    assert check_document(document(channels=["phone"], safe={"phone": True}, phone=None)) == {
        "phone": "Enter your phone number"
    }


def test_text_messages_need_a_number_that_can_receive_them(international: Flask) -> None:
    landline = document(phone="+441134960000")
    assert check_document(landline) == {
        "phone": "Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982"
    }
    assert check_document({**landline, "channels": ["email"]}) == {}  # no texts: any number will do


def test_an_interpreters_language_is_needed_with_an_interpreter() -> None:
    message = "Enter the language you need an interpreter for"
    assert check_document(document(interpreter_needed=True)) == {"interpreter_language": message}
    assert check_document(document(interpreter_needed=True, interpreter_language="Tigrinya")) == {}
    assert check_document(document(interpreter_language="Tigrinya")) == {}


def test_urgent_news_at_any_time_means_something_only_with_a_safe_written_channel() -> None:
    assert rules.asks_urgent_any_time(document())
    assert not rules.asks_urgent_any_time(document(safe={"email": False, "sms": False}))
    assert not rules.asks_urgent_any_time(document(channels=["phone"], safe={"phone": True}))
    assert not rules.asks_urgent_any_time(document(officer_phone_only=True))
    assert rules.asks_urgent_any_time(
        document(channels=["phone", "letter"], safe={"phone": True, "letter": True})
    )


# --- Each answer on its own ----------------------------------------------------------------------------


def test_validate_changes_normalises_each_answer() -> None:
    cleaned = validate_changes(
        {
            "channels": ["sms", "email"],
            "officer_phone_only": False,
            "safe": {"sms": True},
            "detailed": {"email": False},
            "email": "  Sam@Example.com ",
            "phone": "07911 123456",
            "address": None,
            "safe_days": ["fri", "mon"],
            "safe_from": "9.30",
            "safe_to": "17:05",
            "urgent_any_time": True,
            "alternative_phone": "   ",
            "alternative_email": "",
            "frequency": "daily-digest",
            "opted_out": ["court"],
            "language": "cy",
            "interpreter_needed": True,
            "interpreter_language": "  Tigrinya ",
            "accessibility": ["advocate", "large-print"],
            "advocate_name": "   ",
            "support_referral": None,
            "special_measures": ["video-link", "screens"],
            "pre_trial_visit": True,
            "wants_vps": False,
            "vcs_opt_in": None,
        }
    )
    assert cleaned == {
        "channels": ["sms", "email"],  # the victim's order
        "officer_phone_only": False,
        "safe": {"sms": True},
        "detailed": {"email": False},
        "email": "Sam@example.com",
        "phone": "+447911123456",
        "address": None,
        "safe_days": ["mon", "fri"],  # the week's order
        "safe_from": "09:30",
        "safe_to": "17:05",
        "urgent_any_time": True,
        "alternative_phone": None,
        "alternative_email": None,
        "frequency": "daily-digest",
        "opted_out": ["court"],
        "language": "cy",
        "interpreter_needed": True,
        "interpreter_language": "Tigrinya",
        "accessibility": ["large-print", "advocate"],
        "advocate_name": None,
        "support_referral": None,
        "special_measures": ["screens", "video-link"],
        "pre_trial_visit": True,
        "wants_vps": False,
        "vcs_opt_in": None,
    }


def test_each_wrong_answer_has_its_govuk_message() -> None:
    select = "Select from the list"
    yes_no = "Select yes or no"
    assert refused(
        {
            "channels": ["email", "email"],
            "officer_phone_only": "yes",
            "safe": {"pigeon": True},
            "detailed": {"phone": True},
            "safe_days": [],
            "safe_from": 900,
            "safe_to": "25:00",
            "frequency": "hourly",
            "opted_out": "court",
            "language": "fr",
            "interpreter_language": "x" * 101,
            "accessibility": ["telepathy"],
            "support_referral": "no",
            "special_measures": [1],
            "colour": "blue",
        }
    ) == {
        "channels": select,
        "officer_phone_only": yes_no,
        "safe": yes_no,
        "detailed": yes_no,
        "safe_days": "Select at least one day when it is safe to contact you",
        "safe_from": "Enter the earliest time it is safe to contact you, like 9am or 21:00",
        "safe_to": "The latest time it is safe to contact you must be a real time, like 5pm or 17:30",
        "frequency": select,
        "opted_out": select,
        "language": select,
        "interpreter_language": "Enter 100 characters or fewer",
        "accessibility": select,
        "support_referral": yes_no,
        "special_measures": select,
        "colour": "unknown preference",
    }
    assert refused({"safe": {"email": "yes"}}) == {"safe": yes_no}
    assert refused({"safe": ["email"]}) == {"safe": yes_no}
    assert refused({"advocate_name": 7}) == {"advocate_name": "Enter 100 characters or fewer"}
    assert validate_changes({"advocate_name": "x" * 100}) == {"advocate_name": "x" * 100}
    assert refused({"safe_days": ["mon", "someday"]}) == {"safe_days": select}


def test_parse_time_takes_times_as_people_write_them() -> None:
    assert rules.parse_time(" 9:05 ") == time(9, 5)
    assert rules.parse_time("23.59") == time(23, 59)
    assert rules.parse_time("00:00") == time(0, 0)
    assert rules.parse_time("9") == time(
        9, 0
    )  # 24-hour without am or pm (tests/preferences/test_safe_time_formats.py)
    assert rules.parse_time("noon") == time(12, 0)
    for wrong in ("24:00", "9:60", "09:5", "", "noonish", "13pm"):
        with pytest.raises(ValueError):
            rules.parse_time(wrong)


def test_email_addresses_as_notify_takes_them() -> None:
    message = "Enter an email address in the correct format, like name@example.com"
    assert rules.normalise_email(" Sam.Sample@EXAMPLE.com ") == "Sam.Sample@example.com"
    for wrong in ("", "   ", "sam", "sam@localhost", "s\u00e1m@example.com", "a" * 310 + "@example.com"):
        with pytest.raises(ValueError, match=message):
            rules.normalise_email(wrong)


def test_postcodes_and_forces_addresses() -> None:
    assert rules.normalise_postcode(" sw1a   1aa ") == "SW1A 1AA"
    assert rules.normalise_postcode("bfpo 1234") == "BFPO 1234"
    assert rules.normalise_postcode("BFPO1") == "BFPO 1"
    for wrong in ("", "SW1A", "ZZ1 1ZZ", "BFPO 12345"):
        with pytest.raises(ValueError, match="Enter a real postcode, like SW1A 1AA"):
            rules.normalise_postcode(wrong)


def test_addresses_notify_would_not_post_to_say_why() -> None:
    for address, message in (
        (["@Home", "High Street", "SW1A 1AA"], "Address lines must not start with any of these characters:"),
        (["No fixed abode", "High Street", "SW1A 1AA"], "Enter an address where you can get post."),
        (
            ["...", "High Street", "SW1A 1AA"],
            "The first 2 lines of the address must include a letter or a number",
        ),
        (["1 High Street", "Town", "Nowhere"], "Enter a real postcode, like SW1A 1AA"),
    ):
        with pytest.raises(ValueError, match=message):
            rules.normalise_address(address)
    assert rules.address_problem(["1 High Street", "Town", "SW1A 1AA"]) is None
    assert '@ ( ) = [ ] " \\ / , < > ~' in str(rules.address_problem(["@Home", "Street", "SW1A 1AA"]))
    for wrong in ("1 High Street", ["1 High Street", 2, "SW1A 1AA"]):
        with pytest.raises(ValueError, match="Enter the address"):
            rules.normalise_address(wrong)
    too_long = ["1 High Street", "x" * 101, "SW1A 1AA"]
    with pytest.raises(ValueError, match=ENTER_ADDRESS):
        rules.normalise_address(too_long)
    assert rules.normalise_address(["1 High Street", "  ", "x" * 100, "SW1A 1AA"]) == [
        "1 High Street",
        "x" * 100,
        "SW1A 1AA",
    ]
    assert rules.address_messages() == {
        'Address lines must not start with any of these characters: @ ( ) = [ ] " \\ / , < > ~',
        "Enter an address where you can get post. If you do not have one, choose another way for us to "
        "contact you",
        "The first 2 lines of the address must include a letter or a number",
        "Enter a real postcode, like SW1A 1AA",
    }


def test_an_address_abroad_only_when_the_service_may_post_abroad(international: Flask) -> None:
    assert rules.address_problem(["1 Rue de Rivoli", "75001 Paris", "France"]) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(international.config, "NOTIFY_INTERNATIONAL_LETTERS", False)
        assert rules.address_problem(["1 Rue de Rivoli", "75001 Paris", "France"]) == (
            "Enter a real postcode, like SW1A 1AA"
        )
