"""Fixtures shared by every area: the databases (every integration, API and browser test runs against
SQLite and PostgreSQL), the app, its test client (which checks every HTML page it fetches), the demo
data, one signed-in client per role, a live server for the API and browser tests, and a bare app for
code that only translates text.

Each test run creates its own PostgreSQL database (dropped at the end) and its own SQLite file, applies
the real Alembic migrations to both, and empties every table between tests. What the tests share besides
fixtures is in tests/support/ (no tests there).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import Babel
from sqlalchemy import Table, inspect
from werkzeug.serving import make_server

from notifications.base import metadata
from portal import create_app, migrate
from portal.extensions import db, limiter
from portal.services.accounts import passwords
from tests.support.checking_client import CheckingClient
from tests.support.databases import empty_postgresql_database
from tests.support.demo import ADMIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.signing_in import signed_in

collect_ignore = ["support"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.security(n)` names one SECURITY.md item, 1 to 24. `@pytest.mark.sqlite_only` tests
    (what the browser renders or the HTML checker reads does not depend on the database) run once, on
    SQLite, instead of on both databases."""
    deselected = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only")
        and getattr(getattr(item, "callspec", None), "params", {}).get("database_url") == "postgresql"
    ]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]
    for item in items:
        for mark in item.iter_markers("security"):
            if mark.kwargs or len(mark.args) != 1 or not isinstance(mark.args[0], int):
                raise pytest.UsageError(
                    f"{item.nodeid}: write @pytest.mark.security(n), n a SECURITY.md item"
                )
            if not 1 <= mark.args[0] <= 24:
                raise pytest.UsageError(f"{item.nodeid}: SECURITY.md has items 1 to 24, not {mark.args[0]}")


#: The portal's own Argon2id hasher and its dummy hash (for unknown accounts), as passwords.py makes them.
PORTAL_HASHING = (passwords._hasher, passwords._DUMMY_HASH)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its lowest cost for the tests.

    At the portal's cost one hash or check takes about 0.1 s of both cores, and about 3,000 tests make
    one (the demo data, every sign-in). The rules around the hash are the same at any cost (Argon2id,
    the check against a dummy hash for unknown accounts); `portal_password_hashing` puts the portal's
    own hasher back for the tests of the hash itself (tests/accounts/test_passwords.py)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap)
        patch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not-a-real-password-used-for-timing-only"))
        yield


@pytest.fixture
def portal_password_hashing(cheap_password_hashing: None, monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """The portal's own Argon2id cost for this test."""
    hasher, dummy = PORTAL_HASHING
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", dummy)
    return hasher


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
        migrate.upgrade(url)
        yield url
        return
    with empty_postgresql_database(f"vp_test_{os.getpid()}") as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            # Every victim's view of a case that uses a kept standing checks it against one worked out
            # afresh: the whole suite tests that the kept copy follows every change it makes.
            "KEPT_STANDING_CHECKED": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
            "NOTIFY_CALLBACK_TOKEN": "test-callback-token",
            "PORTAL_BASE_URL": "http://127.0.0.1:5000",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "DEMO_TOTP_SECRET": DEMO_TOTP_SECRET,
        }
    )
    # Every page a test fetches is checked: it parses, its ids are unique, its scripts carry the CSP
    # nonce, and it shows no None or Undefined (tests/support/checking_client.py).
    app.test_client_class = CheckingClient
    yield app
    app.extensions["database"].engine.dispose()


def _empty_all_tables(app: Flask) -> None:
    """Empty every table the migrations created (tests/database/test_migrations.py checks that the
    migrations create exactly the tables the models describe)."""
    engine = app.extensions["database"].engine
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        tables = [table for table in reversed(metadata.sorted_tables) if table.name in existing]
        if conn.dialect.name == "postgresql":
            # All in one round trip (a tenth of the time of one statement a table).
            quote = conn.dialect.identifier_preparer.format_table
            conn.exec_driver_sql("; ".join(f"DELETE FROM {quote(table)}" for table in tables))
            return
        for table in tables:
            conn.execute(table.delete())


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    _empty_all_tables(session_app)
    # Rate-limit counters live in memory for the whole session; each test starts with none used.
    limiter.reset()
    # A setting a test changes (a retention period, the service owner) is put back after it: the app is
    # the whole session's, and a later test on the same worker must see the settings it was made with.
    settings = dict(session_app.config)
    yield session_app
    session_app.config.clear()
    session_app.config.update(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


#: The rows `demo_data.seed` wrote, table by table, on each database (the first test that needs them),
#: and when: copied for at most DEMO_ROWS_KEPT, so that the demo's dates (a hearing next week, an update
#: yesterday) stay as near to the clock as a fresh seed's, and never from another day.
_DEMO_ROWS: dict[str, tuple[datetime, list[tuple[Table, list[dict[str, Any]]]]]] = {}
DEMO_ROWS_KEPT = timedelta(minutes=5)
LONDON = ZoneInfo("Europe/London")


def _every_row(app: Flask) -> list[tuple[Table, list[dict[str, Any]]]]:
    """Every row of every table, parents first, as the columns' own types read them."""
    engine = app.extensions["database"].engine
    with app.app_context(), engine.connect() as conn:
        existing = set(inspect(conn).get_table_names())
        found = []
        for table in metadata.sorted_tables:
            if table.name in existing:
                rows = conn.execute(table.select().order_by(*table.primary_key.columns)).mappings()
                found.append((table, [{column.key: row[column] for column in table.columns} for row in rows]))
        return [(table, rows) for table, rows in found if rows]


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The demo data: victim@demo.example with two cases, an officer, a support worker, an admin.

    Written by `demo_data.seed` for the first test on each database, then copied back row for row (the
    same ids, the same timestamps) before each later test: seeding through the services costs 0.1 to 0.3 s
    a test, copying a few milliseconds."""
    from portal.services import demo_data

    url = app.config["DATABASE_URL"]
    now = datetime.now(UTC)
    kept = _DEMO_ROWS.get(url)
    if (
        kept is None
        or now - kept[0] > DEMO_ROWS_KEPT
        or kept[0].astimezone(LONDON).date() != now.astimezone(LONDON).date()
    ):
        with app.app_context(), db.job() as session:
            demo_data.seed(session, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
        _DEMO_ROWS[url] = (now, _every_row(app))
        return app
    with app.app_context(), app.extensions["database"].engine.begin() as conn:
        for table, rows in kept[1]:
            conn.execute(table.insert(), rows)
    return app


# --- One signed-in client per role, on the demo data (tests/support/demo.py names the people). ---


@pytest.fixture
def victim_client(seeded: Flask) -> FlaskClient:
    """Signed in as the demo victim, Sam Sample (past the "Exit this page" explanation)."""
    return signed_in(seeded, VICTIM)


@pytest.fixture
def officer_client(seeded: Flask) -> FlaskClient:
    """Signed in as the demo witness care officer (force 01's unit)."""
    return signed_in(seeded, OFFICER)


@pytest.fixture
def support_worker_client(seeded: Flask) -> FlaskClient:
    """Signed in as the demo support worker, Sunny Supporter (Demo Victim Support)."""
    return signed_in(seeded, SUPPORT_WORKER)


@pytest.fixture
def admin_client(seeded: Flask) -> FlaskClient:
    """Signed in as the demo service administrator."""
    return signed_in(seeded, ADMIN)


# --- A bare app with Flask-Babel, for code that translates text. ---


@pytest.fixture(scope="session")
def babel_app() -> Flask:
    """A minimal app: English by default, no translations loaded. Deliberately not `create_app`: tests
    of pure rules need only an app context for gettext."""
    app = Flask(__name__)
    app.config.update(TESTING=True, BABEL_DEFAULT_LOCALE="en")
    Babel(app)
    return app


@pytest.fixture
def babel_app_context(babel_app: Flask) -> Iterator[Flask]:
    """An application context for the minimal app, so gettext and force_locale work. Use it with
    ``pytestmark = pytest.mark.usefixtures("babel_app_context")``."""
    with babel_app.app_context():
        yield babel_app


# --- The app served over real HTTP (agency API and browser tests), and Debian's Chromium. ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _buffered(app: Flask) -> Callable[..., list[bytes]]:
    """Read each response whole and close it before the server writes a byte.

    Werkzeug's development server skips closing the response when the browser drops the connection
    first (Exit this page navigates away mid-download), which leaves a static file open and turns into
    an unraisable ResourceWarning in whichever test runs next.
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@pytest.fixture(scope="session")
def live_server(session_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, _buffered(session_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
