"""PostgreSQL only: two workers sending 1,000 messages exactly once; a worker process killed (SIGKILL)
between Notify's 201 and its commit; connections killed under a running worker."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from notifications import outbox
from notifications.client import NotifyGateway
from notifications.outbox import OutboundMessage, enqueue
from notifications.ratelimit import TokenBucket
from notifications.types import utcnow
from notifications.worker import Worker, run_in_threads
from tests.notifications.conftest import API_KEY, EMAIL_TEMPLATE, LETTER_TEMPLATE, SMS_TEMPLATE, Sandbox

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]


def _enqueue(factory: sessionmaker[Session], count: int) -> list[str]:
    with factory() as session:
        ids = [
            enqueue(
                session, channel="sms", recipient="07700900123", body=f"Message {n}", correlation=f"t:{n}"
            ).id
            for n in range(count)
        ]
        session.commit()
    return ids


def _count(factory: sessionmaker[Session], *statuses: str) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).where(OutboundMessage.status.in_(statuses))) or 0


class CountingGateway:
    def __init__(self, gateway: NotifyGateway) -> None:
        self.gateway = gateway
        self.sent = 0

    def send(self, message: Any) -> str:
        notify_id = self.gateway.send(message)
        self.sent += 1
        return notify_id

    def find_by_reference(self, reference: str) -> Any:
        return self.gateway.find_by_reference(reference)

    def get_status(self, notify_id: str) -> Any:
        return self.gateway.get_status(notify_id)


def _run_until(workers: list[Worker], done: Callable[[], bool], timeout: float) -> None:
    stop = threading.Event()
    runner = threading.Thread(target=run_in_threads, args=(workers, stop))
    runner.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done():
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()


def test_two_workers_send_a_thousand_messages_exactly_once(
    pg_engine: Engine, make_sandbox: Callable[..., Sandbox], make_gateway: Callable[..., NotifyGateway]
) -> None:
    sandbox = make_sandbox(rate_limit_per_minute=100_000)
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    ids = _enqueue(factory, 1000)
    gateways = [CountingGateway(make_gateway(sandbox.url)) for _ in range(2)]
    shared_limit = TokenBucket(1_000_000)
    workers = [
        Worker(factory, gateway, rate_limiter=shared_limit, batch_size=25, idle_seconds=0.01)
        for gateway in gateways
    ]
    _run_until(workers, lambda: _count(factory, outbox.SENT, outbox.DELIVERED) == 1000, timeout=45)
    counts = sandbox.count_by_reference()
    assert len(counts) == 1000 and set(counts.values()) == {1}
    assert set(counts) == set(ids)
    assert all(gateway.sent > 0 for gateway in gateways), [gateway.sent for gateway in gateways]
    assert sum(gateway.sent for gateway in gateways) == 1000


CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    from notifications.client import NotifyGateway
    from notifications.worker import Worker

    url, base_url, api_key, email, sms, letter = sys.argv[1:7]
    gateway = NotifyGateway(api_key, base_url=base_url, email_template_id=email, sms_template_id=sms,
                            letter_template_id=letter)

    class DieAfterSend:
        def send(self, message):
            gateway.send(message)
            os.kill(os.getpid(), signal.SIGKILL)  # after Notify's 201, before our commit

        def find_by_reference(self, reference):
            return gateway.find_by_reference(reference)

        def get_status(self, notify_id):
            return gateway.get_status(notify_id)

    factory = sessionmaker(bind=create_engine(url), expire_on_commit=False)
    Worker(factory, DieAfterSend(), lease_seconds=60).run_once()
    """
)


def test_worker_killed_after_notify_accepted_then_restarted_sends_once(
    pg_engine: Engine, pg_url: str, sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]
) -> None:
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    [message_id] = _enqueue(factory, 1)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            pg_url,
            sandbox.url,
            API_KEY,
            EMAIL_TEMPLATE,
            SMS_TEMPLATE,
            LETTER_TEMPLATE,
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == -9, child.stderr.decode()
    assert sandbox.count_by_reference() == {message_id: 1}
    with factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None and message.status == outbox.SENDING and message.notify_id is None

    later = utcnow() + timedelta(seconds=61)  # the dead worker's lease has run out
    restarted = Worker(factory, make_gateway(sandbox.url), clock=lambda: later, rate_per_minute=600_000)
    assert restarted.run_once() == 1
    with factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None and message.status in {outbox.SENT, outbox.DELIVERED}
        assert message.notify_id == sandbox.inbox(reference=message_id)[0]["id"]
    assert sandbox.count_by_reference() == {message_id: 1}


def test_connections_killed_under_a_running_worker(
    pg_engine: Engine, pg_url: str, sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]
) -> None:
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    ids = _enqueue(factory, 150)
    worker = Worker(
        factory,
        make_gateway(sandbox.url),
        rate_per_minute=6000,
        batch_size=10,
        lease_seconds=1,
        idle_seconds=0.02,
        db_retry_seconds=0.05,
    )
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    killer_stop = threading.Event()

    def _kill_connections() -> None:
        with admin.connect() as conn:
            while not killer_stop.wait(0.15):
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )

    stop = threading.Event()
    running = threading.Thread(target=worker.run_forever, args=(stop,))
    killer = threading.Thread(target=_kill_connections)
    running.start()
    killer.start()
    try:
        time.sleep(1.5)  # the worker runs into dead connections several times
        killer_stop.set()
        killer.join(timeout=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _count(factory, outbox.SENT, outbox.DELIVERED) < 150:
            time.sleep(0.05)
    finally:
        killer_stop.set()
        stop.set()
        running.join(timeout=30)
        admin.dispose()
    assert not running.is_alive()
    assert _count(factory, outbox.SENT, outbox.DELIVERED) == 150
    counts = sandbox.count_by_reference()
    assert set(counts) == set(ids) and set(counts.values()) == {1}
