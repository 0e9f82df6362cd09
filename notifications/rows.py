"""Many new rows written at once, cheaply for both the server and the process that sends them.

On PostgreSQL the rows go through COPY in the caller's transaction: the driver sends them without building
a statement for each, and the server loads them in one command (constraints, foreign keys and defaults
are checked as for INSERT). Each value is first converted by its column type's own binding, as SQLAlchemy
converts it for an INSERT (a time is made UTC; a JSON value goes to psycopg's JSON adapter, None as JSON
null), so the row stored is the same (tests/notifications/test_outbox_insert_messages.py). On SQLite, one
INSERT of many rows. Measured on a batch of 100 messages and their communications, against an INSERT a row
in psycopg's pipeline: about half the web process's CPU and half the server's.

A COPY costs two round trips to the server (the command, then the rows and their end), so a few rows (at
most FEW) go as INSERTs instead, and every table's few rows of one `insert_tables` call are sent together in
psycopg's pipeline: one round trip for the lot (a single agency update's message, its communication and,
separately, its quality check). Their values are converted the same way.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

#: At most this many rows for a table go as INSERTs in the pipeline rather than a COPY. Measured by
#: `python -m bench.row_writes` (1 December 2026): with three tables written together, as an update call
#: writes its message, communication and checks, the pipeline costs this process the same CPU as COPY at
#: 8 rows a table (less below), and about 40% less wall time; at 12 rows, 17% more CPU. A lone table of 3
#: to 8 rows costs up to a quarter more CPU than its COPY in the same wall time.
FEW = 8

Write = tuple[Table, Sequence[Mapping[str, Any]]]


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write `rows` (each with the same columns, named as the table's) into `table` in the caller's
    transaction; never commits, reads nothing back and does not flush the session."""
    insert_tables(session, [(table, rows)])


def insert_tables(session: Session, writes: Sequence[Write]) -> None:
    """`insert_rows` for several tables, written in the order given (so a row can refer to one written
    before it). On PostgreSQL the tables with few rows are sent together, one round trip in all."""
    writes = [(table, rows) for table, rows in writes if rows]
    if not writes:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        for table, rows in writes:
            session.execute(insert(table), list(rows))
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    errors = dialect.loaded_dbapi.Error
    command = ""
    try:
        with driver.cursor() as cursor:
            # Consecutive tables with few rows share a pipeline (COPY cannot run in one).
            for few, group in itertools.groupby(writes, key=lambda write: len(write[1]) <= FEW):
                with driver.pipeline() if few else contextlib.nullcontext():
                    for table, rows in group:
                        names = tuple(rows[0])
                        copy_command, insert_command, converters = _commands(table, names, dialect)
                        values = (
                            [convert(row[name]) for name, convert in zip(names, converters, strict=True)]
                            for row in rows
                        )
                        if few:
                            command = insert_command
                            cursor.executemany(command, values)
                            continue
                        command = copy_command
                        with cursor.copy(command) as copy:
                            for row in values:
                                copy.write_row(row)
    except errors as error:
        # As SQLAlchemy reports a failed statement: IntegrityError, OperationalError and so on (the pages and
        # the API answer a database that is away with 503), and a lost connection is not used again.
        lost = dialect.is_disconnect(error, driver, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(command, None, error, errors, connection_invalidated=lost) from error


def _as_is(value: Any) -> Any:
    return value


@functools.cache
def _commands(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[str, str, list[Callable[[Any], Any]]]:
    """The COPY command and the INSERT for these columns (each checked to be the table's: KeyError
    otherwise), and each column's conversion of a value."""
    columns = [table.c[name] for name in names]
    quote = dialect.identifier_preparer
    into = f"{quote.format_table(table)} ({', '.join(quote.format_column(c) for c in columns)})"
    placeholders = ", ".join(["%s"] * len(columns))
    converters = [_converter(column.type, dialect) for column in columns]
    insert_command = f"INSERT INTO {into} VALUES ({placeholders})"  # noqa: S608 (the table's own names)
    return f"COPY {into} FROM STDIN", insert_command, converters


def _converter(column_type: Any, dialect: Dialect) -> Callable[[Any], Any]:
    if isinstance(column_type, JSON):  # SQLAlchemy leaves JSON to psycopg's own adapter, as here
        return Json
    return column_type.bind_processor(dialect) or _as_is
