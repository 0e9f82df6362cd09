"""Delivery receipts: the bearer check, and apply_receipt being idempotent and out-of-order safe; then the
whole loop with the sandbox's own receipts (delivered, temporary and permanent failure simulators)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from notifications import outbox
from notifications.client import NotifyGateway
from notifications.outbox import OutboundMessage, enqueue
from notifications.receipts import ReceiptError, apply_receipt, check_bearer
from notifications.transitions import RetryPolicy
from notifications.worker import Worker
from tests.notifications.conftest import CALLBACK_TOKEN, Clock, Receiver, Sandbox, SignalLog


def test_check_bearer() -> None:
    assert check_bearer("Bearer s3cret", "s3cret")
    assert check_bearer("bearer s3cret", "s3cret")
    assert not check_bearer("Bearer s3cret", "")
    assert not check_bearer("Bearer ", "")
    assert not check_bearer(None, "s3cret")
    assert not check_bearer("Bearer wrong", "s3cret")
    assert not check_bearer("Basic s3cret", "s3cret")
    assert not check_bearer("s3cret", "s3cret")
    assert not check_bearer("Bearer s3cret", None)


def _sent_message(session_factory: sessionmaker[Session], **kwargs: Any) -> tuple[str, str]:
    """A message Notify has accepted as a new notification id."""
    notify_id = str(uuid.uuid4())
    with session_factory() as session:
        message = enqueue(session, channel="sms", recipient="07700900123", body="b")
        message.status = outbox.SENT
        message.attempts = 1
        message.notify_id = notify_id
        message.sent_at = datetime.now(UTC)
        message.give_up_at = datetime.now(UTC) + timedelta(hours=24)
        for key, value in kwargs.items():
            setattr(message, key, value)
        session.commit()
        return message.id, notify_id


def _receipt(message_id: str, notify_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": notify_id,
        "reference": message_id,
        "to": "07700900123",
        "status": status,
        "created_at": "2030-05-14T12:15:30.000000Z",
        "completed_at": "2030-05-14T12:16:01.123456Z",
        "sent_at": "2030-05-14T12:15:31.000000Z",
        "notification_type": "sms",
        "template_id": str(uuid.uuid4()),
        "template_version": 1,
        **extra,
    }


def _apply(session_factory: sessionmaker[Session], payload: dict[str, Any], **kwargs: Any) -> bool:
    with session_factory() as session:
        changed = apply_receipt(session, payload, **kwargs)
        session.commit()
        return changed


def _get(session_factory: sessionmaker[Session], message_id: str) -> OutboundMessage:
    with session_factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None
        return message


def test_delivered_is_recorded_once(session_factory: sessionmaker[Session], signals: SignalLog) -> None:
    message_id, notify_id = _sent_message(session_factory)
    receipt = _receipt(message_id, notify_id, "delivered")
    assert _apply(session_factory, receipt) is True
    assert _apply(session_factory, receipt) is False  # a replay changes nothing
    message = _get(session_factory, message_id)
    assert message.status == outbox.DELIVERED
    assert message.delivered_at == datetime(2030, 5, 14, 12, 16, 1, 123456, tzinfo=UTC)
    assert signals.changes == [(message_id, "sent", "delivered")]
    assert signals.sessions_ok


@pytest.mark.parametrize("late", ["sending", "created", "pending", "temporary-failure", "technical-failure"])
def test_late_receipts_never_overwrite_delivered(session_factory: sessionmaker[Session], late: str) -> None:
    message_id, notify_id = _sent_message(session_factory)
    assert _apply(session_factory, _receipt(message_id, notify_id, "delivered"))
    assert _apply(session_factory, _receipt(message_id, notify_id, late)) is False
    assert _get(session_factory, message_id).status == outbox.DELIVERED


def test_in_progress_receipts_do_not_move_sent_backwards(session_factory: sessionmaker[Session]) -> None:
    message_id, notify_id = _sent_message(session_factory)
    for status in ("created", "sending", "pending"):
        assert _apply(session_factory, _receipt(message_id, notify_id, status)) is False
    assert _get(session_factory, message_id).status == outbox.SENT


def test_permanent_failure_is_final_and_signalled(
    session_factory: sessionmaker[Session], signals: SignalLog
) -> None:
    message_id, notify_id = _sent_message(session_factory)
    assert _apply(session_factory, _receipt(message_id, notify_id, "permanent-failure"))
    assert _apply(session_factory, _receipt(message_id, notify_id, "delivered")) is False
    assert _get(session_factory, message_id).status == outbox.PERMANENT_FAILURE
    assert signals.failures == [(message_id, "permanent-failure")]


def test_temporary_failure_schedules_a_bounded_retry(
    session_factory: sessionmaker[Session], signals: SignalLog
) -> None:
    now = datetime.now(UTC)
    policy = RetryPolicy(temporary_failure_delay=timedelta(minutes=30))
    message_id, notify_id = _sent_message(session_factory, give_up_at=now + timedelta(hours=1))
    assert _apply(
        session_factory, _receipt(message_id, notify_id, "temporary-failure"), now=now, policy=policy
    )
    message = _get(session_factory, message_id)
    assert message.status == outbox.TEMPORARY_FAILURE
    assert message.next_attempt_at == now + timedelta(minutes=30)
    assert _apply(session_factory, _receipt(message_id, notify_id, "temporary-failure")) is False  # replay

    other_id, other_notify = _sent_message(session_factory, give_up_at=now + timedelta(minutes=10))
    assert _apply(
        session_factory, _receipt(other_id, other_notify, "temporary-failure"), now=now, policy=policy
    )
    assert _get(session_factory, other_id).status == outbox.FAILED
    assert signals.failures == [(other_id, "gave-up")]


def test_technical_failure_resends(session_factory: sessionmaker[Session]) -> None:
    message_id, notify_id = _sent_message(session_factory)
    now = datetime.now(UTC)
    assert _apply(
        session_factory,
        _receipt(message_id, notify_id, "technical-failure"),
        now=now,
        policy=RetryPolicy(base=timedelta(seconds=5), random=lambda: 1.0),
    )
    message = _get(session_factory, message_id)
    assert message.status == outbox.TECHNICAL_FAILURE and message.next_attempt_at == now + timedelta(
        seconds=5
    )


def test_stale_receipt_from_another_notification_is_ignored(session_factory: sessionmaker[Session]) -> None:
    message_id, _ = _sent_message(session_factory)
    assert _apply(session_factory, _receipt(message_id, str(uuid.uuid4()), "permanent-failure")) is False
    assert _get(session_factory, message_id).status == outbox.SENT


def test_receipt_while_sending_adopts_the_notification(session_factory: sessionmaker[Session]) -> None:
    """Notify's 201 not yet recorded (worker mid-send, or crashed): the receipt is adopted."""
    message_id, _ = _sent_message(session_factory, status=outbox.SENDING, notify_id=None)
    notify_id = str(uuid.uuid4())
    assert _apply(session_factory, _receipt(message_id, notify_id, "delivered"))
    message = _get(session_factory, message_id)
    assert message.status == outbox.DELIVERED and message.notify_id == notify_id


def test_falls_back_to_the_notify_id(session_factory: sessionmaker[Session]) -> None:
    message_id, notify_id = _sent_message(session_factory)
    assert _apply(session_factory, _receipt("not-our-reference", notify_id, "delivered", reference=None))
    assert _get(session_factory, message_id).status == outbox.DELIVERED


def test_unknown_and_malformed_receipts(session_factory: sessionmaker[Session]) -> None:
    assert _apply(session_factory, _receipt(str(uuid.uuid4()), str(uuid.uuid4()), "delivered")) is False
    with pytest.raises(ReceiptError):
        _apply(session_factory, {"reference": "x"})
    with pytest.raises(ReceiptError):
        _apply(session_factory, {"id": 5, "status": "delivered"})


def test_delivered_without_completed_at_uses_now(session_factory: sessionmaker[Session]) -> None:
    message_id, notify_id = _sent_message(session_factory)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert _apply(session_factory, _receipt(message_id, notify_id, "delivered", completed_at=None), now=now)
    assert _get(session_factory, message_id).delivered_at == now


def test_the_whole_loop_with_the_sandboxs_receipts(
    session_factory: sessionmaker[Session],
    make_sandbox: Callable[..., Sandbox],
    make_gateway: Callable[..., NotifyGateway],
    receiver: Receiver,
    clock: Clock,
    signals: SignalLog,
) -> None:
    """Worker -> sandbox -> receipts (with the bearer token) -> apply_receipt, for each simulator."""
    sandbox = make_sandbox(callback_url=receiver.url, callback_token=CALLBACK_TOKEN)
    recipients = {
        "ok-sms": ("sms", "07700900123"),
        "temp-sms": ("sms", "07700900003"),
        "perm-sms": ("sms", "07700900002"),
        "ok-email": ("email", "a@example.com"),
        "temp-email": ("email", "temp-fail@simulator.notify"),
        "perm-email": ("email", "perm-fail@simulator.notify"),
    }
    ids = {}
    with session_factory() as session:
        for name, (channel, recipient) in recipients.items():
            subject = "Update" if channel == "email" else None
            ids[name] = enqueue(session, channel=channel, recipient=recipient, subject=subject, body="b").id
        session.commit()
    policy = RetryPolicy(base=timedelta(0), temporary_failure_delay=timedelta(minutes=30))
    worker = Worker(
        session_factory,
        make_gateway(sandbox.url),
        clock=clock,
        policy=policy,
        rate_per_minute=600_000,
        max_retry_seconds=3600,
    )
    assert worker.run_once() == 6
    assert sandbox.state.wait_idle()
    for item in receiver.received:
        assert check_bearer(item["authorization"], CALLBACK_TOKEN)
        with session_factory() as session:
            apply_receipt(session, item["json"], now=clock.now)
            session.commit()
    status = {name: _get(session_factory, message_id).status for name, message_id in ids.items()}
    assert status == {
        "ok-sms": "delivered",
        "temp-sms": "temporary-failure",
        "perm-sms": "permanent-failure",
        "ok-email": "delivered",
        "temp-email": "temporary-failure",
        "perm-email": "permanent-failure",
    }
    assert _get(session_factory, ids["ok-sms"]).delivered_at is not None
    assert sorted(signals.failures) == sorted(
        [(ids["perm-sms"], "permanent-failure"), (ids["perm-email"], "permanent-failure")]
    )

    # Temporary failures are sent again later, and given up at the bound.
    receiver.received.clear()
    clock.advance(31 * 60)
    assert worker.run_once() == 2
    assert sandbox.state.wait_idle()
    assert len(sandbox.inbox(reference=ids["temp-sms"])) == 2
    for item in receiver.received:
        with session_factory() as session:
            apply_receipt(session, item["json"], now=clock.now)
            session.commit()
    assert _get(session_factory, ids["temp-sms"]).status == outbox.FAILED
    assert (ids["temp-sms"], "gave-up") in signals.failures
