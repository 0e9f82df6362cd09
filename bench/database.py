"""The benchmark's own database: a fresh PostgreSQL database on the test server (dropped at the end), or
a temporary SQLite file; either way migrated with the real migrations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import migrate

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
