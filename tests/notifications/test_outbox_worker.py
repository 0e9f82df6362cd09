"""The worker against the sandbox over HTTP, on SQLite and PostgreSQL: sends, retries, give-up, crashes
between Notify's 201 and our commit, the database going away, rate limits and status checks."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from notifications import outbox
from notifications.client import NotifyGateway
from notifications.outbox import OutboundMessage, enqueue
from notifications.ratelimit import TokenBucket
from notifications.signals import message_status_changed
from notifications.transitions import RetryPolicy
from notifications.worker import Worker, install_signal_handlers
from tests.notifications.conftest import Clock, Sandbox, SignalLog

NO_WAIT = RetryPolicy(base=timedelta(0), temporary_failure_delay=timedelta(0))


def add(session_factory: sessionmaker[Session], count: int = 1, **kwargs: Any) -> list[str]:
    kwargs.setdefault("channel", "sms")
    kwargs.setdefault("recipient", "07700900123")
    kwargs.setdefault("body", "Something has changed. Sign in to see it.")
    with session_factory() as session:
        ids = [enqueue(session, **kwargs).id for _ in range(count)]
        session.commit()
    return ids


def load(session_factory: sessionmaker[Session], message_id: str) -> OutboundMessage:
    with session_factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None
        return message


def make_worker(session_factory: Callable[[], Session], gateway: Any, clock: Clock, **kwargs: Any) -> Worker:
    kwargs.setdefault("rate_per_minute", 600_000)
    kwargs.setdefault("policy", NO_WAIT)
    return Worker(session_factory, gateway, clock=clock, idle_seconds=0.01, db_retry_seconds=0.01, **kwargs)


def test_sends_each_channel_once(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    gateway: NotifyGateway,
    clock: Clock,
    signals: SignalLog,
) -> None:
    ids = add(session_factory, channel="email", recipient="a@example.com", subject="Update")
    ids += add(session_factory)
    ids += add(
        session_factory,
        channel="letter",
        recipient=None,
        address=["A Person", "1 High St", "SW1A 1AA"],
        subject="A heading",
    )
    worker = make_worker(session_factory, gateway, clock)
    assert worker.run_once() == 3
    assert worker.run_once() == 0
    counts = sandbox.count_by_reference()
    for message_id in ids:
        message = load(session_factory, message_id)
        assert message.status == outbox.SENT and message.attempts == 1 and message.notify_id
        assert message.sent_at is not None and message.claimed_until is None
        assert counts[message_id] == 1
    assert sorted(signals.changes) == sorted((i, "sending", "sent") for i in ids)
    assert signals.sessions_ok


def test_waits_for_not_before(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    [message_id] = add(session_factory, not_before=clock.now + timedelta(hours=2))
    worker = make_worker(session_factory, gateway, clock)
    assert worker.run_once() == 0
    clock.advance(2 * 3600 + 1)
    assert worker.run_once() == 1
    assert load(session_factory, message_id).status == outbox.SENT


def test_500_500_then_201_sends_one_message(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    [message_id] = add(session_factory)
    sandbox.faults(fail_next=[500, 500])
    worker = make_worker(session_factory, gateway, clock)
    for _ in range(3):
        worker.run_once()
        clock.advance(1)
    message = load(session_factory, message_id)
    assert message.status == outbox.SENT and message.attempts == 3
    assert sandbox.count_by_reference() == {message_id: 1}


def test_400_fails_once_and_is_never_retried(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    gateway: NotifyGateway,
    clock: Clock,
    signals: SignalLog,
) -> None:
    [message_id] = add(session_factory)
    sandbox.faults(fail_next=[400])  # Notify refuses the request
    worker = make_worker(session_factory, gateway, clock)
    assert worker.run_once() == 1
    clock.advance(3600)
    assert worker.run_once() == 0
    message = load(session_factory, message_id)
    assert message.status == outbox.FAILED and message.attempts == 1
    assert message.failure_reason is not None and "(400)" in message.failure_reason
    assert signals.failures == [(message_id, "rejected")]
    assert (message_id, "sending", "failed") in signals.changes
    assert sandbox.inbox() == []


def test_a_number_the_service_may_not_text_fails_before_reaching_notify(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    gateway: NotifyGateway,
    clock: Clock,
    signals: SignalLog,
) -> None:
    """An international number is a valid recipient for some Notify services, so the outbox takes it;
    this service may not text abroad, so the gateway refuses it as Notify would, without a request."""
    [message_id] = add(session_factory, recipient="+33 6 12 34 56 78")
    worker = make_worker(session_factory, gateway, clock)
    assert worker.run_once() == 1
    message = load(session_factory, message_id)
    assert message.status == outbox.FAILED and message.attempts == 1
    assert message.failure_reason is not None
    assert "Cannot send to international mobile numbers" in message.failure_reason
    assert signals.failures == [(message_id, "rejected")]
    assert sandbox.inbox() == []


def test_gives_up_after_the_bounded_time(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    gateway: NotifyGateway,
    clock: Clock,
    signals: SignalLog,
) -> None:
    [message_id] = add(session_factory)
    sandbox.faults(error_rate=1.0, status=503)
    worker = make_worker(session_factory, gateway, clock, max_retry_seconds=60)
    worker.run_once()
    assert load(session_factory, message_id).status == outbox.QUEUED
    clock.advance(61)
    worker.run_once()
    message = load(session_factory, message_id)
    assert message.status == outbox.FAILED and message.failure_reason.startswith("gave up")
    assert signals.failures == [(message_id, "gave-up")]
    assert worker.run_once() == 0


def test_backoff_is_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(seconds=60), random=lambda: 1.0)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]
    assert RetryPolicy(random=lambda: 0.0).backoff(5) == timedelta(0)


class CommitCrash:
    """Wraps a session factory and a gateway: once a send has reached Notify, the next commit fails as if
    the worker died (or lost its database) between Notify's 201 and recording it."""

    def __init__(self, session_factory: sessionmaker[Session], gateway: NotifyGateway) -> None:
        self.real_factory = session_factory
        self.gateway = gateway
        self.armed = threading.Event()

    def __call__(self) -> Session:
        session = self.real_factory()
        if self.armed.is_set():
            self.armed.clear()

            def _boom() -> None:
                raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

            session.commit = _boom  # type: ignore[method-assign]
        return session

    def send(self, message: Any) -> str:
        notify_id = self.gateway.send(message)
        self.armed.set()
        return notify_id

    def find_by_reference(self, reference: str) -> Any:
        return self.gateway.find_by_reference(reference)

    def get_status(self, notify_id: str) -> Any:
        return self.gateway.get_status(notify_id)


def test_crash_between_201_and_commit_sends_exactly_once(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    make_gateway: Callable[..., NotifyGateway],
    clock: Clock,
) -> None:
    [message_id] = add(session_factory)
    crash = CommitCrash(session_factory, make_gateway(sandbox.url))
    with pytest.raises(OperationalError):
        make_worker(crash, crash, clock, lease_seconds=30).run_once()
    message = load(session_factory, message_id)
    assert message.status == outbox.SENDING and message.notify_id is None
    assert sandbox.count_by_reference() == {message_id: 1}

    restarted = make_worker(session_factory, make_gateway(sandbox.url), clock, lease_seconds=30)
    assert restarted.run_once() == 0  # the lease still holds
    clock.advance(31)
    assert restarted.run_once() == 1
    message = load(session_factory, message_id)
    assert message.status in {outbox.SENT, outbox.DELIVERED} and message.notify_id is not None
    assert message.attempts == 2
    assert sandbox.count_by_reference() == {message_id: 1}


def test_lost_201_is_found_by_reference(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    [message_id] = add(session_factory)
    sandbox.faults(accept_then_fail_next=[504])  # Notify keeps it but we are told it failed
    worker = make_worker(session_factory, gateway, clock)
    worker.run_once()
    assert load(session_factory, message_id).status == outbox.QUEUED
    clock.advance(1)
    worker.run_once()
    message = load(session_factory, message_id)
    assert message.status in {outbox.SENT, outbox.DELIVERED}
    assert message.notify_id == sandbox.inbox(reference=message_id)[0]["id"]
    assert sandbox.count_by_reference() == {message_id: 1}


def test_a_failing_listener_rolls_back_without_a_second_send(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    [message_id] = add(session_factory)

    def _explode(sender: str, **_: Any) -> None:
        raise RuntimeError("portal listener failed")

    message_status_changed.connect(_explode, weak=False)
    try:
        worker = make_worker(session_factory, gateway, clock, lease_seconds=10)
        worker.run_once()
    finally:
        message_status_changed.disconnect(_explode)
    assert load(session_factory, message_id).status == outbox.SENDING
    clock.advance(11)
    worker.run_once()
    assert load(session_factory, message_id).status in {outbox.SENT, outbox.DELIVERED}
    assert sandbox.count_by_reference() == {message_id: 1}


def test_stopping_releases_unprocessed_claims(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    ids = add(session_factory, count=3)
    stop = threading.Event()

    class StopAfterOne:
        def send(self, message: Any) -> str:
            stop.set()
            return gateway.send(message)

        def find_by_reference(self, reference: str) -> Any:
            return gateway.find_by_reference(reference)

        def get_status(self, notify_id: str) -> Any:
            return gateway.get_status(notify_id)

    assert make_worker(session_factory, StopAfterOne(), clock).run_once(stop) == 1
    statuses = sorted(load(session_factory, message_id).status for message_id in ids)
    assert statuses == [outbox.QUEUED, outbox.QUEUED, outbox.SENT]
    assert make_worker(session_factory, gateway, clock).run_once() == 2
    assert sandbox.count_by_reference() == dict.fromkeys(ids, 1)


def test_checks_status_when_no_receipt_comes(
    session_factory: sessionmaker[Session],
    sandbox: Sandbox,
    gateway: NotifyGateway,
    clock: Clock,
    signals: SignalLog,
) -> None:
    [sms_id] = add(session_factory)
    [letter_id] = add(
        session_factory, channel="letter", recipient=None, address=["A", "B", "SW1A 1AA"], subject="Heading"
    )
    worker = make_worker(session_factory, gateway, clock)
    worker.run_once()
    assert sandbox.state.wait_idle()  # delivered and received at Notify; no callback URL configured
    assert load(session_factory, sms_id).status == outbox.SENT
    clock.advance(16 * 60)
    assert worker.run_once() == 2
    for message_id in (sms_id, letter_id):
        message = load(session_factory, message_id)
        assert message.status == outbox.DELIVERED and message.delivered_at is not None
    assert (sms_id, "sent", "delivered") in signals.changes


def test_rate_limit_spaces_out_requests(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    add(session_factory, count=5)
    worker = make_worker(session_factory, gateway, clock, rate_per_minute=600)  # 10 a second, burst 1
    started = time.monotonic()
    assert worker.run_once() == 5
    assert time.monotonic() - started >= 0.35


def test_token_bucket() -> None:
    now = [0.0]
    bucket = TokenBucket(60, burst=2, clock=lambda: now[0])
    assert bucket.try_acquire() == 0 and bucket.try_acquire() == 0
    assert bucket.try_acquire() == pytest.approx(1.0)
    now[0] += 0.5
    assert bucket.try_acquire() == pytest.approx(0.5)
    now[0] += 0.5
    assert bucket.try_acquire() == 0
    assert TokenBucket(3000).capacity == 5
    with pytest.raises(ValueError):
        TokenBucket(0)


class FlakyDatabase:
    """A session factory whose database is 'down' for the first `failures` sessions."""

    def __init__(self, real: sessionmaker[Session], failures: int) -> None:
        self.real = real
        self.failures = failures

    def __call__(self) -> Session:
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return self.real()


def test_run_forever_survives_the_database_going_away(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway
) -> None:
    ids = add(session_factory, count=3)
    worker = Worker(
        FlakyDatabase(session_factory, 4),
        gateway,
        rate_per_minute=600_000,
        idle_seconds=0.01,
        db_retry_seconds=0.01,
    )
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with session_factory() as session:
                sent = session.scalar(select(func.count()).where(OutboundMessage.status == outbox.SENT))
            if sent == 3:
                break
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert sandbox.count_by_reference() == dict.fromkeys(ids, 1)


def test_sqlite_two_workers_compare_and_set(
    sqlite_db: Engine, sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]
) -> None:
    factory = sessionmaker(bind=sqlite_db, expire_on_commit=False)
    ids = add(factory, count=120)
    workers = [
        Worker(factory, make_gateway(sandbox.url), rate_per_minute=600_000, batch_size=10) for _ in range(2)
    ]
    handled = [0, 0]

    def _run(index: int) -> None:
        while (count := workers[index].run_once()) > 0:
            handled[index] += count

    threads = [threading.Thread(target=_run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(handled) == 120
    assert sandbox.count_by_reference() == dict.fromkeys(ids, 1)


def test_install_signal_handlers_sets_the_event() -> None:
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    stop = threading.Event()
    try:
        install_signal_handlers(stop)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def test_a_claim_lost_while_waiting_in_the_batch_is_not_sent_twice(
    session_factory: sessionmaker[Session], sandbox: Sandbox, gateway: NotifyGateway, clock: Clock
) -> None:
    """Worker A claims two messages; its first send is so slow that the second one's lease runs out and
    worker B claims and sends it. A must then skip it instead of sending it again."""
    ids = add(session_factory, count=2)
    other = make_worker(session_factory, gateway, clock, lease_seconds=10)
    handled_by_other: list[int] = []

    class SlowFirstSend:
        calls = 0

        def send(self, message: Any) -> str:
            notify_id = gateway.send(message)
            self.calls += 1
            if self.calls == 1:
                clock.advance(11)
                handled_by_other.append(other.run_once())
            return notify_id

        def find_by_reference(self, reference: str) -> Any:
            return gateway.find_by_reference(reference)

        def get_status(self, notify_id: str) -> Any:
            return gateway.get_status(notify_id)

    slow = SlowFirstSend()
    make_worker(session_factory, slow, clock, lease_seconds=10).run_once()
    assert handled_by_other == [2]  # the second message, and the first (its lease ran out too: adopted)
    assert slow.calls == 1  # A never sent the second one
    assert sandbox.count_by_reference() == dict.fromkeys(ids, 1)
    assert {load(session_factory, message_id).status for message_id in ids} <= {outbox.SENT, outbox.DELIVERED}
