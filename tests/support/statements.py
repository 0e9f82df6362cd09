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
    listener), and on PostgreSQL every statement sent past SQLAlchemy (notifications/rows.py): each COPY,
    and each INSERT of a few rows sent in psycopg's pipeline (one executemany, counted once, as SQLAlchemy
    counts its own executemany)."""
    statements: list[str] = []
    theirs: list[str] = []  # executemany statements SQLAlchemy announced (counted by the listener)

    def _count(_conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, many: bool) -> None:
        statements.append(statement)
        if many:
            theirs.append(statement)

    engine = app.extensions["database"].engine
    event.listen(engine, "before_cursor_execute", _count)
    copy, executemany = psycopg.Cursor.copy, psycopg.Cursor.executemany

    def _copy(cursor: psycopg.Cursor[Any], statement: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(statement))
        return copy(cursor, statement, *args, **kwargs)

    def _executemany(cursor: psycopg.Cursor[Any], statement: Any, *args: Any, **kwargs: Any) -> Any:
        if str(statement) in theirs:
            theirs.remove(str(statement))
        else:
            statements.append(str(statement))
        return executemany(cursor, statement, *args, **kwargs)

    # observed, then called as they were
    psycopg.Cursor.copy = _copy  # type: ignore[method-assign,assignment]
    psycopg.Cursor.executemany = _executemany  # type: ignore[method-assign,assignment]
    try:
        yield statements
    finally:
        psycopg.Cursor.copy = copy  # type: ignore[method-assign]
        psycopg.Cursor.executemany = executemany  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", _count)
