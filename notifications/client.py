"""The GOV.UK Notify gateway: sends outbox messages through three generic templates, looks them up.

Wraps `notifications_python_client.NotificationsAPIClient`. Errors become one of two kinds:
`RetryableError` (429, 5xx, timeouts, refused connections, unreadable answers: try again later, after
checking by reference whether Notify already has it) and `PermanentError` (400/403 and other 4xx: the
request itself is wrong; never retry). The underlying client keeps one `requests.Session`, which is not
thread-safe, so the gateway holds one client per thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications import recipients
from notifications.templates import personalisation_for

log = logging.getLogger(__name__)

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
# Notify statuses that mean this notification will never reach the recipient.
NOTIFY_FAILED_STATUSES = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
    }
)


class NotifyError(Exception):
    """A failed call to Notify; `status_code` as the client reports it (503 when there was no answer)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"{status_code} {message}")
        self.status_code = status_code
        self.message = message


class RetryableError(NotifyError):
    """429, 5xx, timeouts, connection errors: the same request may succeed later."""


class PermanentError(NotifyError):
    """400, 403 and other 4xx: the request will never succeed; Notify's own message is kept."""


class Sendable(Protocol):
    """What the gateway needs from a message (an `OutboundMessage` fits)."""

    id: str
    channel: str
    recipient: str | None
    address: list[str] | None
    subject: str | None
    body: str


@dataclass(frozen=True)
class NotifyStatus:
    """One notification as Notify reports it."""

    notify_id: str
    reference: str | None
    status: str
    created_at: datetime | None
    sent_at: datetime | None
    completed_at: datetime | None


def parse_notify_time(value: Any) -> datetime | None:
    """Notify's timestamps ("2017-05-14T12:15:30.000000Z") as aware UTC datetimes; None if absent/invalid."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _error_text(error: APIError) -> str:
    message: Any = error.message
    if isinstance(message, list):
        parts = [str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message]
        return "; ".join(parts) or "no message"
    return str(message)


def _translate(error: APIError) -> NotifyError:
    status = error.status_code
    text = _error_text(error)
    if status == 429 or status >= 500 or status < 400:
        return RetryableError(status, text)
    return PermanentError(status, text)


class NotifyGateway:
    """Sends outbox messages to GOV.UK Notify (or the local sandbox) through three generic templates.

    Personalisation is what `notifications.templates` defines for each channel's template. Every
    notification carries `reference` = the outbox message id, so it can be found again after a timeout.
    `international_sms` and `international_letters` are the Notify service's permissions: a recipient
    the service may not send to is refused here (PermanentError 400, Notify's words) without a call.
    """

    def __init__(
        self,
        api_key: str,
        *,
        email_template_id: str,
        sms_template_id: str,
        letter_template_id: str,
        base_url: str = NOTIFY_BASE_URL,
        timeout: float = 15.0,
        sms_sender_id: str | None = None,
        email_reply_to_id: str | None = None,
        international_sms: bool = False,
        international_letters: bool = False,
    ) -> None:
        if len(api_key) < 74:
            raise ValueError("a Notify API key looks like {name}-{service id}-{secret}")
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._templates = {"email": email_template_id, "sms": sms_template_id, "letter": letter_template_id}
        self._sms_sender_id = sms_sender_id
        self._email_reply_to_id = email_reply_to_id
        self._international_sms = international_sms
        self._international_letters = international_letters
        self._local = threading.local()
        self._clients: list[NotificationsAPIClient] = []
        self._clients_lock = threading.Lock()

    def __repr__(self) -> str:  # never the key
        return f"<NotifyGateway {self._base_url}>"

    @property
    def client(self) -> NotificationsAPIClient:
        """This thread's client (requests.Session is not thread-safe)."""
        client: NotificationsAPIClient | None = getattr(self._local, "client", None)
        if client is None:
            client = NotificationsAPIClient(self._api_key, base_url=self._base_url, timeout=self._timeout)
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        """Close every thread's HTTP connections (the gateway stays usable: it reconnects on demand)."""
        with self._clients_lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.request_session.close()
        self._local = threading.local()

    def _call(self, what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except APIError as error:
            translated = _translate(error)
            log.warning("Notify %s failed: %s", what, translated.status_code)
            raise translated from error

    def send(self, message: Sendable) -> str:
        """Send one message; returns Notify's notification id. Raises RetryableError or PermanentError."""
        template_id = self._templates.get(message.channel)
        if template_id is None:
            raise PermanentError(400, f"unknown channel {message.channel!r}")
        self.check_recipient(message)
        client = self.client
        personalisation = personalisation_for(
            message.channel, subject=message.subject, body=message.body, address=message.address
        )
        if message.channel == "email":
            response = self._call(
                "send email",
                client.send_email_notification,
                email_address=message.recipient,
                template_id=template_id,
                personalisation=personalisation,
                reference=message.id,
                email_reply_to_id=self._email_reply_to_id,
            )
        elif message.channel == "sms":
            response = self._call(
                "send sms",
                client.send_sms_notification,
                phone_number=message.recipient,
                template_id=template_id,
                personalisation=personalisation,
                reference=message.id,
                sms_sender_id=self._sms_sender_id,
            )
        else:
            response = self._call(
                "send letter",
                client.send_letter_notification,
                template_id=template_id,
                personalisation=personalisation,
                reference=message.id,
            )
        notify_id = response.get("id") if isinstance(response, dict) else None
        if not isinstance(notify_id, str) or not notify_id:
            # Notify may well have accepted it: retrying checks by reference first.
            raise RetryableError(502, "Notify's answer had no notification id")
        return notify_id

    def check_recipient(self, message: Sendable) -> None:
        """Refuse, as Notify would with a 400, a recipient this service may not send to."""
        try:
            if message.channel == "letter":
                recipients.validate_postal_address(
                    message.address or [], international=self._international_letters
                )
            elif message.channel == "sms":
                recipients.validate_phone_number(
                    message.recipient or "", international=self._international_sms
                )
            else:
                recipients.validate_email_address(message.recipient or "")
        except recipients.InvalidRecipient as error:
            raise PermanentError(400, error.message) from None

    def find_by_reference(self, reference: str, *, include_failed: bool = False) -> tuple[str, str] | None:
        """The newest notification with this reference as `(notify_id, status)`, or None.

        Failed notifications (temporary, technical, permanent failure...) are skipped unless
        `include_failed`: a message being sent again after one must not adopt it.
        """
        response = self._call("lookup", self.client.get_all_notifications, reference=reference)
        notifications = response.get("notifications", []) if isinstance(response, dict) else []
        candidates = [
            item
            for item in notifications
            if isinstance(item, dict)
            and item.get("reference") == reference
            and (include_failed or item.get("status") not in NOTIFY_FAILED_STATUSES)
        ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda item: str(item.get("created_at") or ""))
        return str(newest["id"]), str(newest.get("status") or "created")

    def get_status(self, notify_id: str) -> NotifyStatus:
        """One notification's current state. Raises RetryableError, or PermanentError (e.g. 404)."""
        item = self._call("status", self.client.get_notification_by_id, notify_id)
        if not isinstance(item, dict) or "status" not in item:
            raise RetryableError(502, "Notify's answer had no status")
        return NotifyStatus(
            notify_id=str(item.get("id") or notify_id),
            reference=item.get("reference"),
            status=str(item["status"]),
            created_at=parse_notify_time(item.get("created_at")),
            sent_at=parse_notify_time(item.get("sent_at")),
            completed_at=parse_notify_time(item.get("completed_at")),
        )
