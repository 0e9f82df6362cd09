"""Empty PostgreSQL databases of a test's own, on the server the suite uses (TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

PG_SERVER_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def empty_postgresql_database(prefix: str, *settings: str) -> Iterator[str]:
    """The URL of a new, empty database named `prefix` and a random part (each of `settings`, such as
    "timezone TO 'Europe/London'", made its own default), dropped afterwards."""
    server = make_url(PG_SERVER_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database=server.database or "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        for setting in settings:
            conn.execute(text(f'ALTER DATABASE "{name}" SET {setting}'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
