"""Messages written many at a time (`new_message` and `insert_tables`, for a batch of updates) are the
same rows, column for column, as those `enqueue` writes one at a time, so the worker, the receipts and the
officers' pages cannot tell them apart; and they are checked the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from notifications.outbox import OutboundMessage, enqueue, message_rows, new_message
from notifications.rows import FEW, insert_rows, insert_tables
from notifications.types import UTCDateTime

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
        insert_tables(session, [message_rows(rows)])
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


def test_writing_messages_never_commits(engine: Engine) -> None:
    sessions = sessionmaker(engine)
    with sessions() as session:
        insert_tables(
            session, [message_rows([new_message(channel="sms", recipient="07700900123", body="Hi")])]
        )
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


@pytest.mark.parametrize("copies", [1, 3], ids=["few rows (INSERTs in the pipeline)", "many rows (COPY)"])
def test_insert_rows_stores_every_kind_of_value_as_an_insert_does(engine: Engine, copies: int) -> None:
    """`insert_rows` (on PostgreSQL INSERTs in psycopg's pipeline for a few rows, COPY for more) and
    SQLAlchemy's INSERT store the same values, whatever their type: text with tabs, line breaks and
    backslashes, numbers, booleans, JSON (objects, lists, strings, null), times in another zone (stored
    in UTC) and NULLs."""
    table = Table(
        "every_kind",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("words", Text),
        Column("short", String(20)),
        Column("number", Float),
        Column("flag", Boolean),
        Column("document", JSON),
        Column("at", UTCDateTime()),
    )
    table.drop(engine, checkfirst=True)
    table.create(engine)
    values: list[dict[str, Any]] = [
        {
            "words": "tab\there\nnew line \\N back\\slash \\. , \"quoted\" 'single' {braces} ſ é",
            "short": "",
            "number": 1.5,
            "flag": True,
            "document": {"a": [1, "two", None], "b": {"c": False}},
            "at": datetime(2026, 7, 1, 23, 30, tzinfo=timezone(timedelta(hours=1))),
        },
        {"words": None, "short": None, "number": None, "flag": None, "document": None, "at": None},
        {"words": "\\N", "short": "NULL", "number": -0.0, "flag": False, "document": ["x"], "at": LATER},
        {"words": "", "short": " ", "number": 1e300, "flag": True, "document": "just text", "at": LATER},
    ]
    values = values * copies
    assert (len(values) > FEW) == (copies > 1)
    try:
        with Session(engine) as session:
            session.execute(insert(table), [{"id": n, **row} for n, row in enumerate(values)])
            insert_rows(session, table, [{"id": 100 + n, **row} for n, row in enumerate(values)])
            session.commit()
        with engine.connect() as conn:
            stored = {row.id: tuple(row)[1:] for row in conn.execute(select(table))}
            as_text = {
                row[0]: row[1]
                for row in conn.execute(text("SELECT id, CAST(document AS TEXT) FROM every_kind"))
            }
        assert len(stored) == 2 * len(values)
        for n in range(len(values)):
            assert stored[100 + n] == stored[n], values[n]
            assert as_text[100 + n] == as_text[n]
        assert stored[0][5] == datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    finally:
        table.drop(engine)


@pytest.mark.parametrize("extra", [0, FEW], ids=["few rows (INSERTs in the pipeline)", "many rows (COPY)"])
def test_a_row_the_database_refuses_is_reported_as_an_insert_would_be(engine: Engine, extra: int) -> None:
    """A broken constraint raises SQLAlchemy's IntegrityError, in the pipeline, with COPY and with
    SQLAlchemy's INSERT, and the transaction can be rolled back and used again."""
    table = Table(
        "refusing", MetaData(), Column("id", Integer, primary_key=True), Column("must", Text, nullable=False)
    )
    table.drop(engine, checkfirst=True)
    table.create(engine)
    try:
        with Session(engine) as session:
            with pytest.raises(IntegrityError):
                rows = [{"id": 10 + n, "must": "here"} for n in range(extra)]
                insert_rows(session, table, [{"id": 1, "must": "here"}, {"id": 2, "must": None}, *rows])
            session.rollback()
            insert_rows(session, table, [{"id": 3, "must": "fine"}])
            session.commit()
        with engine.connect() as conn:
            assert conn.execute(select(table.c.id)).scalars().all() == [3]
    finally:
        table.drop(engine)


@pytest.mark.parametrize(
    ("messages", "communications"),
    [(1, 1), (FEW + 1, 1), (1, FEW + 1), (FEW + 1, FEW + 1)],
    ids=["few, few", "many, few", "few, many", "many, many"],
)
def test_tables_are_written_in_the_order_given(engine: Engine, messages: int, communications: int) -> None:
    """`insert_tables` writes each table's rows after the tables before it, whichever way each goes (a
    few rows in the pipeline, more by COPY), so a row can refer to one written before it in the same call
    (PostgreSQL checks the foreign key; this SQLite engine does not, and writes in order anyway)."""
    parents = Table("parent_rows", MetaData(), Column("id", Integer, primary_key=True))
    children = Table(
        "child_rows",
        parents.metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", Integer, ForeignKey("parent_rows.id"), nullable=False),
    )
    parents.metadata.drop_all(engine)
    parents.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            insert_tables(
                session,
                [
                    (parents, [{"id": n} for n in range(messages)]),
                    (children, [{"id": n, "parent_id": n % messages} for n in range(communications)]),
                    (parents, [{"id": 1000 + n} for n in range(messages)]),
                ],
            )
            session.commit()
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(parents)).scalar() == 2 * messages
            assert conn.execute(select(func.count()).select_from(children)).scalar() == communications
    finally:
        parents.metadata.drop_all(engine)
