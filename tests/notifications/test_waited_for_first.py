"""A message someone is waiting for on a page (a security code) is claimed before messages due earlier, so
a burst of updates (a batch of 100 from an agency sends 100 or more) does not hold up a sign-in; it is
still not claimed before it is due. Both claim paths: compare-and-set (SQLite) and FOR UPDATE SKIP
LOCKED (PostgreSQL). Never imports the portal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from notifications import claims
from notifications.outbox import OutboundMessage, enqueue
from tests.notifications.test_mutants_outbox import GIVE_UP, LEASE, NOW


def _add(factory: sessionmaker[Session], count: int, **kwargs: Any) -> list[str]:
    with factory() as session:
        ids = [
            enqueue(session, channel="sms", recipient="07700900123", body="A message.", **kwargs).id
            for _ in range(count)
        ]
        session.commit()
    return ids


def _due_at(factory: sessionmaker[Session], ids: list[str], at: Any) -> None:
    with factory() as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids)).values(next_attempt_at=at))
        session.commit()


def _claim(factory: sessionmaker[Session], limit: int) -> list[str]:
    with factory() as session:
        found = claims.claim_batch(session, now=NOW, limit=limit, lease=LEASE, give_up_after=GIVE_UP)
        session.commit()
    return [claim.message_id for claim in found]


def test_a_security_code_is_claimed_before_a_backlog_of_updates(
    session_factory: sessionmaker[Session],
) -> None:
    backlog = _add(session_factory, 30)
    for minutes, message_id in zip(range(30, 0, -1), backlog, strict=True):  # due 30 to 1 minutes ago
        _due_at(session_factory, [message_id], NOW - timedelta(minutes=minutes))
    [code] = _add(session_factory, 1, waited_for=True)
    _due_at(session_factory, [code], NOW - timedelta(seconds=1))
    assert _claim(session_factory, 5) == [code, *backlog[:4]]  # then the backlog, oldest due first
    assert _claim(session_factory, 5) == backlog[4:9]


def test_a_message_waited_for_is_not_claimed_before_it_is_due(session_factory: sessionmaker[Session]) -> None:
    [ordinary] = _add(session_factory, 1)
    _due_at(session_factory, [ordinary], NOW - timedelta(minutes=1))
    [code] = _add(session_factory, 1, waited_for=True)
    _due_at(session_factory, [code], NOW + timedelta(seconds=30))  # a retry after a temporary failure
    assert _claim(session_factory, 5) == [ordinary]


def test_messages_are_not_waited_for_unless_said(session_factory: sessionmaker[Session]) -> None:
    [message_id] = _add(session_factory, 1)
    with session_factory() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None and message.waited_for is False
