"""Bulk loading for the seed: PostgreSQL COPY through psycopg, SQLAlchemy Core executemany on SQLite.

Rows are buffered per table and written in foreign-key order whenever a buffer fills, so a row is never
written before a row it refers to. Every column of the table is written (NULL when the row leaves it
out); a missing NOT NULL column is an error here rather than a surprise in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import JSON, Connection, Table, TypeDecorator, text

import portal.models  # noqa: F401 - registers every table on the shared metadata
from notifications.base import metadata

ORDER = (
    "organisation",
    "victim",
    "user_account",
    "contact_point",
    "preference_version",
    "case_record",
    "case_victim",
    "case_update",
    "update_seen",
    "outbound_message",
    "communication",
)


class Loader:
    def __init__(self, conn: Connection, *, flush_every: int = 20_000) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.flush_every = flush_every
        self.buffers: dict[str, list[Mapping[str, Any]]] = {name: [] for name in ORDER}
        self.counts: dict[str, int] = dict.fromkeys(ORDER, 0)

    def add(self, table: str, row: Mapping[str, Any]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        for name in ORDER:
            rows = self.buffers[name]
            if rows:
                self._write(metadata.tables[name], rows)
                self.counts[name] += len(rows)
                self.buffers[name] = []

    def _write(self, table: Table, rows: list[Mapping[str, Any]]) -> None:
        columns = list(table.columns)
        required = [c.name for c in columns if not c.nullable]
        for name in required:
            if name not in rows[0]:
                raise ValueError(f"{table.name}: rows have no value for NOT NULL column {name}")
        if not self.postgres:
            names = [c.name for c in columns]
            self.conn.execute(table.insert(), [{name: row.get(name) for name in names} for row in rows])
            return
        json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
        # COPY skips SQLAlchemy's bind processing: apply the column types' own (encrypted secrets).
        decorated = {c.name: c.type for c in columns if isinstance(c.type, TypeDecorator)}
        dialect = self.conn.dialect
        rows = (
            [
                {
                    **row,
                    **{
                        name: kind.process_bind_param(row.get(name), dialect)
                        for name, kind in decorated.items()
                    },
                }
                for row in rows
            ]
            if decorated
            else rows
        )
        names = [c.name for c in columns]
        driver = self.conn.connection.driver_connection
        assert driver is not None
        quoted = ", ".join(f'"{name}"' for name in names)
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row.get(name))
                        if name in json_columns and row.get(name) is not None
                        else row.get(name)
                        for name in names
                    ]
                )

    def finish(self) -> dict[str, int]:
        """Write what is left; on PostgreSQL, move each id sequence past the ids given explicitly."""
        self.flush()
        if self.postgres:
            for name in ORDER:
                table = metadata.tables[name]
                if "id" in table.c and str(table.c.id.type).upper().startswith("INTEGER"):
                    self.conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
                        )
                    )
        return dict(self.counts)


def analyze(conn: Connection, tables: Iterable[str] = ORDER) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would soon gather them."""
    if conn.dialect.name == "postgresql":
        for name in tables:
            conn.execute(text(f'ANALYZE "{name}"'))
    else:
        conn.execute(text("ANALYZE"))
