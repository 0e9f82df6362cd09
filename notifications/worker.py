"""The delivery worker: claims due outbox messages, sends them through Notify, records what happened.

One job per message, each its own short transactions: (1) the claim is committed before Notify is
called; (2) no transaction is open while talking to Notify; (3) the outcome is recorded in a new
transaction, fenced by the claim's `attempts`, emitting the signals of `notifications.signals`.

- Lost between Notify's 201 and our commit (crash, timeout, database gone)? The lease expires, the row
  is claimed again with `maybe_sent`, and the worker asks Notify by reference before sending again.
- 429/5xx/timeouts: retried with exponential backoff and full jitter; 400/403: `failed`, never retried;
  still failing at `give_up_at` (claim time + `max_retry_seconds`): `failed`.
- A token bucket keeps this worker under `rate_per_minute` Notify requests.
- Sent messages with no receipt after a while are checked with Notify (`get_status`).
- `run_forever` survives the database going away: it logs, waits and tries again; nothing is lost
  because every state lives in the outbox row.
- `run_forever` writes a heartbeat (`notifications.heartbeat`) every `heartbeat_seconds`, so a worker that
  has stopped shows in `/_status` and `/metrics`.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from notifications import heartbeat, outbox
from notifications.claims import Claim, claim_batch, claim_reconcile, release, renew
from notifications.client import NotifyError, NotifyStatus, PermanentError, RetryableError
from notifications.outbox import OutboundMessage, lock_message
from notifications.ratelimit import TokenBucket
from notifications.signals import REASON_GAVE_UP, REASON_REJECTED
from notifications.transitions import (
    NOTIFY_RETENTION,
    RetryPolicy,
    apply_notify_status,
    fail,
    mark_sent,
    retry_later,
)
from notifications.types import utcnow

log = logging.getLogger(__name__)


class Gateway(Protocol):
    """What the worker needs from `notifications.client.NotifyGateway` (tests may pass a fake)."""

    def send(self, message: Any) -> str: ...

    def find_by_reference(self, reference: str) -> tuple[str, str] | None: ...

    def get_status(self, notify_id: str) -> NotifyStatus: ...


@dataclass(frozen=True)
class _Job:
    """A claimed message's content, read in a transaction that is closed before Notify is called."""

    id: str
    channel: str
    recipient: str | None
    address: list[str] | None
    subject: str | None
    body: str
    attempts: int
    give_up_at: datetime | None


@dataclass(frozen=True)
class _Outcome:
    kind: str  # sent | adopt | retry | reject | give_up
    notify_id: str | None = None
    notify_status: str | None = None
    detail: str = ""


class Worker:
    """Delivers outbox messages, one at a time, from the thread that calls `run_once`/`run_forever`.

    `session_factory()` must return a new Session (e.g. a sessionmaker). A NotifyGateway keeps one HTTP
    client per thread, so several Workers may share one. Each Worker sends sequentially: for more
    throughput run several in threads (`run_in_threads`) sharing one `rate_limiter`, or several processes
    with `rate_per_minute` divided between them.
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        gateway: Gateway,
        *,
        rate_per_minute: float = 3000,
        batch_size: int = 50,
        lease_seconds: float = 120,
        max_retry_seconds: float = 24 * 3600,
        reconcile_batch_size: int = 50,
        policy: RetryPolicy | None = None,
        idle_seconds: float = 1.0,
        db_retry_seconds: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
        rate_limiter: TokenBucket | None = None,
        heartbeat_seconds: float = heartbeat.BEAT_SECONDS,
    ) -> None:
        if batch_size < 1 or lease_seconds <= 0 or max_retry_seconds <= 0:
            raise ValueError("batch_size, lease_seconds and max_retry_seconds must be positive")
        self._session_factory = session_factory
        self._gateway = gateway
        self._bucket = rate_limiter or TokenBucket(rate_per_minute)
        self._batch_size = batch_size
        self._lease = timedelta(seconds=lease_seconds)
        self._give_up_after = timedelta(seconds=max_retry_seconds)
        self._reconcile_batch_size = reconcile_batch_size
        self._policy = policy or RetryPolicy()
        self._idle_seconds = idle_seconds
        self._db_retry_seconds = db_retry_seconds
        self._clock = clock
        self._heartbeat_seconds = heartbeat_seconds
        self._name = heartbeat.process_name()
        self._started_at = clock()
        self._last_beat: float | None = None
        self._carried: list[Claim] = []  # claims held when the database went away mid-batch

    # -- the loop ---------------------------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Work until `stop` is set (see `install_signal_handlers`). Database errors never end the loop."""
        db_delay = self._db_retry_seconds
        log.info("notifications worker started")
        while not stop.is_set():
            self._beat()
            try:
                processed = self.run_once(stop)
            except SQLAlchemyError as error:
                log.warning("database unavailable (%s); retrying in %.1fs", type(error).__name__, db_delay)
                stop.wait(db_delay)
                db_delay = min(db_delay * 2, 30.0)
                continue
            except Exception:
                log.exception("unexpected error in the notifications worker")
                stop.wait(self._idle_seconds)
                continue
            db_delay = self._db_retry_seconds
            if processed == 0:
                stop.wait(self._idle_seconds)
        log.info("notifications worker stopped")

    def run_once(self, stop: threading.Event | None = None) -> int:
        """Claim one batch, deliver it, check some receipts that never came. Returns messages handled.

        Database errors propagate; the claims this worker still holds are resumed by its next call (or,
        if it never comes, picked up by any worker once their leases run out).
        """
        claims, self._carried = self._carried or self._claim(), []
        handled = 0
        for index, claim in enumerate(claims):
            if (stop is not None and stop.is_set()) or not self._bucket.acquire(stop):
                self._release(claims[index:])
                return handled
            try:
                self._process(claim)
            except SQLAlchemyError:
                # The database went away mid-batch. Keep the claims (fenced by `attempts`, so safe to
                # resume) and work on them first once it is back, rather than leaving them until their
                # leases run out. This one may have reached Notify: ask by reference before sending.
                self._carried = [replace(claim, maybe_sent=True), *claims[index + 1 :]]
                raise
            except Exception:
                # The row stays `sending` until its lease expires, then it is looked up and retried.
                log.exception("delivering message %s failed", claim.message_id)
            handled += 1
        if stop is None or not stop.is_set():
            handled += self._reconcile()
        return handled

    def _beat(self) -> None:
        """Write this worker's heartbeat if `heartbeat_seconds` have passed since the last one."""
        now = time.monotonic()
        if self._last_beat is not None and now - self._last_beat < self._heartbeat_seconds:
            return
        try:
            with self._session_factory() as session:
                heartbeat.beat(session, self._name, now=self._clock(), started_at=self._started_at)
                session.commit()
        except SQLAlchemyError as error:  # delivery goes on; the stale heartbeat shows the trouble
            log.warning("heartbeat not written (%s)", type(error).__name__)
            return  # tried again next time round
        self._last_beat = now

    # -- one message ------------------------------------------------------------------------------

    def _claim(self) -> list[Claim]:
        with self._session_factory() as session:
            claims = claim_batch(
                session,
                now=self._clock(),
                limit=self._batch_size,
                lease=self._lease,
                give_up_after=self._give_up_after,
            )
            session.commit()
        return claims

    def _release(self, claims: list[Claim]) -> None:
        with self._session_factory() as session:
            release(session, claims, now=self._clock())
            session.commit()

    def _process(self, claim: Claim) -> None:
        job = self._load(claim)
        if job is None:
            return
        outcome = self._talk_to_notify(job, claim.maybe_sent)
        self._record(job, outcome)

    def _load(self, claim: Claim) -> _Job | None:
        """Renew the lease (so nobody else can claim it while we talk to Notify) and read the content."""
        with self._session_factory() as session:
            if not renew(session, claim, now=self._clock(), lease=self._lease):
                session.rollback()
                log.info("claim on message %s was lost before sending; skipping it", claim.message_id)
                return None
            message = session.get(OutboundMessage, claim.message_id, populate_existing=True)
            assert message is not None
            job = _Job(
                id=message.id,
                channel=message.channel,
                recipient=message.recipient,
                address=list(message.address) if message.address is not None else None,
                subject=message.subject,
                body=message.body,
                attempts=message.attempts,
                give_up_at=message.give_up_at,
            )
            session.commit()  # no transaction stays open while Notify is called
        return job

    def _talk_to_notify(self, job: _Job, maybe_sent: bool) -> _Outcome:
        if maybe_sent:
            try:
                self._bucket.acquire()
                found = self._gateway.find_by_reference(job.id)
            except NotifyError as error:
                return _Outcome("retry", detail=f"lookup by reference failed: {error}")
            if found is not None:
                return _Outcome("adopt", notify_id=found[0], notify_status=found[1])
        if job.give_up_at is not None and self._clock() >= job.give_up_at:
            return _Outcome("give_up", detail="gave up: still not sent at give_up_at")
        try:
            notify_id = self._gateway.send(job)
        except RetryableError as error:
            return _Outcome("retry", detail=str(error))
        except PermanentError as error:
            return _Outcome("reject", detail=f"Notify rejected it ({error.status_code}): {error.message}")
        return _Outcome("sent", notify_id=notify_id)

    def _record(self, job: _Job, outcome: _Outcome) -> None:
        with self._session_factory() as session:
            message = lock_message(session, job.id)
            if message is None or message.status != outbox.SENDING or message.attempts != job.attempts:
                # A receipt (or, after our lease ran out, another worker) got there first.
                log.info(
                    "message %s changed while it was being sent; outcome %s not recorded",
                    job.id,
                    outcome.kind,
                )
                session.rollback()
                return
            now = self._clock()
            if outcome.kind == "sent":
                mark_sent(session, message, outcome.notify_id or "", now=now, policy=self._policy)
            elif outcome.kind == "adopt":
                message.notify_id = outcome.notify_id
                apply_notify_status(
                    session, message, outcome.notify_status or "created", now=now, policy=self._policy
                )
            elif outcome.kind == "retry":
                delay = self._policy.backoff(message.attempts)
                retry_later(
                    session, message, status=outbox.QUEUED, delay=delay, detail=outcome.detail, now=now
                )
            elif outcome.kind == "reject":
                fail(session, message, reason=REASON_REJECTED, detail=outcome.detail, now=now)
            else:
                fail(session, message, reason=REASON_GAVE_UP, detail=outcome.detail, now=now)
            session.commit()

    # -- receipts that never came -----------------------------------------------------------------

    def _reconcile(self) -> int:
        with self._session_factory() as session:
            ids = claim_reconcile(
                session, now=self._clock(), limit=self._reconcile_batch_size, max_delay=timedelta(hours=12)
            )
            session.commit()
        for message_id in ids:
            self._reconcile_one(message_id)
        return len(ids)

    def _reconcile_one(self, message_id: str) -> None:
        with self._session_factory() as session:
            message = session.get(OutboundMessage, message_id, populate_existing=True)
            notify_id = message.notify_id if message is not None else None
            session.rollback()
        if notify_id is None:
            return
        try:
            self._bucket.acquire()
            state: NotifyStatus | None = self._gateway.get_status(notify_id)
        except RetryableError:
            return  # next_attempt_at was already pushed back
        except PermanentError:
            state = None  # Notify no longer knows it
        with self._session_factory() as session:
            message = lock_message(session, message_id)
            if message is None or message.status != outbox.SENT or message.notify_id != notify_id:
                session.rollback()
                return
            now = self._clock()
            if state is not None:
                apply_notify_status(
                    session,
                    message,
                    state.status,
                    now=now,
                    completed_at=state.completed_at,
                    sent_at=state.sent_at,
                    policy=self._policy,
                )
            if message.status == outbox.SENT and (
                state is None or now - (message.sent_at or now) > NOTIFY_RETENTION
            ):
                message.next_attempt_at = None  # nothing more Notify can tell us
            session.commit()


def run_in_threads(workers: list[Worker], stop: threading.Event) -> None:
    """Run each worker's `run_forever` in its own thread until `stop` is set; returns when all have ended."""
    threads = [
        threading.Thread(target=worker.run_forever, args=(stop,), name=f"notifications-worker-{index}")
        for index, worker in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def install_signal_handlers(stop: threading.Event) -> None:
    """Make SIGTERM and SIGINT set `stop`, so `run_forever` finishes its current job and returns.
    Call from the main thread."""

    def _handler(signum: int, _frame: Any) -> None:
        log.info("signal %s received; stopping after the current job", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
