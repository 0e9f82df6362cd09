"""Recipients as Notify checks them: phone numbers and email addresses (the schema, then the service's
permissions) and postal addresses (validators.py validate_address), through the real client over HTTP.
One test per rule, asserting Notify's status, error name and words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.notifications.conftest import EMAIL_TEMPLATE, LETTER_TEMPLATE, SMS_TEMPLATE, Sandbox

LETTER = {
    "subject": "Your case",
    "body": "Dear A Person",
    "address_line_1": "A Person",
    "address_line_2": "1 High Street",
    "address_line_3": "SW1A 1AA",
}


def refusal(call: Callable[[], Any]) -> tuple[int, list[tuple[str, str]]]:
    with pytest.raises(HTTPError) as caught:
        call()
    return caught.value.status_code, [(item["error"], item["message"]) for item in caught.value.message]


def sms(notify: NotificationsAPIClient, number: str) -> Any:
    return notify.send_sms_notification(number, SMS_TEMPLATE, {"body": "Hello"})


def letter(notify: NotificationsAPIClient, **address: Any) -> Any:
    personalisation = {"subject": "Your case", "body": "Dear A Person", **address}
    return notify.send_letter_notification(LETTER_TEMPLATE, personalisation)


def lines(*values: str) -> dict[str, str]:
    return {f"address_line_{index}": value for index, value in enumerate(values, start=1)}


# -- phone numbers ---------------------------------------------------------------------------------------


def test_a_uk_mobile_in_any_format_is_accepted(sandbox: Sandbox, notify: NotificationsAPIClient) -> None:
    for number in ("07700 900123", "+44 7700 900123", "(0)7700-900123"):
        sms(notify, number)
    assert [item["to"] for item in sandbox.inbox()] == ["07700900123"] * 3


def test_letters_in_a_phone_number_are_refused(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: sms(notify, "07700 9OO123")) == (
        400,
        [("ValidationError", "phone_number Must not contain letters or symbols")],
    )


def test_a_phone_number_with_too_many_digits_is_refused(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: sms(notify, "07700900123456")) == (
        400,
        [("ValidationError", "phone_number Too many digits")],
    )


def test_a_number_that_is_not_valid_is_refused(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: sms(notify, "06000 000000")) == (
        400,
        [("ValidationError", "phone_number Number is not valid – double check the phone number you entered")],
    )


def test_a_uk_landline_is_not_a_mobile(notify: NotificationsAPIClient) -> None:
    # Checked after the template, against the service's permissions: an InvalidPhoneError, not the schema.
    assert refusal(lambda: sms(notify, "020 7946 0000")) == (
        400,
        [("InvalidPhoneError", "Not a UK mobile number")],
    )


def test_international_numbers_need_the_permission(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    uk_only = make_client(make_sandbox())
    assert refusal(lambda: sms(uk_only, "+33 6 12 34 56 78")) == (
        400,
        [("BadRequestError", "Cannot send to international mobile numbers")],
    )
    worldwide = make_sandbox(international_sms=True)
    assert sms(make_client(worldwide), "+33 6 12 34 56 78")["id"]
    assert worldwide.inbox()[0]["to"] == "+33612345678"


def test_crown_dependency_numbers_need_no_international_permission(notify: NotificationsAPIClient) -> None:
    assert sms(notify, "+44 7797 123456")["id"]  # Jersey


def test_a_bad_email_address_is_refused(notify: NotificationsAPIClient) -> None:
    assert refusal(
        lambda: notify.send_email_notification("a@b..com", EMAIL_TEMPLATE, {"subject": "S", "body": "B"})
    ) == (400, [("ValidationError", "email_address Not a valid email address")])


# -- postal addresses -------------------------------------------------------------------------------------


def test_an_address_needs_at_least_3_lines(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: letter(notify, **lines("A Person", "SW1A 1AA"))) == (
        400,
        [("ValidationError", "Address must be at least 3 lines")],
    )


def test_an_address_has_at_most_7_lines(notify: NotificationsAPIClient) -> None:
    address = lines("A Person", "Flat 1\nThe House", "1 High Street", "Village", "Town", "County", "SW1A 1AA")
    assert refusal(lambda: letter(notify, **address)) == (
        400,
        [("ValidationError", "Address must be no more than 7 lines")],
    )


def test_the_first_two_lines_need_a_letter_or_digit(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: letter(notify, **lines("A Person", "--", "SW1A 1AA"))) == (
        400,
        [
            (
                "ValidationError",
                "The first 2 lines of the address must both include at least one alphanumeric character",
            )
        ],
    )


def test_the_last_line_must_be_a_real_postcode(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: letter(notify, **lines("A Person", "1 High Street", "ZZ1 1ZZ"))) == (
        400,
        [("ValidationError", "Must be a real UK postcode")],
    )


def test_lines_must_not_start_with_certain_characters(notify: NotificationsAPIClient) -> None:
    message = "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
    assert refusal(lambda: letter(notify, **lines("A Person", "=1 High Street", "SW1A 1AA"))) == (
        400,
        [("ValidationError", message)],
    )


def test_no_fixed_abode_is_not_an_address(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: letter(notify, **lines("A Person", "No fixed abode", "SW1A 1AA"))) == (
        400,
        [("ValidationError", "Must be a real address")],
    )


def test_postcode_key_is_the_last_line_without_address_line_7(notify: NotificationsAPIClient) -> None:
    sent = letter(notify, address_line_1="A Person", address_line_2="1 High Street", postcode="sw1a1aa")
    view = notify.get_notification_by_id(sent["id"])
    assert (view["line_1"], view["line_2"], view["postcode"]) == ("A Person", "1 High Street", "sw1a1aa")


def test_address_line_7_wins_over_postcode(notify: NotificationsAPIClient) -> None:
    # from_personalisation reads address_line_7 when it is there, and then ignores `postcode`.
    address = {**lines("A Person", "1 High Street"), "address_line_7": "SW1A 1AA", "postcode": "not one"}
    assert letter(notify, **address)["id"]


def test_abroad_needs_the_international_letters_permission(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    address = lines("A Person", "1 Rue de Rivoli", "75001 Paris", "France")
    assert refusal(lambda: letter(make_client(make_sandbox()), **address)) == (
        400,
        [("ValidationError", "Must be a real UK postcode")],
    )
    worldwide = make_client(make_sandbox(international_letters=True))
    assert notify_postage(worldwide, letter(worldwide, **address)) == "europe"
    japan = lines("A Person", "1-1 Chiyoda", "Tokyo", "Japan")
    assert notify_postage(worldwide, letter(worldwide, **japan)) == "rest-of-world"
    assert notify_postage(worldwide, letter(worldwide, **lines("A", "1 High Street", "SW1A 1AA"))) == "second"
    assert refusal(lambda: letter(worldwide, **lines("A Person", "1 High Street", "Nowhere"))) == (
        400,
        [("ValidationError", "Last line of address must be a real UK postcode or another country")],
    )


def notify_postage(notify: NotificationsAPIClient, sent: dict[str, Any]) -> str:
    return str(notify.get_notification_by_id(sent["id"])["postage"])


def test_a_bfpo_address_must_not_name_a_country(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    notify = make_client(make_sandbox(international_letters=True))
    assert refusal(lambda: letter(notify, **lines("A Person", "Unit 1", "BFPO 123", "Germany"))) == (
        400,
        [("ValidationError", "The last line of a BFPO address must not be a country.")],
    )
