"""Messages written many at a time (`new_message` and `insert_messages`, for a batch of updates) are the
same rows, column for column, as those `enqueue` writes one at a time, so the worker, the receipts and the
officers' pages cannot tell them apart; and they are checked the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from notifications.outbox import OutboundMessage, enqueue, insert_messages, new_message

LATER = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)
#: Set when each row is made, so never the same in two rows.
MADE_NOW = {"id", "created_at", "updated_at", "next_attempt_at"}

MESSAGES: list[dict[str, Any]] = [
    {"channel": "email", "recipient": " ann@example.com ", "subject": "Update", "body": "Hello"},
    {
        "channel": "sms",
        "recipient": "07700900123",
        "body": "Hi",
        "not_before": LATER,
        "correlation": "update:1",
    },
    {
        "channel": "letter",
        "address": ["Ann Sample", " 1 Demo Street ", "EX1 1AA"],
        "subject": "Your case",
        "body": "Dear Ann",
        "waited_for": True,
    },
]


def _stored(engine: Engine, message_id: str) -> dict[str, Any]:
    """The row as the database holds it (no ORM types in between: JSON as stored, NULL as NULL)."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM outbound_message WHERE id = :id"), {"id": message_id}).one()
    return {key: value for key, value in row._mapping.items() if key not in MADE_NOW}


@pytest.mark.parametrize("fields", MESSAGES, ids=[m["channel"] for m in MESSAGES])
def test_a_message_written_in_a_batch_is_the_row_enqueue_writes(
    engine: Engine, fields: dict[str, Any]
) -> None:
    sessions = sessionmaker(engine)
    with sessions() as session:
        one = enqueue(session, **fields).id
        rows = [new_message(**fields), new_message(**fields)]
        insert_messages(session, rows)
        session.commit()
    assert rows[0]["id"] != rows[1]["id"]
    expected = _stored(engine, one)
    assert expected["status"] == "queued" and expected["attempts"] == 0
    for row in rows:
        assert _stored(engine, row["id"]) == expected
    with sessions() as session:  # and the ORM reads it back as it does any other
        stored = session.get(OutboundMessage, rows[0]["id"])
        assert stored is not None and stored.address == (
            [line.strip() for line in fields["address"]] if "address" in fields else None
        )
        assert stored.next_attempt_at is not None
        assert stored.next_attempt_at == max(stored.created_at, fields.get("not_before") or stored.created_at)


def test_insert_messages_never_commits(engine: Engine) -> None:
    sessions = sessionmaker(engine)
    with sessions() as session:
        insert_messages(session, [new_message(channel="sms", recipient="07700900123", body="Hi")])
        session.rollback()
    with sessions() as session:
        assert session.query(OutboundMessage).count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "pigeon", "recipient": "x", "body": "Hi"}, "channel must be one of"),
        ({"channel": "sms", "recipient": "07700900123", "body": " "}, "body must be a non-empty string"),
        (
            {"channel": "email", "recipient": "not an address", "subject": "S", "body": "Hi"},
            "Notify would refuse",
        ),
        ({"channel": "letter", "address": ["One line"], "subject": "S", "body": "Hi"}, "address lines"),
        ({"channel": "sms", "recipient": "07700900123", "body": "x" * 919}, "at most 918 characters"),
    ],
)
def test_new_message_refuses_what_enqueue_refuses(
    session_factory: sessionmaker[Session], fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        new_message(**fields)
    with session_factory() as session, pytest.raises(ValueError, match=message):
        enqueue(session, **fields)
