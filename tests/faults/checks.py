"""What the fault tests do to the running portal and how they count what survived: an agency posting
updates (retrying with the same `event_id` until one is accepted), a signed-in victim opening a page
over and over, and the counts of updates stored and messages lost or sent twice."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests
from flask import Flask
from sqlalchemy import Engine, select, text

from notifications.outbox import OutboundMessage
from portal.models import CaseUpdate
from portal.services.agency_api import clients as api_clients
from tests.faults.stack import Stack, wait_until
from tests.support.agency_client import AgencyClient
from tests.support.demo import DEMO_PASSWORD, VICTIM
from tests.support.signing_in import second_factor_code

ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}
UNAVAILABLE_PAGE = "Sorry, the service is unavailable"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
RETRY_STATUSES = {429, 500, 502, 503}  # try again with the same event_id


def cps(stack: Stack) -> AgencyClient:
    return AgencyClient(stack.web_url, api_clients.demo_client("cps").key)


def new_case(client: AgencyClient, urn: str, victims: int = 1) -> list[str]:
    """A case with `victims` victims who chose text messages and email, safe at any time."""
    created = client.put_case(urn, {"offence": "Assault"})
    assert created.status_code in (200, 201), created.text
    ids = []
    for n in range(victims):
        added = client.add_victim(
            urn,
            {
                "given_name": "Fay",
                "family_name": f"Fault{n}",
                "phone": f"07700 900{n + 300:03d}",  # not one of Notify's simulated numbers
                "email": f"fay.fault{n}@demo.example",
                "agency_person_reference": f"{urn}-{n}",
                "preferences": {"channels": ["sms", "email"], "safe": {"sms": True, "email": True}, **ALWAYS},
            },
        )
        assert added.status_code == 201, added.text
        ids.append(added.json()["id"])
    return ids


def update(event_id: str) -> dict[str, object]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        "event_id": event_id,
        "type": "case-discontinued",
        "occurred_at": now,
        "received_at": now,
        "details": {"reason": "There is not enough evidence"},
    }


@dataclass
class Agency:
    """Posts updates one after another, each retried with the same event_id until it is accepted."""

    client: AgencyClient
    urn: str
    prefix: str
    accepted: list[str] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)  # "201", "503", "connection error", ...
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def post(self, event_id: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = self.client.send_updates(self.urn, update(event_id))
            except requests.RequestException:
                self.answers["connection error"] += 1
            else:
                self.answers[str(answer.status_code)] += 1
                if answer.status_code in (200, 201):
                    self.accepted.append(event_id)
                    return
                assert answer.status_code in RETRY_STATUSES, answer.text
            assert time.monotonic() < deadline, f"{event_id} not accepted within {timeout}s: {self.answers}"
            time.sleep(0.2)

    def run(self, interval: float = 0.05) -> None:
        """Post in a thread until `finish()`."""

        def _loop() -> None:
            n = 0
            while not self.stop.is_set():
                self.post(f"{self.prefix}-{n}")
                n += 1
                time.sleep(interval)

        self.thread = threading.Thread(target=_loop, daemon=True)
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=90)
            assert not self.thread.is_alive()


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def signed_in_victim(app: Flask, base: str) -> requests.Session:
    """The demo victim signed in over HTTP (the emailed code read from the outbox)."""
    http = requests.Session()

    def post(path: str, data: dict[str, str]) -> requests.Response:
        token = _csrf(http.get(f"{base}{path}", timeout=10).text)
        return http.post(
            f"{base}{path}", data={"csrf_token": token, **data}, allow_redirects=False, timeout=10
        )

    password = post("/sign-in", {"email": VICTIM, "password": DEMO_PASSWORD})
    assert password.status_code == 302 and "/sign-in/security-code" in password.headers["Location"]
    done = post("/sign-in/security-code", {"code": second_factor_code(app, VICTIM)})
    assert done.status_code == 302 and "/sign-in" not in done.headers["Location"], done.headers
    if "/exit-this-page-explained" in done.headers["Location"]:
        post("/exit-this-page-explained", {})
    return http


@dataclass
class PagePoller:
    """Opens one page over and over (in a thread) and keeps what each answer was, and when."""

    http: requests.Session
    url: str
    answers: list[tuple[float, int]] = field(default_factory=list)
    bad_503_pages: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> PagePoller:
        def _loop() -> None:
            while not self.stop.is_set():
                try:
                    response = self.http.get(self.url, timeout=10, allow_redirects=False)
                except requests.RequestException:
                    self.answers.append((time.monotonic(), 0))
                else:
                    self.answers.append((time.monotonic(), response.status_code))
                    if response.status_code == 503 and UNAVAILABLE_PAGE not in response.text:
                        self.bad_503_pages += 1
                time.sleep(0.05)

        self.thread = threading.Thread(target=_loop, daemon=True)
        self.thread.start()
        return self

    def finish(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=30)

    def seconds_answering(self, status: int) -> float:
        """From the first to the last answer with `status` (0 if there was none)."""
        times = [moment for moment, answered in self.answers if answered == status]
        return round(times[-1] - times[0], 2) if times else 0.0

    def statuses(self) -> Counter[int]:
        return Counter(status for _moment, status in self.answers)


def outbox_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(OutboundMessage.id)))


def outbox_statuses(engine: Engine, before: set[str]) -> dict[str, str]:
    """The status of every outbox message written since `before` was taken."""
    with engine.connect() as conn:
        rows = conn.execute(select(OutboundMessage.id, OutboundMessage.status)).all()
    return {message_id: status for message_id, status in rows if message_id not in before}


def stored_updates(engine: Engine, event_ids: list[str]) -> Counter[str]:
    with engine.connect() as conn:
        found = conn.scalars(
            select(CaseUpdate.agency_event_id).where(CaseUpdate.agency_event_id.in_(event_ids))
        )
        return Counter(found)


def drain(engine: Engine, before: set[str], timeout: float) -> float:
    """Seconds until every message written since `before` is delivered."""
    try:
        return wait_until(
            lambda: set(outbox_statuses(engine, before).values()) <= {"delivered"},
            timeout=timeout,
            interval=0.2,
        )
    except AssertionError:
        left = Counter(outbox_statuses(engine, before).values())
        with engine.connect() as conn:
            activity = conn.execute(
                text(
                    "SELECT pid, application_name, state, wait_event_type, wait_event, left(query, 120) "
                    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        raise AssertionError(
            f"not every message delivered within {timeout}s: {dict(left)}; sessions: {activity}"
        ) from None


def delivery_counts(engine: Engine, stack: Stack, before: set[str]) -> dict[str, int]:
    """Messages written since `before`: how many, how many never delivered or never reached Notify (lost),
    and how many extra times Notify was asked to send one (doubled)."""
    statuses = outbox_statuses(engine, before)
    sends = stack.sends_by_reference()
    lost = [mid for mid, status in statuses.items() if status != "delivered" or sends.get(mid, 0) == 0]
    doubled = sum(count - 1 for reference, count in sends.items() if count > 1)
    unknown = [reference for reference in sends if reference not in statuses]
    return {"messages": len(statuses), "lost": len(lost), "doubled": doubled, "unknown_sends": len(unknown)}


def log_problems(stack: Stack, personal: list[str]) -> list[str]:
    """What is wrong with the web and worker processes' logs: a line that is not one JSON event with its
    process kind and request id, or personal data anywhere."""
    problems = []
    for name, kind in (("web", "web"), ("worker", "worker")):
        for line in stack.log_lines(name):
            try:
                event = json.loads(line)
            except ValueError:
                problems.append(f"{name}: not JSON: {line[:120]}")
                continue
            if event.get("process_kind") != kind or not event.get("request_id"):
                problems.append(f"{name}: no process kind or request id: {line[:120]}")
            problems += [
                f"{name}: personal data {value!r}" for value in personal if value.lower() in line.lower()
            ]
    return problems
