"""The benchmark's own database: a fresh PostgreSQL database on the test server (dropped at the end), or
a temporary SQLite file; either way migrated with the real migrations."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from portal import migrate
from portal.extensions import db

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER


@contextmanager
def bench_database(kind: str) -> Iterator[str]:
    """Yield the URL of a new, migrated database of `kind` ("postgresql" or "sqlite"); remove it after."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench_sqlite_") as directory:
            url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
            migrate.upgrade(url)
            yield url
        return
    server = make_url(postgres_server_url())
    name = f"bench_{os.getpid()}"
    admin = create_engine(server.set(database=server.database or "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def time_statements(app: Flask, *, echo: bool = False) -> list[float]:
    """A list that gets the seconds of each statement the app's engine runs from now on (`echo`: each
    statement printed too): clear it before a request, read it after."""
    seconds: list[float] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _started(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            context.bench_started = time.perf_counter()

        @event.listens_for(db.engine, "after_cursor_execute")
        def _ended(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            seconds.append(time.perf_counter() - context.bench_started)
            if echo:
                print("   ", " ".join(statement.split())[:220])

    return seconds
