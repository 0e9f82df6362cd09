"""The sandbox's memory: notifications received, faults to inject, rate-limit windows, receipts to send.

All of it is guarded by one lock; receipts go out from one background thread, started on first use and
stopped by `SandboxState.close()`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
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


def notify_time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value is not None else None


@dataclass
class SandboxNotification:
    id: str
    service_id: str
    type: str
    to: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    status: str
    final_status: str
    created_at: datetime
    address_lines: tuple[str, ...] = ()
    sent_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def body(self) -> str:
        value = self.personalisation.get("body")
        return str(value) if value is not None else ""

    @property
    def subject(self) -> str | None:
        if self.type == "sms":
            return None
        value = self.personalisation.get("subject")
        return str(value) if value is not None else ("Letter" if self.type == "letter" else "")

    def public(self, url_root: str) -> dict[str, Any]:
        """As `GET /v2/notifications/{id}` shows it."""
        lines = list(self.address_lines)
        letter: dict[str, Any] = {f"line_{index}": None for index in range(1, 8)}
        if lines:
            letter.update({f"line_{index}": line for index, line in enumerate(lines[:-1], start=1)})
        return {
            "id": self.id,
            "reference": self.reference,
            "email_address": self.to if self.type == "email" else None,
            "phone_number": self.to if self.type == "sms" else None,
            **letter,
            "postcode": lines[-1] if lines else None,
            "postage": "second" if self.type == "letter" else None,
            "type": self.type,
            "status": self.status,
            "template": {
                "id": self.template_id,
                "version": 1,
                "uri": f"{url_root}services/{self.service_id}/templates/{self.template_id}",
            },
            "body": self.body,
            "subject": self.subject,
            "created_at": notify_time(self.created_at),
            "created_by_name": None,
            "sent_at": notify_time(self.sent_at),
            "completed_at": notify_time(self.completed_at),
            "scheduled_for": None,
            "one_click_unsubscribe_url": None,
        }

    def inbox(self) -> dict[str, Any]:
        """As `GET /_sandbox/notifications` shows it."""
        return {
            "id": self.id,
            "type": self.type,
            "to": self.to,
            "template_id": self.template_id,
            "personalisation": self.personalisation,
            "reference": self.reference,
            "status": self.status,
            "created_at": notify_time(self.created_at),
        }

    def receipt(self) -> dict[str, Any]:
        """The delivery receipt Notify POSTs to the service's callback URL."""
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
            "template_version": 1,
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
        self._windows: dict[str, deque[float]] = {}
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
        """Count this request in the service's sliding 60-second window; True if it is over the limit."""
        now = time.monotonic()
        with self.lock:
            window = self._windows.setdefault(service_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.rate_limit_per_minute:
                return True
            window.append(now)
            return False

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
                    notification.sent_at = notification.sent_at or now
                    notification.completed_at = now
                payload = notification.receipt()
                wanted = self.callback_url is not None and notification.type != "letter"
                self._busy += 1
            try:
                if wanted and not self._post(payload):
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

    def _post(self, payload: dict[str, Any]) -> bool:
        headers = {"Content-Type": "application/json"}
        if self.callback_token:
            headers["Authorization"] = f"Bearer {self.callback_token}"
        assert self._http is not None and self.callback_url is not None
        try:
            response = self._http.post(self.callback_url, json=payload, headers=headers, timeout=5)
        except requests.RequestException as error:
            log.info("receipt POST failed: %s", type(error).__name__)
            return False
        return 200 <= response.status_code < 300
