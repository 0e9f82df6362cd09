"""What the sandbox answers and does after a send, as Notify does: lookups with Notify's fields, the
rate limit (sends only), delivery receipts (retried only on 5xx, 429 and connection errors), Notify's
simulated recipients, and the command line's service settings."""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.notifications.conftest import (
    CALLBACK_TOKEN,
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    SMS_TEMPLATE,
    Receiver,
    Sandbox,
)

LETTER = {
    "subject": "Your case",
    "body": "Dear A Person",
    "address_line_1": "A Person",
    "address_line_2": "1 High Street",
    "address_line_3": "SW1A 1AA",
}
FIELDS = {
    "id",
    "reference",
    "email_address",
    "phone_number",
    *(f"line_{index}" for index in range(1, 7)),
    "postcode",
    "type",
    "status",
    "template",
    "body",
    "subject",
    "created_at",
    "created_by_name",
    "sent_at",
    "completed_at",
    "scheduled_for",
    "postage",
    "one_click_unsubscribe_url",
    "cost_details",
    "cost_in_pounds",
    "is_cost_data_ready",
}


def refusal(call: Callable[[], Any]) -> tuple[int, list[tuple[str, str]]]:
    with pytest.raises(HTTPError) as caught:
        call()
    return caught.value.status_code, [(item["error"], item["message"]) for item in caught.value.message]


def sms(notify: NotificationsAPIClient, number: str = "07700900123", reference: str | None = None) -> Any:
    return notify.send_sms_notification(number, SMS_TEMPLATE, {"body": "Hello"}, reference)


# -- lookups (models.py serialize_with_cost_data) --------------------------------------------------------


def test_a_lookup_has_notifys_fields_before_sending(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    notify = make_client(make_sandbox(callback_delay=60))
    view = notify.get_notification_by_id(sms(notify, "07700 900123", "ref-1")["id"])
    assert set(view) == FIELDS
    assert view["phone_number"] == "07700 900123" and view["email_address"] is None
    assert view["status"] == "created" and view["sent_at"] is None and view["completed_at"] is None
    assert view["template"]["id"] == SMS_TEMPLATE and view["template"]["version"] == 1
    assert view["template"]["uri"].endswith(f"/template/{SMS_TEMPLATE}")
    assert (view["is_cost_data_ready"], view["cost_in_pounds"], view["cost_details"]) == (False, None, {})
    assert view["subject"] is None and view["postage"] is None and view["created_by_name"] is None


def test_a_delivered_text_has_its_cost(sandbox: Sandbox, notify: NotificationsAPIClient) -> None:
    sent = notify.send_sms_notification("07700900123", SMS_TEMPLATE, {"body": "x" * 161})
    assert sandbox.state.wait_idle()
    view = notify.get_notification_by_id(sent["id"])
    assert view["status"] == "delivered" and view["completed_at"].endswith("Z") and view["sent_at"]
    details = view["cost_details"]
    assert details["billable_sms_fragments"] == 2 and details["international_rate_multiplier"] == 1.0
    assert view["is_cost_data_ready"] is True
    assert view["cost_in_pounds"] == pytest.approx(2 * details["sms_rate"])


def test_an_email_lookup(notify: NotificationsAPIClient) -> None:
    sent = notify.send_email_notification(
        " Someone@Example.com ",
        EMAIL_TEMPLATE,
        {"subject": "Hello", "body": "Text"},
        one_click_unsubscribe_url="https://example.com/unsubscribe",
    )
    view = notify.get_notification_by_id(sent["id"])
    assert set(view) == FIELDS
    assert view["email_address"] == "Someone@Example.com"  # stripped, case kept
    assert (view["subject"], view["body"]) == ("Hello", "Text")
    assert view["one_click_unsubscribe_url"] == "https://example.com/unsubscribe"
    assert (view["cost_in_pounds"], view["cost_details"], view["is_cost_data_ready"]) == (0.0, {}, True)


def test_a_letter_lookup_shows_letter_statuses_and_delivery_estimate(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    sandbox = make_sandbox(callback_delay=60)
    notify = make_client(sandbox)
    sent = notify.send_letter_notification(LETTER_TEMPLATE, LETTER)
    view = notify.get_notification_by_id(sent["id"])
    assert set(view) == FIELDS | {"estimated_delivery"}
    assert view["status"] == "accepted" and view["postage"] == "second"
    assert view["estimated_delivery"].endswith("Z") and view["estimated_delivery"] > view["created_at"]
    assert (view["line_1"], view["line_3"], view["subject"]) == ("A Person", "SW1A 1AA", "Your case")
    sandbox.state.send_receipt(sent["id"], "delivered")  # now, not in 60 seconds
    deadline = time.monotonic() + 5
    while view["status"] == "accepted" and time.monotonic() < deadline:
        time.sleep(0.02)
        view = notify.get_notification_by_id(sent["id"])
    assert view["status"] == "received"
    assert view["cost_details"] == {"billable_sheets_of_paper": 1, "postage": "second"}


def test_a_lookup_by_a_bad_id_is_a_validation_error(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: notify.get_notification_by_id("not-a-uuid")) == (
        400,
        [("ValidationError", "notification_id is not a valid UUID")],
    )


def test_an_unknown_notification_is_not_found(notify: NotificationsAPIClient) -> None:
    assert refusal(lambda: notify.get_notification_by_id(str(uuid.uuid4()))) == (
        404,
        [("NoResultFound", "No result found")],
    )


def test_listing_checks_its_filters(notify: NotificationsAPIClient) -> None:
    status, errors = refusal(
        lambda: notify.get("/v2/notifications", params={"status": "lost", "colour": "red"})
    )
    assert status == 400
    assert errors[0][1].startswith("status lost is not one of [cancelled, created, sending,")
    assert errors[1] == ("ValidationError", "Additional properties are not allowed (colour was unexpected)")


def test_listing_by_failed_finds_every_kind_of_failure(
    sandbox: Sandbox, notify: NotificationsAPIClient
) -> None:
    failed = sms(notify, "07700900002")  # permanent-failure
    sms(notify, "07700900123")
    assert sandbox.state.wait_idle()
    found = notify.get_all_notifications(status="failed")["notifications"]
    assert [(item["id"], item["status"]) for item in found] == [(failed["id"], "permanent-failure")]
    assert notify.get_all_notifications(template_type="letter")["notifications"] == []
    assert notify.get_all_notifications(older_than=str(uuid.uuid4()))["notifications"] == []


def test_simulated_recipients_are_answered_but_never_kept(
    make_sandbox: Callable[..., Sandbox],
    make_client: Callable[[Sandbox], NotificationsAPIClient],
    receiver: Receiver,
) -> None:
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN)
    notify = make_client(sandbox)
    sent = sms(notify, "+447700900111", "simulated")
    assert sent["id"]
    assert sandbox.state.wait_idle()
    assert refusal(lambda: notify.get_notification_by_id(sent["id"]))[0] == 404
    assert notify.get_all_notifications(reference="simulated")["notifications"] == []
    assert receiver.payloads() == []
    assert [item["reference"] for item in sandbox.inbox()] == ["simulated"]  # the inbox shows what came in


# -- the rate limit (validators.py check_rate_limiting: in the POST handlers only) ----------------------


def test_lookups_do_not_count_against_the_rate_limit(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    notify = make_client(make_sandbox(rate_limit_per_minute=9))  # 3 sends at once
    for _ in range(3):
        sent = sms(notify)
        for _ in range(5):
            notify.get_notification_by_id(sent["id"])
            notify.get_all_notifications()
    status, errors = refusal(lambda: sms(notify))
    assert (status, errors) == (
        429,
        [("RateLimitError", "Exceeded rate limit for key type LIVE of 9 requests per 60 seconds")],
    )


def test_refused_sends_count_against_the_rate_limit(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    notify = make_client(make_sandbox(rate_limit_per_minute=9))
    for _ in range(3):  # Notify takes the token before it reads the request
        assert refusal(lambda: sms(notify, "not a number"))[0] == 400
    assert refusal(lambda: sms(notify))[0] == 429


# -- delivery receipts (service_callback_tasks.py _send_data_to_service_callback_api) -------------------


def test_receipts_are_retried_after_429(
    make_sandbox: Callable[..., Sandbox],
    make_client: Callable[[Sandbox], NotificationsAPIClient],
    receiver: Receiver,
) -> None:
    receiver.fail_next = [429, 429]
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN, callback_retries=3)
    sms(make_client(sandbox), reference="after-429")
    assert sandbox.state.wait_idle()
    assert [payload["reference"] for payload in receiver.payloads()] == ["after-429"]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_receipts_are_not_retried_after_other_4xx(
    make_sandbox: Callable[..., Sandbox],
    make_client: Callable[[Sandbox], NotificationsAPIClient],
    receiver: Receiver,
    status: int,
) -> None:
    receiver.fail_next = [status]
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN, callback_retries=3)
    sms(make_client(sandbox), reference="refused")
    assert sandbox.state.wait_idle()
    assert receiver.fail_next == [] and receiver.payloads() == []  # one attempt, never again


def test_receipts_are_retried_after_connection_errors(
    make_sandbox: Callable[..., Sandbox],
    make_client: Callable[[Sandbox], NotificationsAPIClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    caplog.set_level(logging.INFO, logger="notifications.sandbox.state")
    sandbox = make_sandbox(callback_url=f"http://127.0.0.1:{port}/receipts", callback_retries=2)
    sms(make_client(sandbox))
    assert sandbox.state.wait_idle()
    failures = [record for record in caplog.records if "receipt POST failed" in record.getMessage()]
    assert len(failures) == 3  # the first attempt and 2 retries


# -- the command line's service settings ----------------------------------------------------------------


def test_cli_takes_the_services_templates_and_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    from notifications.sandbox.__main__ import _parser
    from notifications.sandbox.defaults import DEFAULT_LETTER_TEMPLATE_ID, DEFAULT_SMS_TEMPLATE_ID

    monkeypatch.setenv("NOTIFY_EMAIL_TEMPLATE_ID", EMAIL_TEMPLATE)
    monkeypatch.delenv("NOTIFY_SMS_TEMPLATE_ID", raising=False)
    monkeypatch.delenv("NOTIFY_LETTER_TEMPLATE_ID", raising=False)
    monkeypatch.setenv("NOTIFY_INTERNATIONAL_SMS", "true")
    monkeypatch.delenv("NOTIFY_INTERNATIONAL_LETTERS", raising=False)
    args = _parser().parse_args([])
    assert (args.email_template_id, args.sms_template_id, args.letter_template_id) == (
        EMAIL_TEMPLATE,
        DEFAULT_SMS_TEMPLATE_ID,
        DEFAULT_LETTER_TEMPLATE_ID,
    )
    assert args.international_sms is True and args.international_letters is False
    args = _parser().parse_args(
        ["--letter-template-id", LETTER_TEMPLATE, "--no-international-sms", "--international-letters"]
    )
    assert args.letter_template_id == LETTER_TEMPLATE
    assert args.international_sms is False and args.international_letters is True


def test_by_default_the_sandbox_knows_the_portals_default_templates(
    make_sandbox: Callable[..., Sandbox], make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> None:
    from notifications.sandbox.defaults import DEFAULT_SMS_TEMPLATE_ID

    notify = make_client(make_sandbox(templates=None))
    assert notify.send_sms_notification("07700900123", DEFAULT_SMS_TEMPLATE_ID, {"body": "x"})["id"]
    assert refusal(lambda: sms(notify)) == (400, [("BadRequestError", "Template not found")])
