"""The sandbox's memory: notifications received, faults to inject, rate-limit buckets, receipts to send.

All of it is guarded by one lock; receipts go out from one background thread, started on first use and
stopped by `SandboxState.close()`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import random
import threading
import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

log = logging.getLogger(__name__)


# app/constants.py NOTIFICATION_STATUS_TYPES_COMPLETED
COMPLETED_STATUSES = frozenset(
    {
        "sent",
        "delivered",
        "failed",
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "returned-letter",
        "cancelled",
        "validation-failed",
    }
)


def notify_time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value is not None else None


@dataclass
class SandboxNotification:
    """One notification as the sandbox keeps it. `status` is Notify's own status (a letter's `created`
    and `sending` are shown as `accepted`, its `delivered` as `received`: see `shown_status`)."""

    id: str
    service_id: str
    type: str
    to: str  # as Notify stores it: the number or address as sent (stripped); a letter's address lines
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    status: str
    final_status: str
    created_at: datetime
    address_lines: tuple[str, ...] = ()  # a letter's address as Notify normalises it
    sent_at: datetime | None = None
    completed_at: datetime | None = None
    body: str = ""
    subject: str | None = None
    template_version: int = 1
    postage: str | None = None
    normalised_to: str | None = None  # what the inbox shows as `to`
    one_click_unsubscribe_url: str | None = None
    units: int = 1  # text message fragments, or sheets of paper: billed once it is sent
    billable_units: int = 0
    international: bool = False
    simulated: bool = False  # Notify's simulated recipients: answered 201, never stored or sent

    @property
    def shown_status(self) -> str:
        """The status the API shows (models.py `Notification.get_letter_status` for letters)."""
        if self.type == "letter":
            if self.status in ("created", "sending"):
                return "accepted"
            if self.status in ("delivered", "returned-letter"):
                return "received"
        return self.status

    def inbox(self) -> dict[str, Any]:
        """As `GET /_sandbox/notifications` shows it."""
        return {
            "id": self.id,
            "type": self.type,
            "to": self.normalised_to or self.to,
            "template_id": self.template_id,
            "personalisation": self.personalisation,
            "reference": self.reference,
            "status": self.shown_status,
            "created_at": notify_time(self.created_at),
        }

    def receipt(self) -> dict[str, Any]:
        """The delivery receipt Notify POSTs to the service's callback URL
        (app/celery/service_callback_tasks.py `send_delivery_status_to_service`)."""
        return {
            "id": self.id,
            "reference": self.reference,
            "to": self.to,
            "status": self.status,
            "created_at": notify_time(self.created_at),
            "completed_at": notify_time(self.completed_at),
            "sent_at": notify_time(self.sent_at),
            "notification_type": self.type,
            "template_id": self.template_id,
            "template_version": self.template_version,
        }


@dataclass
class Faults:
    """Misbehaviour to inject into `/v2/` requests (after authentication)."""

    error_rate: float = 0.0  # share of requests answered with `status`
    status: int = 500
    rate_limit_rate: float = 0.0  # share of requests answered 429
    delay_ms: int = 0  # added before answering
    fail_next: deque[int] = field(default_factory=deque)  # the next requests get these statuses
    accept_then_fail_next: deque[int] = field(default_factory=deque)  # next sends are kept, then fail

    def describe(self) -> dict[str, Any]:
        return {
            "error_rate": self.error_rate,
            "status": self.status,
            "rate_limit_rate": self.rate_limit_rate,
            "delay_ms": self.delay_ms,
            "fail_next": list(self.fail_next),
            "accept_then_fail_next": list(self.accept_then_fail_next),
        }

    def update(self, data: dict[str, Any]) -> None:
        """Apply `POST /_sandbox/faults` JSON; unknown keys or bad values raise ValueError."""
        known = {"error_rate", "status", "rate_limit_rate", "delay_ms", "fail_next", "accept_then_fail_next"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        for key in ("error_rate", "rate_limit_rate"):
            if key in data:
                value = float(data[key])
                if not 0.0 <= value <= 1.0:
                    raise ValueError(f"{key} must be between 0 and 1")
                setattr(self, key, value)
        if "status" in data:
            self.status = _status(data["status"])
        if "delay_ms" in data:
            self.delay_ms = max(0, int(data["delay_ms"]))
        for key in ("fail_next", "accept_then_fail_next"):
            if key in data:
                value = data[key]
                statuses = [value] if isinstance(value, int) else list(value)
                getattr(self, key).extend(_status(item) for item in statuses)


def _status(value: Any) -> int:
    status = int(value)
    if not 400 <= status <= 599:
        raise ValueError("fault statuses must be 4xx or 5xx")
    return status


class SandboxState:
    """Everything the sandbox remembers. Thread-safe."""

    def __init__(
        self,
        *,
        callback_url: str | None,
        callback_token: str | None,
        callback_delay: float,
        callback_retries: int,
        callback_retry_delay: float,
        rate_limit_per_minute: int,
        max_notifications: int,
        faults: Faults,
    ) -> None:
        self.callback_url = callback_url
        self.callback_token = callback_token
        self.callback_delay = callback_delay
        self.callback_retries = callback_retries
        self.callback_retry_delay = callback_retry_delay
        self.rate_limit_per_minute = rate_limit_per_minute
        self.max_notifications = max_notifications
        self.faults = faults
        self.lock = threading.RLock()
        self.random = random.Random()
        self._notifications: OrderedDict[str, SandboxNotification] = OrderedDict()
        self._buckets: dict[str, tuple[float, int]] = {}  # service id: (last replenished, tokens)
        self._queue: list[tuple[float, int, str, str | None, int]] = []  # due, seq, id, status, attempt
        self._sequence = itertools.count()
        self._wakeup = threading.Condition(self.lock)
        self._busy = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self._http: requests.Session | None = None

    # -- notifications -------------------------------------------------------------------------

    def add(self, notification: SandboxNotification) -> None:
        with self.lock:
            self._notifications[notification.id] = notification
            while len(self._notifications) > self.max_notifications:
                self._notifications.popitem(last=False)
            if not notification.simulated:  # Notify neither stores nor sends these
                self._schedule(notification.id, None, self.callback_delay, attempt=0)

    def get(self, notification_id: str) -> SandboxNotification | None:
        with self.lock:
            return self._notifications.get(notification_id)

    def newest_first(self) -> list[SandboxNotification]:
        with self.lock:
            return list(reversed(self._notifications.values()))

    def clear(self) -> None:
        with self.lock:
            self._notifications.clear()
            self._queue.clear()

    def new_id(self) -> str:
        return str(uuid.uuid4())

    # -- rate limit ----------------------------------------------------------------------------

    def over_rate_limit(self, service_id: str) -> bool:
        """Take a token from the service's bucket for one POST; True if the bucket was empty.

        Notify's rule (app/notifications/validators.py `token_bucket_rate_limit_exceeded`, with
        notifications-utils' `tally-bucket-rate-limit` script): the bucket holds at most
        min(ceil(limit / 3) + 1, 1000) tokens, starts full, gains limit/60 tokens a second (whole tokens
        only), loses one per send, never goes below 0; a send is refused when fewer than 1 is left.
        Only sends count: Notify checks the limit in the POST handlers alone, never for lookups.
        """
        limit = self.rate_limit_per_minute
        if limit <= 0:
            return True
        bucket_max = min(math.ceil(limit / 3) + 1, 1000)
        per_second = limit / 60.0
        now = time.monotonic()
        with self.lock:
            last, tokens = self._buckets.get(service_id, (now, bucket_max))
            replenished = math.floor(max(now - last, 0.0) * per_second)
            tokens = max(min(tokens + replenished, bucket_max) - 1, 0)
            self._buckets[service_id] = (last + replenished / per_second, tokens)
            return tokens < 1

    # -- receipts ------------------------------------------------------------------------------

    def send_receipt(self, notification_id: str, status: str) -> None:
        """Set a notification's status now and send a receipt for it (`POST /_sandbox/.../receipt`)."""
        with self.lock:
            self._schedule(notification_id, status, 0.0, attempt=0)

    def _schedule(self, notification_id: str, status: str | None, delay: float, *, attempt: int) -> None:
        if self._closed:
            return
        heapq.heappush(
            self._queue, (time.monotonic() + delay, next(self._sequence), notification_id, status, attempt)
        )
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="notify-sandbox-receipts", daemon=True)
            self._thread.start()
        self._wakeup.notify()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every scheduled status change and receipt is done (for tests)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wakeup.wait(min(remaining, 0.05))
        return True

    def close(self) -> None:
        with self.lock:
            self._closed = True
            self._queue.clear()
            self._wakeup.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=10)
        if self._http is not None:
            self._http.close()

    def _run(self) -> None:
        self._http = requests.Session()
        while True:
            with self.lock:
                while not self._closed and (not self._queue or self._queue[0][0] > time.monotonic()):
                    timeout = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._wakeup.wait(timeout)
                if self._closed:
                    return
                _, _, notification_id, status, attempt = heapq.heappop(self._queue)
                notification = self._notifications.get(notification_id)
                if notification is None:
                    continue
                if attempt == 0:
                    now = datetime.now(UTC)
                    notification.status = status or notification.final_status
                    if notification.status != "created":
                        notification.sent_at = notification.sent_at or now
                        notification.billable_units = notification.units
                    # models.py `Notification.completed_at`: only a finished notification has one
                    finished = notification.status in COMPLETED_STATUSES
                    notification.completed_at = now if finished else None
                payload = notification.receipt()
                wanted = self.callback_url is not None and notification.type != "letter"
                self._busy += 1
            try:
                if wanted and self._post(payload) is None:
                    with self.lock:
                        if attempt < self.callback_retries:
                            self._schedule(
                                notification_id, status, self.callback_retry_delay, attempt=attempt + 1
                            )
                        else:
                            log.warning("receipt for %s not accepted; giving up", notification_id)
            finally:
                with self.lock:
                    self._busy -= 1
                    self._wakeup.notify_all()

    def _post(self, payload: dict[str, Any]) -> bool | None:
        """POST one receipt: True if taken, None to retry, False to give up.

        As app/celery/service_callback_tasks.py `_send_data_to_service_callback_api`: `raise_for_status`
        after following redirects; a connection error or timeout, a 5xx or a 429 is retried; any other
        4xx is not (the service refused it, sending it again will not help).
        """
        headers = {"Content-Type": "application/json"}
        if self.callback_token:
            headers["Authorization"] = f"Bearer {self.callback_token}"
        assert self._http is not None and self.callback_url is not None
        try:
            response = self._http.post(self.callback_url, json=payload, headers=headers, timeout=5)
        except requests.RequestException as error:
            log.info("receipt POST failed: %s", type(error).__name__)
            return None
        if response.status_code < 400:
            return True
        if response.status_code >= 500 or response.status_code == 429:
            log.info("receipt POST answered %s; will retry", response.status_code)
            return None
        log.warning("receipt POST answered %s; not retried", response.status_code)
        return False
