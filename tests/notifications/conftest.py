"""Fixtures for the notifications package: databases (SQLite file, PostgreSQL), the Notify sandbox served
over real HTTP, the real Notify client pointed at it, a receipt collector, and a signal recorder.

The notifications package never imports the portal, and neither do these fixtures.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask, Response, request
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server

from notifications.client import NotifyGateway
from notifications.outbox import OutboundMessage
from notifications.sandbox import SandboxState, create_sandbox_app
from notifications.sandbox.defaults import generic_templates
from notifications.signals import message_failed, message_status_changed
from tests.support.databases import PG_SERVER_URL, empty_postgresql_database

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce001"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce002"
LETTER_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce003"
CALLBACK_TOKEN = "callback-token-for-tests"
# The Notify service's templates as the sandbox knows them: the portal's three, under the ids the
# gateway in these tests is given.
TEMPLATES = generic_templates(email=EMAIL_TEMPLATE, sms=SMS_TEMPLATE, letter=LETTER_TEMPLATE)


# -- HTTP servers -----------------------------------------------------------------------------------


@dataclass
class Served:
    url: str
    server: BaseWSGIServer
    thread: threading.Thread


@pytest.fixture
def serve() -> Iterator[Callable[[Any], str]]:
    """Serve a WSGI app on 127.0.0.1:<free port> from a thread; returns its base URL."""
    running: list[Served] = []

    def _serve(app: Any) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        running.append(Served(url, server, thread))
        return url

    yield _serve
    for served in running:
        served.server.shutdown()
        served.server.server_close()
        served.thread.join(timeout=5)


@dataclass
class Receiver:
    """Collects what is POSTed to it (delivery receipts); can be told to fail the next few."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def payloads(self) -> list[dict[str, Any]]:
        with self.lock:
            return [item["json"] for item in self.received]


@pytest.fixture
def receiver(serve: Callable[[Any], str]) -> Receiver:
    app = Flask("receipt-receiver")
    box = Receiver(url="")

    @app.post("/receipts")
    def _receive() -> Response:
        with box.lock:
            if box.fail_next:
                return Response("nope", status=box.fail_next.pop(0))
            box.received.append(
                {"authorization": request.headers.get("Authorization"), "json": request.get_json()}
            )
        return Response("", status=204)

    box.url = serve(app) + "/receipts"
    return box


@dataclass
class Sandbox:
    url: str
    app: Flask
    state: SandboxState

    def inbox(self, reference: str | None = None) -> list[dict[str, Any]]:
        params = {"reference": reference} if reference else None
        response = requests.get(f"{self.url}/_sandbox/notifications", params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def faults(self, **settings: Any) -> None:
        requests.post(f"{self.url}/_sandbox/faults", json=settings, timeout=10).raise_for_status()

    def count_by_reference(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.state.newest_first():
            counts[item.reference or ""] = counts.get(item.reference or "", 0) + 1
        return counts


@pytest.fixture
def make_sandbox(serve: Callable[[Any], str]) -> Iterator[Callable[..., Sandbox]]:
    states: list[SandboxState] = []

    def _make(**options: Any) -> Sandbox:
        options.setdefault("callback_delay", 0.0)
        options.setdefault("callback_retry_delay", 0.05)
        options.setdefault("templates", TEMPLATES)
        app = create_sandbox_app(API_KEY, **options)
        state: SandboxState = app.extensions["notify_sandbox"]
        states.append(state)
        return Sandbox(url=serve(app), app=app, state=state)

    yield _make
    for state in states:
        state.close()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox()


@pytest.fixture
def make_gateway() -> Iterator[Callable[..., NotifyGateway]]:
    gateways: list[NotifyGateway] = []

    def _make(
        base_url: str, *, api_key: str = API_KEY, timeout: float = 5.0, **options: Any
    ) -> NotifyGateway:
        templates = {
            "email_template_id": EMAIL_TEMPLATE,
            "sms_template_id": SMS_TEMPLATE,
            "letter_template_id": LETTER_TEMPLATE,
        }
        gateway = NotifyGateway(api_key, base_url=base_url, timeout=timeout, **{**templates, **options})
        gateways.append(gateway)
        return gateway

    yield _make
    for gateway in gateways:
        gateway.close()


@pytest.fixture
def gateway(make_gateway: Callable[..., NotifyGateway], sandbox: Sandbox) -> NotifyGateway:
    return make_gateway(sandbox.url)


# -- databases --------------------------------------------------------------------------------------


def sqlite_engine(path: str) -> Engine:
    """Like the portal's SQLite engine: WAL, a generous busy timeout, usable from several threads."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(empty_postgresql_database(f"notif_test_{os.getpid()}"))
        except Exception as error:  # noqa: BLE001 - reported as a failure, never a silent skip
            # The suite runs on PostgreSQL as well as SQLite (README): a missing server is a failure, so the
            # concurrency tests that only PostgreSQL can run are never quietly left out.
            pytest.fail(
                f"PostgreSQL is needed at {make_url(PG_SERVER_URL).render_as_string()}: {type(error).__name__}"
            )
        yield url


def _fresh_table(engine: Engine) -> None:
    table = OutboundMessage.__table__
    table.drop(engine, checkfirst=True)  # type: ignore[attr-defined]
    table.create(engine)  # type: ignore[attr-defined]


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    _fresh_table(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Any) -> Iterator[Engine]:
    engine = sqlite_engine(str(tmp_path / "outbox.sqlite3"))
    _fresh_table(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The outbox table on a fresh SQLite file and on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_engine")


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


# -- signals ----------------------------------------------------------------------------------------


@dataclass
class SignalLog:
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (id, old, new)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    sessions_ok: bool = True


@pytest.fixture
def signals() -> Iterator[SignalLog]:
    log = SignalLog()
    lock = threading.Lock()

    def _changed(
        sender: str, *, session: Session, message: OutboundMessage, old_status: str, new_status: str
    ) -> None:
        with lock:
            log.changes.append((sender, old_status, new_status))
            log.sessions_ok &= isinstance(session, Session) and message.id == sender

    def _failed(sender: str, *, session: Session, message: OutboundMessage, reason: str) -> None:
        with lock:
            log.failures.append((sender, reason))
            log.sessions_ok &= isinstance(session, Session) and message.status in {
                "failed",
                "permanent-failure",
            }

    message_status_changed.connect(_changed, weak=False)
    message_failed.connect(_failed, weak=False)
    yield log
    message_status_changed.disconnect(_changed)
    message_failed.disconnect(_failed)


# -- time -------------------------------------------------------------------------------------------


class Clock:
    """A clock for the worker that starts a second after the real time (so messages enqueued during the
    test are due) and only moves when told to."""

    def __init__(self) -> None:
        from datetime import timedelta

        from notifications.types import utcnow

        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> Any:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


# -- the real Notify client against a sandbox -------------------------------------------------------


@pytest.fixture
def make_client() -> Iterator[Callable[[Sandbox], NotificationsAPIClient]]:
    """The real notifications-python-client for a sandbox (closed at the end)."""
    clients: list[NotificationsAPIClient] = []

    def _make(sandbox: Sandbox) -> NotificationsAPIClient:
        client = NotificationsAPIClient(API_KEY, base_url=sandbox.url, timeout=10)
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.request_session.close()


@pytest.fixture
def notify(
    sandbox: Sandbox, make_client: Callable[[Sandbox], NotificationsAPIClient]
) -> NotificationsAPIClient:
    """The real Notify client pointed at the default `sandbox`."""
    return make_client(sandbox)
