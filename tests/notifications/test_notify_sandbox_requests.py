"""The sandbox refuses what Notify refuses and accepts what it accepts: one test per rule, through real
HTTP with the real notifications-python-client, asserting Notify's status, error name and words.

Where each rule lives in Notify is named in notifications/sandbox (schemas.py, validation.py, content.py).
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.notifications.conftest import (
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    SECRET,
    SERVICE_ID,
    SMS_TEMPLATE,
    Sandbox,
)

ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 High Street", "address_line_3": "SW1A 1AA"}
LETTER = {"subject": "Your case", "body": "Dear A Person", **ADDRESS}


def refusal(call: Callable[[], Any]) -> tuple[int, list[tuple[str, str]]]:
    """Status and (error, message) pairs of a call the sandbox refuses."""
    with pytest.raises(HTTPError) as caught:
        call()
    return caught.value.status_code, [(item["error"], item["message"]) for item in caught.value.message]


def post(notify: NotificationsAPIClient, kind: str, body: dict[str, Any]) -> Callable[[], Any]:
    return lambda: notify.post(f"/v2/notifications/{kind}", data=body)


def sms(notify: NotificationsAPIClient, number: str = "07700900123", **personalisation: Any) -> Any:
    return notify.send_sms_notification(number, SMS_TEMPLATE, personalisation or {"body": "Hello"})


# -- the request's JSON (schemas.py) ------------------------------------------------------------------


def test_error_body_has_notifys_shape(sandbox: Sandbox) -> None:
    token = jwt.encode({"iss": SERVICE_ID, "iat": int(time.time())}, SECRET, algorithm="HS256")
    response = requests.post(
        f"{sandbox.url}/v2/notifications/sms",
        json={"phone_number": "07700900123"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json() == {
        "status_code": 400,
        "errors": [{"error": "ValidationError", "message": "template_id is a required property"}],
    }


def test_every_schema_error_is_reported_at_once(notify: NotificationsAPIClient) -> None:
    body = {"template_id": "nope", "reference": 5, "extra": 1}
    assert refusal(post(notify, "sms", body)) == (
        400,
        [
            ("ValidationError", "reference 5 is not of type string"),
            ("ValidationError", "template_id is not a valid UUID"),
            ("ValidationError", "phone_number is a required property"),
            ("ValidationError", "Additional properties are not allowed (extra was unexpected)"),
        ],
    )


def test_invalid_json_is_a_bad_request(sandbox: Sandbox) -> None:
    token = jwt.encode({"iss": SERVICE_ID, "iat": int(time.time())}, SECRET, algorithm="HS256")
    response = requests.post(
        f"{sandbox.url}/v2/notifications/email",
        data=b"{not json",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"error": "BadRequestError", "message": "Invalid JSON supplied in POST data"}
    ]


def test_reference_is_at_most_1000_characters(notify: NotificationsAPIClient) -> None:
    assert notify.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "r" * 1000)["id"]
    status, errors = refusal(
        lambda: notify.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "r" * 1001)
    )
    assert (status, errors) == (400, [("ValidationError", f"reference {'r' * 1001} is too long")])


def test_personalisation_must_be_an_object(notify: NotificationsAPIClient) -> None:
    body = {"phone_number": "07700900123", "template_id": SMS_TEMPLATE, "personalisation": ["x"]}
    assert refusal(post(notify, "sms", body)) == (
        400,
        [("ValidationError", "personalisation [x] is not of type object")],
    )


def test_a_letter_needs_personalisation(notify: NotificationsAPIClient) -> None:
    assert refusal(post(notify, "letter", {"template_id": LETTER_TEMPLATE})) == (
        400,
        [("ValidationError", "personalisation is a required property")],
    )


def test_postage_on_a_template_letter_is_refused(notify: NotificationsAPIClient) -> None:
    body = {"template_id": LETTER_TEMPLATE, "personalisation": LETTER, "postage": "first"}
    assert refusal(post(notify, "letter", body)) == (
        400,
        [("ValidationError", "Additional properties are not allowed (postage was unexpected)")],
    )


def test_a_precompiled_letter_may_name_its_postage(notify: NotificationsAPIClient) -> None:
    content = base64.b64encode(b"%PDF-1.4 not really").decode()
    body = {"reference": "pdf-1", "content": content, "postage": "first"}
    answer = notify.post("/v2/notifications/letter", data=body)
    assert set(answer) == {"id", "reference", "postage"}
    assert answer["reference"] == "pdf-1" and answer["postage"] == "first"
    assert notify.get_notification_by_id(answer["id"])["postage"] == "first"
    assert refusal(post(notify, "letter", {**body, "postage": "second-class"})) == (
        400,
        [("ValidationError", "postage invalid. It must be either first, second or economy.")],
    )


def test_scheduled_for_must_be_within_the_next_day(notify: NotificationsAPIClient) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=2)).replace(tzinfo=None).isoformat()
    body = {"phone_number": "07700900123", "template_id": SMS_TEMPLATE, "personalisation": {"body": "x"}}
    assert notify.post("/v2/notifications/sms", data={**body, "scheduled_for": soon})["id"]
    assert refusal(post(notify, "sms", {**body, "scheduled_for": "2001-01-01T10:00:00"})) == (
        400,
        [("ValidationError", "scheduled_for datetime can not be in the past")],
    )


def test_unsubscribe_link_must_be_https(notify: NotificationsAPIClient) -> None:
    body = {
        "email_address": "a@example.com",
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {"subject": "S", "body": "B"},
        "one_click_unsubscribe_url": "http://example.com/unsubscribe",
    }
    assert refusal(post(notify, "email", body)) == (
        400,
        [("ValidationError", "one_click_unsubscribe_url is not a valid https url")],
    )


# -- the template and its personalisation (validators.py validate_template) --------------------------


def test_unknown_template_is_not_found(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(
        lambda: notify.send_sms_notification("07700900123", str(uuid.uuid4()), {"body": "x"})
    )
    assert (status, errors) == (400, [("BadRequestError", "Template not found")])


def test_template_of_the_wrong_type_is_refused(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(lambda: notify.send_sms_notification("07700900123", LETTER_TEMPLATE, LETTER))
    assert (status, errors) == (
        400,
        [("BadRequestError", "letter template is not suitable for sms notification")],
    )


def test_every_missing_placeholder_is_named_in_template_order(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(lambda: notify.send_letter_notification(LETTER_TEMPLATE, ADDRESS))
    assert (status, errors) == (400, [("BadRequestError", "Missing personalisation: subject, body")])


def test_null_personalisation_counts_as_missing(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(
        lambda: notify.send_email_notification(
            "a@example.com", EMAIL_TEMPLATE, {"subject": "S", "body": None}
        )
    )
    assert (status, errors) == (400, [("BadRequestError", "Missing personalisation: body")])


def test_an_empty_string_is_a_value(notify: NotificationsAPIClient) -> None:
    sent = notify.send_email_notification("a@example.com", EMAIL_TEMPLATE, {"subject": "", "body": "B"})
    assert sent["content"]["subject"] == ""


def test_placeholders_match_ignoring_case_spaces_and_underscores(notify: NotificationsAPIClient) -> None:
    sent = notify.send_email_notification("a@example.com", EMAIL_TEMPLATE, {"SUBJECT": "S", "bo_dy": "B"})
    assert sent["content"]["subject"] == "S" and sent["content"]["body"] == "B"


def test_an_empty_message_is_refused(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(lambda: sms(notify, body=" \u200b\n "))
    assert (status, errors) == (400, [("BadRequestError", "Your message is empty.")])


def test_a_file_can_only_be_sent_by_email(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(lambda: sms(notify, body={"file": "YQ==", "is_csv": False}))
    assert (status, errors) == (400, [("BadRequestError", "Can only send a file by email")])


# -- content length (validators.py check_is_message_too_long) -----------------------------------------


def test_a_text_message_is_at_most_918_characters(notify: NotificationsAPIClient) -> None:
    assert sms(notify, body="x" * 918)["content"]["body"] == "x" * 918
    status, errors = refusal(lambda: sms(notify, body="x" * 919))
    message = (
        "Your message is too long. Text messages cannot be longer than 918 characters. "
        "Your message is 919 characters long."
    )
    assert (status, errors) == (400, [("BadRequestError", message)])


def test_text_message_characters_are_counted_after_sanitising(notify: NotificationsAPIClient) -> None:
    # "…" is sent as "...": 916 + 3 characters; an emoji is sent as "?", one character.
    assert sms(notify, body="x" * 917 + "😀")["content"]["body"] == "x" * 917 + "?"
    status, errors = refusal(lambda: sms(notify, body="x" * 916 + "…"))
    assert status == 400 and errors[0][1].endswith("Your message is 919 characters long.")


def test_an_email_is_at_most_2000000_bytes(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(
        lambda: notify.send_email_notification(
            "a@example.com", EMAIL_TEMPLATE, {"subject": "S", "body": "é" * 1_000_001}
        )
    )
    message = (
        "Your message is too long. Emails cannot be longer than 2000000 bytes. Your message is 2000002 bytes."
    )
    assert (status, errors) == (400, [("BadRequestError", message)])


# -- sender ids (post_notifications.py get_reply_to_text) --------------------------------------------


def test_unknown_sms_sender_id_is_refused(make_sandbox: Callable[..., Sandbox], make_client: Any) -> None:
    known = str(uuid.uuid4())
    notify = make_client(make_sandbox(sms_sender_ids=[known]))
    assert notify.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, sms_sender_id=known)["id"]
    unknown = str(uuid.uuid4())
    status, errors = refusal(
        lambda: notify.send_sms_notification(
            "07700900123", SMS_TEMPLATE, {"body": "x"}, sms_sender_id=unknown
        )
    )
    message = f"sms_sender_id {unknown} does not exist in database for service id {SERVICE_ID}"
    assert (status, errors) == (400, [("BadRequestError", message)])


def test_unknown_email_reply_to_id_is_refused(notify: NotificationsAPIClient) -> None:
    unknown = str(uuid.uuid4())
    status, errors = refusal(
        lambda: notify.send_email_notification(
            "a@example.com", EMAIL_TEMPLATE, {"subject": "S", "body": "B"}, email_reply_to_id=unknown
        )
    )
    message = f"email_reply_to_id {unknown} does not exist in database for service id {SERVICE_ID}"
    assert (status, errors) == (400, [("BadRequestError", message)])
