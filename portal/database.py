"""The database handle: one engine per app, one session (and so one transaction) per request or job.

Services and data functions never commit. A request commits once when it finishes without error
(see `Database.init_app`); a worker job uses `Database.job()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

_JSON = json.JSONDecoder()


def json_loads(data: str | bytes | memoryview) -> Any:
    """A JSON column's value as read: what `json.loads` gives, without its checks on every call (a
    victim's case page reads the details of each of the case's updates: 150 of them cost about 0.13 ms
    less). PostgreSQL's driver hands over UTF-8 bytes, SQLite a str."""
    return _JSON.decode(data if isinstance(data, str) else str(data, "utf-8"))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings this service needs on each backend."""
    kwargs.setdefault("json_deserializer", json_loads)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, connect_args={"options": _in_utc(url)}, **kwargs)


def _in_utc(url: str) -> str:
    """The connection's `options` (any the URL gives kept) with its time zone set to UTC, whatever the
    server's own TimeZone: every time is read and written in UTC (models/base.py), and the driver then
    hands back times already in UTC, which are not converted again row by row (with a zone such as
    Etc/UTC each time read costs a conversion: tens of thousands on an officer's report). No statement is
    added: the setting travels with the connection's start-up."""
    given = make_url(url).query.get("options", "")
    options = " ".join(given) if isinstance(given, tuple) else given
    return f"{options} -c timezone=UTC".strip()


class _AppDatabase:
    """The engine and session factory of one app (tests build several apps in one process)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)


class Database:
    """Hands out the current app's engine and the request's session."""

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = _AppDatabase(app.config["DATABASE_URL"])

        @app.teardown_appcontext
        def _close_session(exc: BaseException | None) -> None:
            session: Session | None = g.pop("_db_session", None)
            if session is not None:
                session.rollback()
                session.close()

    @staticmethod
    def _state() -> _AppDatabase:
        state: _AppDatabase | None = current_app.extensions.get("database")
        if state is None:
            raise RuntimeError("Database.init_app() has not been called for this app")
        return state

    @property
    def engine(self) -> Engine:
        return self._state().engine

    @property
    def session(self) -> Session:
        """The session of the current request or job, created on first use."""
        session: Session | None = g.get("_db_session")
        if session is None:
            session = self._state().session_factory()
            g._db_session = session
        return session

    def commit_request(self) -> None:
        session: Session | None = g.get("_db_session")
        if session is not None:
            session.commit()

    @contextmanager
    def job(self) -> Iterator[Session]:
        """A unit of work outside a request: commits on success, rolls back on error."""
        session = self._state().session_factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
