"""Counting the SQL statements a page runs (query-count guards)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import event


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """Collect every statement run on the app's engine inside the block (a `before_cursor_execute`
    listener), and every COPY command sent past SQLAlchemy (notifications/rows.py) on PostgreSQL."""
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = app.extensions["database"].engine
    event.listen(engine, "before_cursor_execute", _count)
    copy = psycopg.Cursor.copy

    def _copy(cursor: psycopg.Cursor[Any], statement: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(statement))
        return copy(cursor, statement, *args, **kwargs)

    psycopg.Cursor.copy = _copy  # type: ignore[method-assign,assignment]  # observed, then called as it was
    try:
        yield statements
    finally:
        psycopg.Cursor.copy = copy  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", _count)
