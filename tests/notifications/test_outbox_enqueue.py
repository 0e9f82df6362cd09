"""The outbox table and enqueue(): validation, defaults, UTC datetimes, and the migration matching the model."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from notifications import outbox
from notifications.base import NAMING_CONVENTION
from notifications.outbox import OutboundMessage, enqueue

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
#: The migrations that make and change the outbox table, in order.
MIGRATIONS = (VERSIONS / "0002_outbox.py", VERSIONS / "0027_outbox_waited_for.py")


def test_enqueue_email_defaults(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        message = enqueue(
            session,
            channel="email",
            recipient=" a@example.com ",
            subject="Update",
            body="Hello",
            correlation="communication:1",
        )
        message_id = message.id
        session.commit()
    with session_factory() as session:
        stored = session.get(OutboundMessage, message_id)
        assert stored is not None
        assert stored.recipient == "a@example.com"
        assert stored.status == outbox.QUEUED and stored.attempts == 0
        assert stored.correlation == "communication:1"
        assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == timedelta(0)
        assert stored.next_attempt_at is not None and stored.next_attempt_at <= datetime.now(UTC)
        assert len(stored.id) == 36


def test_enqueue_never_commits(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        enqueue(session, channel="sms", recipient="07700900123", body="Hi")
        session.rollback()
    with session_factory() as session:
        assert session.query(OutboundMessage).count() == 0


def test_not_before_round_trips_as_utc(session_factory: sessionmaker[Session]) -> None:
    later = datetime(2030, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    with session_factory() as session:
        message = enqueue(session, channel="sms", recipient="+447700900123", body="Hi", not_before=later)
        session.commit()
        message_id = message.id
    with session_factory() as session:
        stored = session.get(OutboundMessage, message_id)
        assert stored is not None
        assert stored.not_before == later and stored.not_before.tzinfo == UTC
        assert stored.next_attempt_at == later


def test_letter(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        message = enqueue(
            session,
            channel="letter",
            address=["A Person", "1 High St", "SW1A 1AA"],
            subject="Heading",
            body="Hi",
        )
        session.commit()
        assert message.address == ["A Person", "1 High St", "SW1A 1AA"]
        assert message.recipient is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"channel": "fax", "recipient": "x", "body": "b"},
        {"channel": "email", "recipient": "a@example.com", "body": "b"},  # no subject
        {"channel": "email", "recipient": "not-an-email", "subject": "s", "body": "b"},
        {"channel": "sms", "recipient": "07700900123", "body": "  "},
        {"channel": "sms", "recipient": "call me", "body": "b"},
        {"channel": "sms", "recipient": "07700900123", "subject": "s", "body": "b"},
        {"channel": "sms", "body": "b"},
        {"channel": "letter", "address": ["one", "two"], "subject": "s", "body": "b"},
        {"channel": "letter", "address": ["A Person", "1 High St", "SW1A 1AA"], "body": "b"},  # no heading
        {
            "channel": "letter",
            "address": ["A Person", "No fixed abode", "SW1A 1AA"],
            "subject": "s",
            "body": "b",
        },
        {"channel": "letter", "address": ["A Person", "1 High St", "QQ1 1AA"], "subject": "s", "body": "b"},
        {
            "channel": "letter",
            "address": ["A Person", "(1) High St", "SW1A 1AA"],
            "subject": "s",
            "body": "b",
        },
        {"channel": "email", "recipient": "josé@example.com", "subject": "s", "body": "b"},
        {"channel": "sms", "recipient": "020 7946 0991", "body": "b"},
        {"channel": "sms", "recipient": "07700900123", "body": "x" * 919},
        {"channel": "letter", "address": ["1", "2", "3", "4", "5", "6", "7", "8"], "body": "b"},
        {"channel": "letter", "address": ["one", "", "SW1A 1AA"], "body": "b"},
        {"channel": "letter", "recipient": "x", "address": ["a", "b", "SW1A 1AA"], "body": "b"},
        {
            "channel": "email",
            "recipient": "a@example.com",
            "address": ["a", "b", "c"],
            "subject": "s",
            "body": "b",
        },
        {"channel": "sms", "recipient": "07700900123", "body": "b", "not_before": datetime(2030, 1, 1)},
        {"channel": "sms", "recipient": "07700900123", "body": "b", "correlation": "x" * 101},
    ],
)
def test_enqueue_rejects_bad_arguments(sqlite_db: Engine, kwargs: dict) -> None:
    with Session(sqlite_db) as session, pytest.raises(ValueError):
        enqueue(session, **kwargs)


def test_naive_datetimes_are_refused(sqlite_db: Engine) -> None:
    with Session(sqlite_db) as session:
        message = enqueue(session, channel="sms", recipient="07700900123", body="b")
        message.sent_at = datetime(2030, 1, 1)
        with pytest.raises(Exception, match="naive datetime"):
            session.flush()


def _load_migration(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_creates_what_the_model_describes(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str
) -> None:
    first, waited_for = (_load_migration(path) for path in MIGRATIONS)
    assert first.revision == "0002_outbox" and first.down_revision == "0001_initial"
    assert waited_for.revision == "0027_outbox_waited_for"
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    only_outbox = MetaData(naming_convention=NAMING_CONVENTION)
    OutboundMessage.__table__.to_metadata(only_outbox)  # type: ignore[attr-defined]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS outbound_message"))
            context = MigrationContext.configure(conn, opts={"render_as_batch": True})
            with Operations.context(context):
                first.upgrade()
                waited_for.upgrade()
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), only_outbox
            )
            assert diff == []
            with Operations.context(context):
                waited_for.downgrade()
                first.downgrade()
            assert "outbound_message" not in conn.dialect.get_table_names(conn)
    finally:
        engine.dispose()
