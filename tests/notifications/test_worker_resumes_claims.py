"""The database going away in the middle of a batch: the worker keeps the claims it holds and resumes
them as soon as the database is back, instead of leaving them until their leases run out (two minutes);
the message that may have reached Notify is looked up by reference first, so each is sent once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from notifications import outbox
from notifications.client import NotifyGateway
from notifications.outbox import OutboundMessage, enqueue
from notifications.worker import Worker
from tests.notifications.conftest import Sandbox


class DatabaseGoesAfterFirstSend:
    """A session factory and gateway: after Notify accepts the first message, the next commit fails as
    if the database had gone away."""

    def __init__(self, factory: sessionmaker[Session], gateway: NotifyGateway) -> None:
        self.factory = factory
        self.gateway = gateway
        self.armed = threading.Event()
        self.fired = False

    def session(self) -> Session:
        session = self.factory()
        if self.armed.is_set() and not self.fired:
            self.fired = True

            def _gone() -> None:
                raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

            session.commit = _gone  # type: ignore[method-assign]
        return session

    def send(self, message: Any) -> str:
        notify_id = self.gateway.send(message)
        self.armed.set()
        return notify_id

    def find_by_reference(self, reference: str) -> Any:
        return self.gateway.find_by_reference(reference)

    def get_status(self, notify_id: str) -> Any:
        return self.gateway.get_status(notify_id)


def test_claims_held_when_the_database_went_away_are_resumed_at_once(
    session_factory: sessionmaker[Session], sandbox: Sandbox, make_gateway: Callable[..., NotifyGateway]
) -> None:
    with session_factory() as session:
        ids = [
            enqueue(session, channel="sms", recipient="07700900123", body=f"Update {n}").id for n in range(3)
        ]
        session.commit()
    broken = DatabaseGoesAfterFirstSend(session_factory, make_gateway(sandbox.url))
    worker = Worker(broken.session, broken, rate_per_minute=60_000)
    try:
        worker.run_once()
    except OperationalError:
        pass
    else:
        raise AssertionError("the first batch met the database going away")
    assert broken.fired
    with session_factory() as session:
        statuses = {
            m.id: m.status
            for m in session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids)))
        }
    assert list(statuses.values()).count(outbox.SENDING) == 3, "claimed, leases still running"

    worker.run_once()  # the database is back; the leases have not run out
    with session_factory() as session:
        statuses = {
            m.id: m.status
            for m in session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids)))
        }
    assert set(statuses.values()) <= {outbox.SENT, outbox.DELIVERED}, statuses
    assert sandbox.count_by_reference() == dict.fromkeys(ids, 1)
