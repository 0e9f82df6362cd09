"""PostgreSQL connections run in UTC whatever the server's own time zone, so times are read back in UTC
without a conversion per row, and any date the database works out is a UTC one, as the code expects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, Column, Engine, Integer, MetaData, Table, create_engine, select, text

from portal.database import make_engine
from portal.models.base import UTCDateTime
from tests.support.databases import empty_postgresql_database


@pytest.fixture
def london_database() -> Iterator[str]:
    """An empty PostgreSQL database whose own time zone is London's, as a server set up in the UK may be."""
    with empty_postgresql_database("vp_tz", "timezone TO 'Europe/London'") as url:
        yield url


def _show(engine: Engine, setting: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text(f"SHOW {setting}")).scalar()


def test_a_connection_is_in_utc_on_a_server_in_london_time(london_database: str) -> None:
    plain = create_engine(london_database)
    engine = make_engine(london_database)
    summer_evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in London
    try:
        assert _show(plain, "timezone") == "Europe/London"  # what any other client would get
        assert _show(engine, "timezone") == "UTC"
        with engine.connect() as conn:
            read = conn.execute(text("SELECT CAST(:at AS timestamptz)"), {"at": summer_evening}).scalar()
            day = conn.execute(text("SELECT CAST(CAST(:at AS timestamptz) AS date)"), {"at": summer_evening})
            assert read == summer_evening and read.tzinfo is UTC  # no conversion left for each row
            assert str(day.scalar()) == "2026-07-01"
    finally:
        plain.dispose()
        engine.dispose()


def test_options_given_in_the_address_are_kept(london_database: str) -> None:
    engine = make_engine(f"{london_database}?options=-c%20statement_timeout%3D12345")
    try:
        assert _show(engine, "statement_timeout") == "12345ms"
        assert _show(engine, "timezone") == "UTC"
    finally:
        engine.dispose()


def test_a_utc_column_reads_every_time_as_utc_whatever_the_connection(london_database: str) -> None:
    """models/base.UTCDateTime hands back aware UTC times: as they come on the portal's own connections
    (returned as they are), converted on a connection in London time, and on SQLite, which stores them
    naive."""
    summer_evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    times = Table("utc_times", MetaData(), Column("at", UTCDateTime()))
    for engine in (make_engine(london_database), create_engine(london_database), create_engine("sqlite://")):
        try:
            with engine.begin() as conn:
                times.create(conn, checkfirst=True)
                conn.execute(times.delete())
                conn.execute(times.insert(), [{"at": summer_evening}, {"at": None}])
                read = list(conn.execute(select(times.c.at)).scalars())
            assert read == [summer_evening, None], engine.url
            assert read[0].tzinfo is UTC, engine.url
        finally:
            engine.dispose()


def test_a_json_column_reads_back_what_was_written_on_either_database(london_database: str) -> None:
    """The engine's JSON reader (portal/database.json_loads) gives what `json.loads` gives: Welsh and
    other characters beyond ASCII, nesting, numbers, nulls and an empty document."""
    documents = [
        {"message": "Mae'r heddlu wedi cau'r achos: ŵ ŷ â – “quoted” 😀", "n": [1, 2.5, None, True]},
        {"nested": {"deeper": [{"a": "a line separator: \u2028"}]}},
        {},
        ["a list", {"k": False}],
    ]
    rows = Table("json_documents", MetaData(), Column("id", Integer, primary_key=True), Column("doc", JSON))
    for engine in (make_engine(london_database), make_engine("sqlite://")):
        try:
            with engine.begin() as conn:
                rows.create(conn, checkfirst=True)
                conn.execute(rows.insert(), [{"id": i, "doc": doc} for i, doc in enumerate(documents)])
                # As another writer may store it: the characters themselves, not \u escapes.
                conn.execute(
                    text("INSERT INTO json_documents (id, doc) VALUES (:id, :doc)"),
                    [
                        {"id": 10 + i, "doc": json.dumps(doc, ensure_ascii=False)}
                        for i, doc in enumerate(documents)
                    ],
                )
                read = list(conn.execute(select(rows.c.doc).order_by(rows.c.id)).scalars())
            assert read == documents * 2, engine.url
            assert read == [json.loads(json.dumps(doc)) for doc in documents * 2]
        finally:
            engine.dispose()
