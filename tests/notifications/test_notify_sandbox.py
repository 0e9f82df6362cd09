"""The Notify sandbox over real HTTP: JWT checks, validation, Notify's response shapes, simulated
recipients, receipts, the inbox, faults and the rate limit."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.notifications.conftest import (
    API_KEY,
    CALLBACK_TOKEN,
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    SECRET,
    SERVICE_ID,
    SMS_TEMPLATE,
    Receiver,
    Sandbox,
)


def _token(*, key: str = SECRET, iss: str = SERVICE_ID, iat: float | None = None, alg: str = "HS256") -> str:
    claims = {"iss": iss, "iat": int(time.time() if iat is None else iat)}
    return jwt.encode(claims, key, algorithm=alg, headers={"typ": "JWT", "alg": alg})


def _post_sms(sandbox: Sandbox, authorization: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    body = {"phone_number": "07700900123", "template_id": SMS_TEMPLATE, "personalisation": {"body": "Hi"}}
    return requests.post(f"{sandbox.url}/v2/notifications/sms", json=body, headers=headers, timeout=10)


@pytest.fixture
def client(sandbox: Sandbox) -> Any:
    client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=5)
    yield client
    client.request_session.close()


def test_valid_token_is_accepted(sandbox: Sandbox) -> None:
    response = _post_sms(sandbox, f"Bearer {_token()}")
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("authorization", "status", "fragment"),
    # Each header is made when the test runs, not when it is collected: a token "120 s ahead" made at
    # collection would be within 30 seconds of the clock if the test ran 90 s or more later.
    [
        (lambda: None, 401, "authentication token must be provided"),
        (lambda: "Basic abc", 401, "bearer scheme"),
        (lambda: "Bearer not-a-jwt", 403, "Invalid token"),
        (lambda: "Bearer " + _token(key="5e0c6a3f-0000-4000-8000-000000000000"), 403, "API key not found"),
        (lambda: "Bearer " + _token(iat=time.time() - 120), 403, "within 30 seconds"),
        (lambda: "Bearer " + _token(iat=time.time() + 120), 403, "within 30 seconds"),
        (lambda: "Bearer " + _token(iss="9a1e1d7c-0000-4000-8000-000000000000"), 403, "service not found"),
        (lambda: "Bearer " + _token(iss="not-a-uuid"), 403, "service id"),
        (lambda: "Bearer " + _token(key="k" * 64, alg="HS512"), 403, "HS256"),
        (
            lambda: (
                "Bearer " + jwt.encode({"iss": SERVICE_ID, "iat": int(time.time())}, None, algorithm="none")
            ),
            403,
            "Invalid token",
        ),
    ],
)
def test_bad_tokens_are_refused_like_notify(
    sandbox: Sandbox, authorization: Callable[[], str | None], status: int, fragment: str
) -> None:
    response = _post_sms(sandbox, authorization())
    assert response.status_code == status
    body = response.json()
    assert body["status_code"] == status
    assert body["errors"][0]["error"] == "AuthError"
    assert fragment in body["errors"][0]["message"]
    assert sandbox.inbox() == []


def test_sms_email_letter_answers_have_notifys_shape(sandbox: Sandbox, client: Any) -> None:
    sms = client.send_sms_notification("07700 900123", SMS_TEMPLATE, {"body": "Your code is 123456"}, "ref-1")
    assert set(sms) >= {"id", "reference", "content", "uri", "template"}
    assert sms["reference"] == "ref-1"
    assert sms["content"]["body"] == "Your code is 123456" and "from_number" in sms["content"]
    assert sms["template"]["id"] == SMS_TEMPLATE and sms["template"]["version"] == 1
    assert sms["uri"].endswith(f"/v2/notifications/{sms['id']}")

    email = client.send_email_notification(
        "a@example.com", EMAIL_TEMPLATE, {"subject": "S", "body": "B"}, "r2"
    )
    assert email["content"] == {
        "subject": "S",
        "body": "B",
        "from_email": email["content"]["from_email"],
        "one_click_unsubscribe_url": None,  # create_response.py always has it
    }
    assert email["sanitised_content"] == {}  # post_notifications.py adds it to every email's answer

    letter = client.send_letter_notification(
        LETTER_TEMPLATE,
        {
            "address_line_1": "A Person",
            "address_line_2": "1 High St",
            "address_line_3": "sw1a 1aa",
            "subject": "Your case",
            "body": "L",
        },
        "r3",
    )
    assert letter["content"] == {"body": "L", "subject": "Your case"}

    inbox = sandbox.inbox()
    assert [item["type"] for item in inbox] == ["letter", "email", "sms"]  # newest first
    assert set(inbox[0]) == {
        "id",
        "type",
        "to",
        "template_id",
        "personalisation",
        "reference",
        "status",
        "created_at",
    }
    assert inbox[2]["to"] == "07700900123"
    assert inbox[1]["personalisation"] == {"subject": "S", "body": "B"}

    one = client.get_notification_by_id(sms["id"])
    # Notify shows the number as it was sent (models.py serialize: `to`, only stripped)
    assert one["id"] == sms["id"] and one["type"] == "sms" and one["phone_number"] == "07700 900123"
    assert one["body"] == "Your code is 123456" and one["created_at"].endswith("Z")
    letter_view = client.get_notification_by_id(letter["id"])
    # line_1..line_6 and postcode are the personalisation's address_line_1..6 and `postcode`, as sent
    assert letter_view["line_1"] == "A Person" and letter_view["line_3"] == "sw1a 1aa"
    assert letter_view["postcode"] is None

    found = client.get_all_notifications(reference="r2")
    assert [item["id"] for item in found["notifications"]] == [email["id"]]
    assert "current" in found["links"] and "next" in found["links"]
    assert client.get_all_notifications(reference="nothing")["notifications"] == []


@pytest.mark.parametrize(
    ("kind", "body", "fragment"),
    [
        ("sms", {"phone_number": "07700900123"}, "template_id is a required property"),
        ("sms", {"phone_number": "07700900123", "template_id": "x"}, "template_id is not a valid UUID"),
        (
            "sms",
            {"phone_number": "01632960000", "template_id": SMS_TEMPLATE},
            "phone_number Number is not valid – double check the phone number you entered",
        ),
        ("sms", {"phone_number": "077009", "template_id": SMS_TEMPLATE}, "phone_number Not enough digits"),
        ("sms", {"template_id": SMS_TEMPLATE}, "phone_number is a required property"),
        (
            "email",
            {"email_address": "nope", "template_id": EMAIL_TEMPLATE},
            "email_address Not a valid email address",
        ),
        (
            "email",
            {"email_address": "a@example.com", "template_id": EMAIL_TEMPLATE, "x": 1},
            "x was unexpected",
        ),
        (
            "letter",
            {
                "template_id": LETTER_TEMPLATE,
                "personalisation": {
                    "subject": "S",
                    "body": "B",
                    "address_line_1": "A",
                    "address_line_2": "B",
                },
            },
            "Address must be at least 3 lines",
        ),
        (
            "letter",
            {
                "template_id": LETTER_TEMPLATE,
                "personalisation": {
                    "subject": "S",
                    "body": "B",
                    "address_line_1": "A",
                    "address_line_2": "B",
                    "address_line_3": "C",
                },
            },
            "Must be a real UK postcode",
        ),
    ],
)
def test_validation_errors_like_notify(client: Any, kind: str, body: dict[str, Any], fragment: str) -> None:
    with pytest.raises(HTTPError) as caught:
        client.post(f"/v2/notifications/{kind}", data=body)
    assert caught.value.status_code == 400
    messages = [item["message"] for item in caught.value.message]
    assert any(fragment in message for message in messages), messages
    assert caught.value.message[0]["error"] == "ValidationError"


def test_missing_personalisation_is_a_bad_request(client: Any) -> None:
    with pytest.raises(HTTPError) as caught:
        client.send_email_notification("a@example.com", EMAIL_TEMPLATE, {"body": "B"})
    assert caught.value.status_code == 400
    assert "Missing personalisation: subject" in caught.value.message[0]["message"]


def test_unknown_notification_is_404_and_bad_id_is_400(client: Any) -> None:
    with pytest.raises(HTTPError) as caught:
        client.get_notification_by_id(str(uuid.uuid4()))
    assert caught.value.status_code == 404 and caught.value.message[0]["error"] == "NoResultFound"
    with pytest.raises(HTTPError) as caught:
        client.get_notification_by_id("not-a-uuid")
    assert caught.value.status_code == 400


def test_simulated_recipients_send_the_right_receipts(
    make_sandbox: Callable[..., Sandbox], receiver: Receiver
) -> None:
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN)
    client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=5)
    try:
        sent = {
            "sms-temp": client.send_sms_notification("07700900003", SMS_TEMPLATE, {"body": "x"}, "sms-temp"),
            "sms-perm": client.send_sms_notification("07700900002", SMS_TEMPLATE, {"body": "x"}, "sms-perm"),
            "sms-ok": client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "sms-ok"),
            "email-temp": client.send_email_notification(
                "temp-fail@simulator.notify", EMAIL_TEMPLATE, {"subject": "s", "body": "x"}, "email-temp"
            ),
            "email-perm": client.send_email_notification(
                "perm-fail@simulator.notify", EMAIL_TEMPLATE, {"subject": "s", "body": "x"}, "email-perm"
            ),
            "email-ok": client.send_email_notification(
                "someone@example.com", EMAIL_TEMPLATE, {"subject": "s", "body": "x"}, "email-ok"
            ),
            "letter": client.send_letter_notification(
                LETTER_TEMPLATE,
                {
                    "address_line_1": "A",
                    "address_line_2": "B",
                    "address_line_3": "SW1A 1AA",
                    "subject": "s",
                    "body": "x",
                },
                "letter",
            ),
        }
        assert sandbox.state.wait_idle()
        by_reference = {item["json"]["reference"]: item for item in receiver.received}
        expected = {
            "sms-temp": "temporary-failure",
            "sms-perm": "permanent-failure",
            "sms-ok": "delivered",
            "email-temp": "temporary-failure",
            "email-perm": "permanent-failure",
            "email-ok": "delivered",
        }
        assert {ref: item["json"]["status"] for ref, item in by_reference.items()} == expected
        for reference, item in by_reference.items():
            assert item["authorization"] == f"Bearer {CALLBACK_TOKEN}"
            payload = item["json"]
            assert payload["id"] == sent[reference]["id"]
            assert set(payload) >= {
                "id",
                "reference",
                "to",
                "status",
                "created_at",
                "completed_at",
                "sent_at",
                "notification_type",
                "template_id",
                "template_version",
            }
            assert payload["completed_at"].endswith("Z")
        assert client.get_notification_by_id(sent["letter"]["id"])["status"] == "received"
        assert client.get_notification_by_id(sent["sms-ok"]["id"])["status"] == "delivered"
    finally:
        client.request_session.close()


def test_receipts_are_retried_when_the_callback_fails(
    make_sandbox: Callable[..., Sandbox], receiver: Receiver
) -> None:
    receiver.fail_next = [500, 503]
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN, callback_retries=3)
    client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=5)
    try:
        client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "retry-me")
        assert sandbox.state.wait_idle()
    finally:
        client.request_session.close()
    assert [payload["reference"] for payload in receiver.payloads()] == ["retry-me"]


def test_forced_receipt(make_sandbox: Callable[..., Sandbox], receiver: Receiver) -> None:
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN)
    client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=5)
    try:
        sent = client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "forced")
        assert sandbox.state.wait_idle()
        response = requests.post(
            f"{sandbox.url}/_sandbox/notifications/{sent['id']}/receipt",
            json={"status": "technical-failure"},
            timeout=5,
        )
        assert response.status_code == 202
        assert sandbox.state.wait_idle()
    finally:
        client.request_session.close()
    assert [payload["status"] for payload in receiver.payloads()] == ["delivered", "technical-failure"]


def test_inbox_page_and_delete(sandbox: Sandbox, client: Any) -> None:
    client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "<script>alert(1)</script>"}, "page")
    page = requests.get(f"{sandbox.url}/", timeout=5)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    assert len(sandbox.inbox(reference="page")) == 1
    assert requests.delete(f"{sandbox.url}/_sandbox/notifications", timeout=5).status_code == 204
    assert sandbox.inbox() == []


def test_fail_next_then_succeed(sandbox: Sandbox, client: Any) -> None:
    sandbox.faults(fail_next=[500, 500])
    for _ in range(2):
        with pytest.raises(HTTPError) as caught:
            client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "f")
        assert caught.value.status_code == 500
        assert caught.value.message[0]["error"] == "Exception"
    assert client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "f")["id"]
    assert len(sandbox.inbox()) == 1


def test_error_rate_delay_and_reset(sandbox: Sandbox, client: Any) -> None:
    sandbox.faults(error_rate=1.0, status=502, delay_ms=50)
    started = time.monotonic()
    with pytest.raises(HTTPError) as caught:
        client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"})
    assert caught.value.status_code == 502 and time.monotonic() - started >= 0.05
    settings = requests.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()
    assert settings["error_rate"] == 1.0 and settings["status"] == 502
    assert requests.delete(f"{sandbox.url}/_sandbox/faults", timeout=5).status_code == 200
    assert client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"})["id"]
    bad = requests.post(f"{sandbox.url}/_sandbox/faults", json={"error_rate": 2}, timeout=5)
    assert bad.status_code == 400


def test_accept_then_fail_keeps_the_notification(sandbox: Sandbox, client: Any) -> None:
    sandbox.faults(accept_then_fail_next=[504])
    with pytest.raises(HTTPError) as caught:
        client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"}, "lost-201")
    assert caught.value.status_code == 504
    assert len(client.get_all_notifications(reference="lost-201")["notifications"]) == 1


def test_rate_limit_answers_429_like_notify(make_sandbox: Callable[..., Sandbox]) -> None:
    # Notify's token bucket holds min(ceil(limit / 3) + 1, 1000) tokens and refuses a send that leaves
    # fewer than 1: with 9 a minute, 3 sends go through at once and the 4th is refused.
    sandbox = make_sandbox(rate_limit_per_minute=9)
    client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=5)
    try:
        for _ in range(3):
            client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"})
        with pytest.raises(HTTPError) as caught:
            client.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x"})
    finally:
        client.request_session.close()
    assert caught.value.status_code == 429
    assert caught.value.message[0] == {
        "error": "RateLimitError",
        "message": "Exceeded rate limit for key type LIVE of 9 requests per 60 seconds",
    }


def test_cli_parses_and_builds_an_app() -> None:
    from notifications.sandbox.__main__ import _parser

    args = _parser().parse_args(
        ["--port", "0", "--api-key", API_KEY, "--error-rate", "0.2", "--delay-ms", "5"]
    )
    assert args.port == 0 and args.error_rate == 0.2 and args.api_key == API_KEY
