"""Fixtures for the fault tests: a PostgreSQL cluster of their own (migrated, with the demo data), the
portal's processes on it (tests/faults/stack.py), the app in-process on the same database (to read what
the processes wrote), and the report of what each fault cost (instance/faults-report.json)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text

from portal import create_app, migrate
from portal.config import INSTANCE_DIR
from portal.extensions import db
from portal.services import demo_data
from tests.faults.stack import CALLBACK_TOKEN, SECRET_KEY, Cluster, Stack
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

REPORT_PATH = INSTANCE_DIR / "faults-report.json"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        yield made
    finally:
        made.destroy()


@pytest.fixture(scope="session")
def fault_database_url(cluster: Cluster) -> str:
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "portal"'))
    admin.dispose()
    url = cluster.url("portal")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def portal_app(fault_database_url: str) -> Iterator[Flask]:
    """The app in-process on the cluster, with the demo data (and its demo API keys) loaded once."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": fault_database_url,
            "SECRET_KEY": SECRET_KEY,
            "NOTIFY_CALLBACK_TOKEN": CALLBACK_TOKEN,
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "DEMO_TOTP_SECRET": DEMO_TOTP_SECRET,
        }
    )
    with app.app_context(), db.job() as session:
        demo_data.seed(session, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    yield app
    app.extensions["database"].engine.dispose()


@pytest.fixture
def make_stack(portal_app: Flask, fault_database_url: str, tmp_path: Path) -> Iterator[Callable[..., Stack]]:
    """Starts the processes (their logs in the test's tmp_path); stops them at the end."""
    started: list[Stack] = []

    def _make(**options: Any) -> Stack:
        log_dir = tmp_path / f"logs-{len(started)}"
        log_dir.mkdir()
        stack = Stack(fault_database_url, log_dir=log_dir, **options)
        started.append(stack)
        return stack.start()

    yield _make
    for stack in started:
        stack.stop()


@pytest.fixture
def fault_engine(fault_database_url: str) -> Iterator[Engine]:
    """An engine on the cluster for the test's own reads (pre-ping: it outlives a restart)."""
    engine = create_engine(fault_database_url, pool_pre_ping=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def fault_report() -> Iterator[dict[str, dict[str, Any]]]:
    """Each test records what its fault cost; written to instance/faults-report.json at the end."""
    figures: dict[str, dict[str, Any]] = {}
    yield figures
    if figures:
        INSTANCE_DIR.mkdir(exist_ok=True)
        existing: dict[str, Any] = {}
        if REPORT_PATH.exists():
            try:
                existing = json.loads(REPORT_PATH.read_text())
            except ValueError:
                existing = {}
        existing.update(figures)
        existing["_written_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        REPORT_PATH.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
        print(f"\nfault figures ({REPORT_PATH}):\n{json.dumps(figures, indent=2, sort_keys=True)}")
