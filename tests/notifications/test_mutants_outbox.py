"""Issue 23: the outbox bugs that would hurt a victim, each caught by a test named for it, on SQLite and
PostgreSQL (each claim path: compare-and-set on SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL).

- mutant 7: Notify's failure statuses for letters (validation-failed, cancelled, virus-scan-failed)
  fail the message with its reason, by receipt and by the worker's status check;
- mutant 8: a message waiting for its backoff is not claimed before its time;
- mutant 9: a stopping worker gives back only its own claims;
- mutant 10: a letter needs 3 to 7 address lines; a claim is a compare-and-set on `attempts`; a
  permanent failure keeps a reason the officer's list can show.

Also what else the claims (`claims.py`) and the status transitions (`transitions.py`) decide that
mutation testing showed no test noticed. Never imports the portal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text, update
from sqlalchemy.orm import Session, sessionmaker

from notifications import claims, outbox, transitions
from notifications.client import NotifyStatus
from notifications.outbox import OutboundMessage, enqueue
from notifications.receipts import apply_receipt
from notifications.signals import message_failed, message_status_changed
from notifications.transitions import RetryPolicy
from notifications.worker import Worker

#: The workers' clock: fixed, and later than any message the tests queue now (so each one is due).
NOW = datetime(2100, 1, 4, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
GIVE_UP = timedelta(hours=24)
ADDRESS = ["A Person", "1 High Street", "SW1A 1AA"]
LETTER_FAILURES = ("validation-failed", "cancelled", "virus-scan-failed")


@dataclass
class Recorded:
    """What the signals said, and whether each came with the session that changed the row."""

    changes: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    log = Recorded()
    lock = threading.Lock()

    def _changed(
        sender: str, *, session: Any, message: OutboundMessage, old_status: str, new_status: str
    ) -> None:
        with lock:
            log.changes.append((sender, old_status, new_status))
            log.sessions.append(session)

    def _failed(sender: str, *, session: Any, message: OutboundMessage, reason: str) -> None:
        with lock:
            log.failures.append((sender, reason))
            log.sessions.append(session)

    message_status_changed.connect(_changed, weak=False)
    message_failed.connect(_failed, weak=False)
    yield log
    message_status_changed.disconnect(_changed)
    message_failed.disconnect(_failed)


def add(factory: sessionmaker[Session], count: int = 1, **kwargs: Any) -> list[str]:
    kwargs.setdefault("channel", "sms")
    kwargs.setdefault("recipient", "07700900123")
    kwargs.setdefault("body", "Something has changed. Sign in to see it.")
    with factory() as session:
        ids = [enqueue(session, **kwargs).id for _ in range(count)]
        session.commit()
    return ids


def add_letter(factory: sessionmaker[Session]) -> str:
    [message_id] = add(factory, channel="letter", recipient=None, address=ADDRESS, subject="A heading")
    return message_id


def load(factory: sessionmaker[Session], message_id: str) -> OutboundMessage:
    with factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None
        return message


def set_row(factory: sessionmaker[Session], message_id: str, **values: Any) -> None:
    with factory() as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.id == message_id).values(**values))
        session.commit()


def claim(factory: sessionmaker[Session], now: datetime = NOW, limit: int = 50) -> list[claims.Claim]:
    with factory() as session:
        found = claims.claim_batch(session, now=now, limit=limit, lease=LEASE, give_up_after=GIVE_UP)
        session.commit()
    return found


def sent(factory: sessionmaker[Session], message_id: str, notify_id: str = "n-1") -> None:
    """The message as the worker leaves it once Notify has accepted it."""
    set_row(
        factory,
        message_id,
        status=outbox.SENT,
        attempts=1,
        notify_id=notify_id,
        sent_at=NOW,
        next_attempt_at=NOW + timedelta(minutes=15),
    )


# --- Mutant 7: letters' failure statuses ----------------------------------------------------------


@pytest.mark.parametrize("status", LETTER_FAILURES)
def test_mutant7_letters_failure_statuses_fail_with_their_reason(
    session_factory: sessionmaker[Session], recorded: Recorded, status: str
) -> None:
    """Notify's statuses for a letter it will never post: the message fails for good, with Notify's
    status as the reason and `message_failed` ("invalid") so the portal can try the next channel."""
    message_id = add_letter(session_factory)
    sent(session_factory, message_id)
    with session_factory() as session:
        changed = apply_receipt(session, {"id": "n-1", "reference": message_id, "status": status}, now=NOW)
        assert recorded.sessions and all(s is session for s in recorded.sessions)
        session.commit()
    assert changed is True
    message = load(session_factory, message_id)
    assert message.status == outbox.FAILED
    assert message.failure_reason == f"Notify status {status}"
    assert message.next_attempt_at is None and message.claimed_until is None
    assert recorded.failures == [(message_id, "invalid")]
    assert recorded.changes == [(message_id, "sent", "failed")]


@pytest.mark.parametrize("status", LETTER_FAILURES)
def test_mutant7_the_status_check_fails_a_letter_notify_will_not_post(
    session_factory: sessionmaker[Session], recorded: Recorded, status: str
) -> None:
    """The same statuses found by the worker's status check, when no receipt came."""
    message_id = add_letter(session_factory)
    sent(session_factory, message_id)

    class Notify:
        def send(self, message: Any) -> str:  # pragma: no cover - nothing is due
            raise AssertionError("nothing to send")

        def find_by_reference(self, reference: str) -> None:  # pragma: no cover
            raise AssertionError("no lookup")

        def get_status(self, notify_id: str) -> NotifyStatus:
            return NotifyStatus(notify_id, message_id, status, NOW, None, None)

    worker = Worker(
        session_factory, Notify(), clock=lambda: NOW + timedelta(minutes=16), rate_per_minute=600_000
    )
    assert worker.run_once() == 1
    message = load(session_factory, message_id)
    assert (message.status, message.failure_reason) == (outbox.FAILED, f"Notify status {status}")
    assert recorded.failures == [(message_id, "invalid")]


# --- Mutant 8: backoff --------------------------------------------------------------------------------


def test_mutant8_backoff_is_respected_by_the_claim(session_factory: sessionmaker[Session]) -> None:
    """Removing `next_attempt_at <= now` from the claim would send again at once after a temporary
    failure, whatever the backoff said."""
    [message_id] = add(session_factory)
    [first] = claim(session_factory)
    with session_factory() as session:
        message = outbox.lock_message(session, message_id)
        assert message is not None
        transitions.retry_later(
            session, message, status=outbox.QUEUED, delay=timedelta(seconds=30), detail="503", now=NOW
        )
        session.commit()
    assert claim(session_factory, NOW) == []
    assert claim(session_factory, NOW + timedelta(seconds=29)) == []
    [again] = claim(session_factory, NOW + timedelta(seconds=30))
    assert (again.message_id, again.attempts, again.maybe_sent) == (message_id, 2, True)
    assert first.maybe_sent is False


def test_mutant8_a_temporary_failure_waits_its_delay_before_the_resend(
    session_factory: sessionmaker[Session], recorded: Recorded
) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    policy = RetryPolicy(temporary_failure_delay=timedelta(minutes=30))
    with session_factory() as session:
        apply_receipt(session, {"id": "n-1", "status": "temporary-failure"}, now=NOW, policy=policy)
        session.commit()
    message = load(session_factory, message_id)
    assert message.status == outbox.TEMPORARY_FAILURE
    assert message.next_attempt_at == NOW + timedelta(minutes=30)
    assert message.failure_reason == "temporary-failure: the recipient's phone or inbox did not accept it"
    assert recorded.changes == [(message_id, "sent", "temporary-failure")]
    assert all(isinstance(s, Session) for s in recorded.sessions)
    assert claim(session_factory, NOW + timedelta(minutes=29)) == []
    assert [c.message_id for c in claim(session_factory, NOW + timedelta(minutes=30))] == [message_id]


# --- Mutant 9: a stopping worker releases only its own claims -----------------------------------------


def test_mutant9_a_stopping_worker_releases_only_its_own_claims(
    session_factory: sessionmaker[Session],
) -> None:
    """Without the `id == claim.message_id` guard, releasing one claim would put back every message
    claimed with the same number of attempts, including the ones other workers are sending."""
    mine_id, theirs_id = add(session_factory, count=2)
    [mine] = claim(session_factory, limit=1)
    [theirs] = claim(session_factory, limit=1)
    assert {mine.message_id, theirs.message_id} == {mine_id, theirs_id}
    assert mine.attempts == theirs.attempts == 1
    with session_factory() as session:
        claims.release(session, [mine], now=NOW + timedelta(seconds=5))
        session.commit()
    released, kept = load(session_factory, mine.message_id), load(session_factory, theirs.message_id)
    assert (released.status, released.claimed_until) == (outbox.QUEUED, None)
    assert released.updated_at == NOW + timedelta(seconds=5)
    assert released.next_attempt_at == NOW + timedelta(seconds=5)
    assert (kept.status, kept.claimed_until, kept.attempts) == (outbox.SENDING, NOW + LEASE, 1)


def test_mutant9_a_release_after_the_claim_was_lost_changes_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    [message_id] = add(session_factory)
    [stale] = claim(session_factory)
    [current] = claim(session_factory, NOW + LEASE + timedelta(seconds=1))  # the lease ran out
    assert current.attempts == 2
    with session_factory() as session:
        claims.release(session, [stale], now=NOW)
        assert not claims.renew(session, stale, now=NOW, lease=LEASE)
        session.commit()
    message = load(session_factory, message_id)
    assert (message.status, message.attempts) == (outbox.SENDING, 2)
    set_row(session_factory, message_id, status=outbox.SENT, notify_id="n-1")  # a receipt moved it on
    with session_factory() as session:
        claims.release(session, [current], now=NOW)
        assert not claims.renew(session, current, now=NOW, lease=LEASE)
        session.commit()
    message = load(session_factory, message_id)
    assert (message.status, message.attempts, message.claimed_until) == (
        outbox.SENT,
        2,
        NOW + 2 * LEASE + timedelta(seconds=1),
    )


# --- Mutant 10: address lines, the compare-and-set, a permanent failure's reason ----------------------


@pytest.mark.parametrize("lines", [1, 2, 8, 9])
def test_mutant10_a_letter_needs_3_to_7_address_lines(
    session_factory: sessionmaker[Session], lines: int
) -> None:
    address = [f"{n} Line" for n in range(1, lines)] + ["SW1A 1AA"]
    with session_factory() as session, pytest.raises(ValueError, match="a letter needs 3 to 7 address lines"):
        enqueue(session, channel="letter", address=address, subject="A heading", body="Hello")


@pytest.mark.parametrize("lines", [3, 7])
def test_mutant10_letters_of_3_and_7_address_lines_are_queued(
    session_factory: sessionmaker[Session], lines: int
) -> None:
    address = [f"{n} Line" for n in range(1, lines)] + ["SW1A 1AA"]
    with session_factory() as session:
        message = enqueue(session, channel="letter", address=address, subject="A heading", body="Hello")
        session.commit()
    assert load(session_factory, message.id).address == address


def test_mutant10_the_attempts_compare_and_set_guard(sqlite_db: Any) -> None:
    """SQLite has no row locks: a claim reads candidates, then updates each one only if its `attempts`
    is still what it read. Another worker that claimed the row in between (and gave it back) wins; the
    stale read must not claim it again with the same fencing token."""
    factory = sessionmaker(bind=sqlite_db, expire_on_commit=False)
    [message_id] = add(factory)
    session = factory()
    raced: list[str] = []

    @event.listens_for(session, "do_orm_execute")
    def _another_worker_first(state: Any) -> None:
        if state.is_update and not raced:
            raced.append(message_id)
            [theirs] = claim(factory)  # attempts 0 -> 1, then shutting down it gives it back
            with factory() as other:
                claims.release(other, [theirs], now=NOW)
                other.commit()

    try:
        found = claims.claim_batch(session, now=NOW, limit=10, lease=LEASE, give_up_after=GIVE_UP)
        session.commit()
    finally:
        session.close()
    assert raced == [message_id]
    assert found == []  # lost the race: the row's attempts changed after it was read
    message = load(factory, message_id)
    assert (message.status, message.attempts) == (outbox.QUEUED, 1)
    [next_claim] = claim(factory)
    assert next_claim.attempts == 2 and next_claim.maybe_sent


def test_mutant10_a_permanent_failure_keeps_its_reason_for_the_officer(
    session_factory: sessionmaker[Session], recorded: Recorded
) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    with session_factory() as session:
        assert apply_receipt(session, {"id": "n-1", "status": "permanent-failure"}, now=NOW)
        assert recorded.sessions and all(s is session for s in recorded.sessions)
        session.commit()
    message = load(session_factory, message_id)
    assert message.status == outbox.PERMANENT_FAILURE
    assert message.failure_reason == "permanent-failure: Notify could not deliver to this recipient"
    assert (message.next_attempt_at, message.claimed_until) == (None, None)
    assert recorded.failures == [(message_id, "permanent-failure")]


# --- Claims -----------------------------------------------------------------------------------------


def test_claims_take_due_messages_oldest_first_up_to_the_limit(
    session_factory: sessionmaker[Session],
) -> None:
    later, sooner, waiting, not_yet = add(session_factory, count=4)
    set_row(session_factory, later, next_attempt_at=NOW - timedelta(seconds=10))
    set_row(session_factory, sooner, next_attempt_at=NOW - timedelta(seconds=20))
    set_row(session_factory, waiting, not_before=NOW + timedelta(seconds=1))  # the victim's safe time
    set_row(session_factory, not_yet, next_attempt_at=NOW + timedelta(seconds=1))
    first = claim(session_factory, limit=1)
    assert [c.message_id for c in first] == [sooner]
    assert [c.message_id for c in claim(session_factory)] == [later]
    message = load(session_factory, sooner)
    assert (message.status, message.attempts) == (outbox.SENDING, 1)
    assert message.claimed_until == NOW + LEASE and message.give_up_at == NOW + GIVE_UP
    assert message.updated_at == NOW
    assert {c.message_id for c in claim(session_factory, NOW + timedelta(seconds=1))} == {waiting, not_yet}


def test_an_expired_lease_is_claimed_again_but_not_a_moment_before(
    session_factory: sessionmaker[Session],
) -> None:
    [message_id] = add(session_factory)
    claim(session_factory)
    assert claim(session_factory, NOW + LEASE) == []  # the lease runs to the end of claimed_until
    [again] = claim(session_factory, NOW + LEASE + timedelta(microseconds=1))
    assert (again.attempts, again.maybe_sent) == (2, True)
    message = load(session_factory, message_id)
    assert message.give_up_at == NOW + GIVE_UP  # kept from the first claim
    assert message.claimed_until == NOW + LEASE + timedelta(microseconds=1) + LEASE


def test_retry_states_are_claimable_and_sent_or_final_ones_are_not(
    session_factory: sessionmaker[Session],
) -> None:
    ids = add(session_factory, count=len(outbox.STATUSES))
    for message_id, status in zip(ids, outbox.STATUSES, strict=True):
        set_row(session_factory, message_id, status=status, claimed_until=NOW + LEASE)
    by_id = dict(zip(ids, outbox.STATUSES, strict=True))
    claimed = sorted(by_id[c.message_id] for c in claim(session_factory))
    assert claimed == sorted(outbox.RETRY_STATUSES)


def test_a_stale_lease_on_a_message_not_being_sent_never_makes_it_due(
    session_factory: sessionmaker[Session],
) -> None:
    ids = add(session_factory, count=len(outbox.STATUSES))
    for message_id, status in zip(ids, outbox.STATUSES, strict=True):
        later = NOW + timedelta(hours=1)
        set_row(session_factory, message_id, status=status, claimed_until=NOW - LEASE, next_attempt_at=later)
    by_id = dict(zip(ids, outbox.STATUSES, strict=True))
    assert [by_id[c.message_id] for c in claim(session_factory)] == [outbox.SENDING]  # its lease ran out


def test_renewing_a_claim_extends_the_lease_only_while_it_is_held(
    session_factory: sessionmaker[Session],
) -> None:
    [message_id] = add(session_factory)
    [held] = claim(session_factory)
    with session_factory() as session:
        assert claims.renew(session, held, now=NOW + timedelta(seconds=30), lease=LEASE)
        session.commit()
    message = load(session_factory, message_id)
    assert message.claimed_until == NOW + timedelta(seconds=30) + LEASE
    assert message.updated_at == NOW + timedelta(seconds=30)
    other_id = add(session_factory)[0]
    with session_factory() as session:  # a claim on another row with the same attempts renews nothing
        assert not claims.renew(session, claims.Claim(other_id, 1, False), now=NOW, lease=LEASE)
        session.commit()
    assert load(session_factory, other_id).claimed_until is None


def test_the_status_check_claims_sent_messages_without_a_receipt(
    session_factory: sessionmaker[Session],
) -> None:
    due_id, young_id, no_id_id, _queued = add(session_factory, count=4)
    set_row(
        session_factory,
        due_id,
        status=outbox.SENT,
        notify_id="n-1",
        sent_at=NOW - timedelta(hours=3),
        next_attempt_at=NOW,
    )
    set_row(
        session_factory,
        young_id,
        status=outbox.SENT,
        notify_id="n-2",
        sent_at=NOW - timedelta(seconds=5),
        next_attempt_at=NOW - timedelta(seconds=1),
    )
    set_row(session_factory, no_id_id, status=outbox.SENT, next_attempt_at=NOW)
    with session_factory() as session:
        ids = claims.claim_reconcile(session, now=NOW, limit=10, max_delay=timedelta(hours=2))
        session.commit()
    assert ids == [young_id, due_id]  # oldest due first; never one without a Notify id or not sent
    assert load(session_factory, due_id).next_attempt_at == NOW + timedelta(hours=2)  # at most max_delay
    assert load(session_factory, young_id).next_attempt_at == NOW + timedelta(minutes=1)  # at least a minute
    with session_factory() as session:  # pushed back: nobody else asks at once
        assert claims.claim_reconcile(session, now=NOW, limit=10, max_delay=timedelta(hours=2)) == []
    set_row(session_factory, due_id, next_attempt_at=NOW, sent_at=NOW - timedelta(minutes=5))
    with session_factory() as session:
        assert claims.claim_reconcile(session, now=NOW, limit=1, max_delay=timedelta(hours=2)) == [due_id]
        session.commit()
    assert load(session_factory, due_id).next_attempt_at == NOW + timedelta(minutes=5)  # as old as it is
    set_row(session_factory, no_id_id, status=outbox.TEMPORARY_FAILURE, notify_id="n-3")  # resend pending
    set_row(session_factory, young_id, next_attempt_at=NOW - timedelta(seconds=2))
    set_row(session_factory, due_id, next_attempt_at=NOW)
    with session_factory() as session:  # the oldest due first, up to the limit
        assert claims.claim_reconcile(session, now=NOW, limit=1, max_delay=timedelta(hours=2)) == [young_id]
        session.rollback()
    set_row(session_factory, young_id, next_attempt_at=NOW + timedelta(hours=1))
    set_row(session_factory, due_id, next_attempt_at=NOW, sent_at=None)
    with session_factory() as session:
        assert claims.claim_reconcile(session, now=NOW, limit=1, max_delay=timedelta(hours=2)) == [due_id]
        session.commit()
    assert load(session_factory, due_id).next_attempt_at == NOW + timedelta(minutes=1)


def test_the_status_check_compare_and_set_guard(sqlite_db: Any) -> None:
    factory = sessionmaker(bind=sqlite_db, expire_on_commit=False)
    [message_id] = add(factory)
    sent(factory, message_id)
    set_row(factory, message_id, next_attempt_at=NOW)
    session = factory()
    raced: list[str] = []

    @event.listens_for(session, "do_orm_execute")
    def _another_worker_first(state: Any) -> None:
        if state.is_update and not raced:
            raced.append(message_id)
            with factory() as other:
                claims.claim_reconcile(other, now=NOW, limit=10, max_delay=timedelta(hours=1))
                other.commit()

    try:
        assert claims.claim_reconcile(session, now=NOW, limit=10, max_delay=timedelta(hours=1)) == []
        session.commit()
    finally:
        session.close()
    assert raced == [message_id]


@pytest.mark.postgres_only
def test_a_row_another_worker_holds_is_skipped_not_waited_for(pg_engine: Any) -> None:
    """PostgreSQL: FOR UPDATE SKIP LOCKED; a claim never waits for (nor takes) a row someone holds."""
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    held_id, free_id = add(factory, count=2)
    set_row(factory, held_id, next_attempt_at=NOW - timedelta(seconds=1))
    with factory() as holder:
        assert outbox.lock_message(holder, held_id) is not None
        with factory() as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            found = claims.claim_batch(session, now=NOW, limit=10, lease=LEASE, give_up_after=GIVE_UP)
            session.commit()
        holder.rollback()
    assert [c.message_id for c in found] == [free_id]
    assert load(factory, held_id).status == outbox.QUEUED


# --- Transitions ----------------------------------------------------------------------------------------


def apply(factory: sessionmaker[Session], message_id: str, status: str, **kwargs: Any) -> bool:
    with factory() as session:
        message = outbox.lock_message(session, message_id)
        assert message is not None
        changed = transitions.apply_notify_status(session, message, status, now=NOW, **kwargs)
        session.commit()
    return changed


@pytest.mark.parametrize("status", sorted(transitions.NOTIFY_IN_PROGRESS))
def test_notify_in_progress_marks_a_sending_message_sent_and_waits(
    session_factory: sessionmaker[Session], recorded: Recorded, status: str
) -> None:
    [message_id] = add(session_factory)
    [held] = claim(session_factory)
    set_row(session_factory, message_id, notify_id="n-9", failure_reason="lookup failed")
    policy = RetryPolicy(reconcile_after=timedelta(minutes=7))
    assert apply(session_factory, message_id, status, policy=policy, sent_at=NOW - timedelta(seconds=3))
    message = load(session_factory, message_id)
    assert (message.status, message.notify_id, message.claimed_until) == (outbox.SENT, "n-9", None)
    assert message.sent_at == NOW - timedelta(seconds=3) and message.failure_reason is None
    assert message.next_attempt_at == NOW + timedelta(minutes=7)  # then ask Notify
    assert recorded.changes == [(held.message_id, "sending", "sent")]
    assert all(isinstance(s, Session) for s in recorded.sessions)
    assert not apply(session_factory, message_id, status)  # nothing new


def test_sent_with_no_receipt_to_come_stops_asking(session_factory: sessionmaker[Session]) -> None:
    [message_id] = add(session_factory)
    claim(session_factory)
    set_row(session_factory, message_id, notify_id="n-9")
    assert apply(session_factory, message_id, "sent")
    message = load(session_factory, message_id)
    assert (message.status, message.next_attempt_at, message.sent_at) == (outbox.SENT, None, NOW)


def test_delivered_records_when_and_is_final(
    session_factory: sessionmaker[Session], recorded: Recorded
) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    set_row(session_factory, message_id, sent_at=None, failure_reason="old")
    completed = NOW - timedelta(minutes=1)
    assert apply(
        session_factory, message_id, "received", completed_at=completed, sent_at=NOW - timedelta(minutes=2)
    )
    message = load(session_factory, message_id)
    assert (message.status, message.delivered_at, message.sent_at) == (
        outbox.DELIVERED,
        completed,
        NOW - timedelta(minutes=2),
    )
    assert (message.next_attempt_at, message.claimed_until, message.failure_reason) == (None, None, None)
    assert recorded.changes == [(message_id, "sent", "delivered")]
    assert not apply(session_factory, message_id, "permanent-failure")  # final: never changed again
    assert load(session_factory, message_id).status == outbox.DELIVERED


def test_delivered_keeps_the_time_it_was_sent(session_factory: sessionmaker[Session]) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    assert apply(session_factory, message_id, "delivered", sent_at=NOW + timedelta(hours=1))
    message = load(session_factory, message_id)
    assert (message.sent_at, message.delivered_at) == (NOW, NOW)


def test_an_unknown_notify_status_changes_nothing(
    session_factory: sessionmaker[Session], caplog: Any
) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    assert not apply(session_factory, message_id, "something-new")
    assert load(session_factory, message_id).status == outbox.SENT
    assert f"ignoring unknown Notify status 'something-new' for message {message_id}" in caplog.text


def test_technical_failure_backs_off_and_gives_up_after_give_up_at(
    session_factory: sessionmaker[Session], recorded: Recorded
) -> None:
    [message_id] = add(session_factory)
    sent(session_factory, message_id)
    set_row(session_factory, message_id, attempts=3, give_up_at=NOW + timedelta(seconds=20))
    policy = RetryPolicy(base=timedelta(seconds=5), random=lambda: 1.0)  # 5s * 2**(3-1) = 20s
    assert apply(session_factory, message_id, "technical-failure", policy=policy)
    message = load(session_factory, message_id)
    assert (message.status, message.next_attempt_at) == (
        outbox.TECHNICAL_FAILURE,
        NOW + timedelta(seconds=20),
    )
    assert message.failure_reason == "technical-failure: Notify could not pass it on"
    sent(session_factory, message_id)
    set_row(session_factory, message_id, attempts=4, give_up_at=NOW + timedelta(seconds=20))
    assert apply(session_factory, message_id, "technical-failure", policy=policy)  # 40s: past give_up_at
    message = load(session_factory, message_id)
    assert message.status == outbox.FAILED
    assert message.failure_reason == "gave up: technical-failure: Notify could not pass it on"
    assert recorded.failures == [(message_id, "gave-up")]
    assert recorded.sessions and all(isinstance(s, Session) for s in recorded.sessions)


def test_fail_and_retry_later_record_at_most_2000_characters(
    session_factory: sessionmaker[Session], recorded: Recorded
) -> None:
    first, second = add(session_factory, count=2)
    with session_factory() as session:
        one, two = session.get(OutboundMessage, first), session.get(OutboundMessage, second)
        assert one is not None and two is not None
        transitions.fail(session, one, reason="rejected", detail="x" * 3000, now=NOW)
        transitions.retry_later(
            session, two, status=outbox.QUEUED, delay=timedelta(0), detail="y" * 3000, now=NOW
        )
        assert recorded.sessions and all(s is session for s in recorded.sessions)
        session.commit()
    assert load(session_factory, first).failure_reason == "x" * 2000
    assert load(session_factory, second).failure_reason == "y" * 2000
    assert load(session_factory, first).updated_at == NOW


def test_a_retry_due_exactly_at_give_up_at_is_still_tried(session_factory: sessionmaker[Session]) -> None:
    [message_id] = add(session_factory)
    with session_factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None
        message.give_up_at = NOW + timedelta(seconds=10)
        transitions.retry_later(
            session, message, status=outbox.QUEUED, delay=timedelta(seconds=10), detail="503", now=NOW
        )
        assert (message.status, message.next_attempt_at) == (outbox.QUEUED, NOW + timedelta(seconds=10))
        message.claimed_until = NOW
        transitions.retry_later(
            session, message, status=outbox.QUEUED, delay=timedelta(seconds=11), detail="503", now=NOW
        )
        assert message.status == outbox.FAILED and message.claimed_until is None
        session.rollback()


def test_set_status_says_whether_it_changed_and_is_silent_for_the_claim(recorded: Recorded) -> None:
    message = OutboundMessage(id="m-1", status=outbox.QUEUED)
    assert transitions.set_status(None, message, outbox.SENDING, now=NOW)  # type: ignore[arg-type]
    assert (message.status, message.updated_at) == (outbox.SENDING, NOW)
    assert not transitions.set_status(None, message, outbox.SENDING, now=NOW)  # type: ignore[arg-type]
    assert recorded.changes == []


def test_backoff_doubles_up_to_its_cap_and_its_exponent_stops_at_32() -> None:
    policy = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(days=10**5), random=lambda: 1.0)
    assert policy.backoff(0) == policy.backoff(1) == timedelta(seconds=1)
    assert policy.backoff(33) == policy.backoff(100) == timedelta(seconds=2**32)
    assert policy.backoff(32) == timedelta(seconds=2**31)
    half = RetryPolicy(base=timedelta(seconds=4), random=lambda: 0.5)
    assert half.backoff(3) == timedelta(seconds=8)
