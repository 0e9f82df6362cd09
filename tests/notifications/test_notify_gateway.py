"""The Notify gateway with the real notifications-python-client against the sandbox over HTTP."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests

from notifications.client import NotifyGateway, PermanentError, RetryableError
from tests.notifications.conftest import EMAIL_TEMPLATE, LETTER_TEMPLATE, SMS_TEMPLATE, Sandbox


@dataclass
class Msg:
    channel: str
    recipient: str | None = None
    address: list[str] | None = None
    subject: str | None = None
    body: str = "Something has changed. Sign in to see it."
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or str(uuid.uuid4())


def test_send_each_channel_through_generic_templates(sandbox: Sandbox, gateway: NotifyGateway) -> None:
    email = Msg("email", recipient="a@example.com", subject="An update")
    sms = Msg("sms", recipient="07700900123")
    letter = Msg("letter", address=["A Person", "1 High Street", "Town", "SW1A 1AA"], subject="A heading")
    ids = {message.id: gateway.send(message) for message in (email, sms, letter)}
    inbox = {item["reference"]: item for item in sandbox.inbox()}
    assert {ref: inbox[ref]["id"] for ref in ids} == ids
    assert inbox[email.id]["template_id"] == EMAIL_TEMPLATE
    assert inbox[email.id]["personalisation"] == {"subject": "An update", "body": email.body}
    assert inbox[sms.id]["template_id"] == SMS_TEMPLATE
    assert inbox[sms.id]["personalisation"] == {"body": sms.body}
    assert inbox[letter.id]["template_id"] == LETTER_TEMPLATE
    assert inbox[letter.id]["personalisation"] == {
        "address_line_1": "A Person",
        "address_line_2": "1 High Street",
        "address_line_3": "Town",
        "address_line_4": "SW1A 1AA",
        "subject": "A heading",
        "body": letter.body,
    }


def test_find_by_reference_and_get_status(sandbox: Sandbox, gateway: NotifyGateway) -> None:
    message = Msg("sms", recipient="07700900123")
    assert gateway.find_by_reference(message.id) is None
    notify_id = gateway.send(message)
    found = gateway.find_by_reference(message.id)
    assert found is not None and found[0] == notify_id
    assert sandbox.state.wait_idle()
    state = gateway.get_status(notify_id)
    assert state.status == "delivered" and state.reference == message.id
    assert state.completed_at is not None and state.completed_at.tzinfo is not None


def test_find_by_reference_skips_failed_notifications(sandbox: Sandbox, gateway: NotifyGateway) -> None:
    message = Msg("sms", recipient="07700900003")  # temporary failure
    notify_id = gateway.send(message)
    assert sandbox.state.wait_idle()
    assert gateway.find_by_reference(message.id) is None
    assert gateway.find_by_reference(message.id, include_failed=True) == (notify_id, "temporary-failure")


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_429_are_retryable(sandbox: Sandbox, gateway: NotifyGateway, status: int) -> None:
    sandbox.faults(fail_next=[status])
    with pytest.raises(RetryableError) as caught:
        gateway.send(Msg("sms", recipient="07700900123"))
    assert caught.value.status_code == status


def test_400_is_permanent_with_notifys_message(
    sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]
) -> None:
    unknown_template = make_gateway(sandbox.url, sms_template_id=str(uuid.uuid4()))
    with pytest.raises(PermanentError) as caught:
        unknown_template.send(Msg("sms", recipient="07700900123"))
    assert caught.value.status_code == 400
    assert "Template not found" in caught.value.message


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (Msg("sms", recipient="020 7946 0991"), "Not a UK mobile number"),
        (Msg("sms", recipient="+33 6 12 34 56 78"), "Cannot send to international mobile numbers"),
        (Msg("email", recipient="josé@example.com", subject="s"), "Not a valid email address"),
        (Msg("letter", address=["A Person", "Rue de la Paix", "France"], subject="s"), "real UK postcode"),
    ],
)
def test_a_recipient_notify_would_refuse_is_refused_without_a_call(
    sandbox: Sandbox, gateway: NotifyGateway, message: Msg, words: str
) -> None:
    with pytest.raises(PermanentError) as caught:
        gateway.send(message)
    assert caught.value.status_code == 400 and words in caught.value.message
    assert sandbox.inbox() == []


def test_international_permissions_let_the_gateway_send_abroad(
    make_sandbox: Callable[..., Sandbox], make_gateway: Callable[..., NotifyGateway]
) -> None:
    """With the service's permission (and the sandbox's), international texts and letters go."""
    sandbox = make_sandbox(international_sms=True, international_letters=True)
    gateway = make_gateway(sandbox.url, international_sms=True, international_letters=True)
    gateway.send(Msg("sms", recipient="+33 6 12 34 56 78"))
    gateway.send(Msg("letter", address=["A Person", "1 Rue de la Paix", "Paris", "France"], subject="s"))
    assert len(sandbox.inbox()) == 2


def test_403_is_permanent(sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]) -> None:
    wrong = make_gateway(sandbox.url, api_key=f"other-{uuid.uuid4()}-{uuid.uuid4()}")
    with pytest.raises(PermanentError) as caught:
        wrong.send(Msg("sms", recipient="07700900123"))
    assert caught.value.status_code == 403 and "Invalid token" in caught.value.message


def test_404_on_status_is_permanent(gateway: NotifyGateway) -> None:
    with pytest.raises(PermanentError):
        gateway.get_status(str(uuid.uuid4()))


def test_connection_refused_is_retryable(make_gateway: Callable[..., NotifyGateway]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gateway = make_gateway(f"http://127.0.0.1:{port}")
    with pytest.raises(RetryableError):
        gateway.send(Msg("sms", recipient="07700900123"))


def test_timeout_is_retryable(sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]) -> None:
    sandbox.faults(delay_ms=400)
    gateway = make_gateway(sandbox.url, timeout=0.1)
    with pytest.raises(RetryableError):
        gateway.find_by_reference("anything")
    requests.delete(f"{sandbox.url}/_sandbox/faults", timeout=5)


def test_one_client_per_thread(sandbox: Sandbox, gateway: NotifyGateway) -> None:
    clients = []
    errors: list[BaseException] = []

    def _work() -> None:
        try:
            clients.append(gateway.client)
            gateway.send(Msg("sms", recipient="07700900123"))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=_work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({id(client) for client in clients}) == 4
    assert gateway.client is gateway.client
    assert len(sandbox.inbox()) == 4


def test_bad_api_key_is_refused_early() -> None:
    with pytest.raises(ValueError):
        NotifyGateway("short", email_template_id="e", sms_template_id="s", letter_template_id="l")
