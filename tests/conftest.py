"""Shared fixtures: every integration, API and browser test runs against SQLite and PostgreSQL.

Each test run creates its own PostgreSQL database (dropped at the end) and its own SQLite file, applies
the real Alembic migrations to both, and empties every table between tests.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from notifications.base import metadata
from portal import create_app, migrate
from portal.extensions import db, limiter

PG_SERVER_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DEMO_PASSWORD = "demo-only-password"
DEMO_TOTP_SECRET = "DEMOONLYDEMOONLYDEMOONLYDEMOONLY"


def _create_postgres_database() -> tuple[str, Any]:
    server = make_url(PG_SERVER_URL)
    name = f"vp_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server.set(database=server.database or "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return server.set(database=name).render_as_string(hide_password=False), admin


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
        migrate.upgrade(url)
        yield url
        return
    url, admin = _create_postgres_database()
    name = make_url(url).database
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
            "NOTIFY_CALLBACK_TOKEN": "test-callback-token",
            "PORTAL_BASE_URL": "http://127.0.0.1:5000",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "DEMO_TOTP_SECRET": DEMO_TOTP_SECRET,
        }
    )
    yield app
    app.extensions["database"].engine.dispose()


def _empty_all_tables(app: Flask) -> None:
    """Empty every table the migrations created (tests/integration/test_migrations.py checks that the
    migrations create exactly the tables the models describe)."""
    engine = app.extensions["database"].engine
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        for table in reversed(metadata.sorted_tables):
            if table.name in existing:
                conn.execute(table.delete())


@pytest.fixture
def app(session_app: Flask) -> Iterator[Flask]:
    _empty_all_tables(session_app)
    # Rate-limit counters live in memory for the whole session; each test starts with none used.
    limiter.reset()
    yield session_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The demo data: victim@demo.example with two cases, an officer, a support worker, an admin."""
    from portal.services import demo_data

    with app.app_context(), db.job() as session:
        demo_data.seed(session, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    return app


def second_factor_code(app: Flask, email: str) -> str:
    """The code the person would type for their second factor.

    Authenticator app (staff, and any user set to TOTP): generated from the user's secret (the demo one),
    using a 30-second step the portal has not seen used, since a used step cannot be replayed. Signing in
    more than 3 times in one step is the only case where the helper winds the replay guard back (tests
    only). Text message or email: read from the newest security-code message in the outbox, which is
    exactly the text Notify would deliver.
    """
    import re
    from datetime import UTC, datetime

    import pyotp
    from sqlalchemy import func, select

    from notifications.outbox import OutboundMessage
    from portal.models import User

    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        assert user is not None, f"no account {email}"
        if user.mfa_method == "totp":
            totp = pyotp.TOTP(user.totp_secret)
            current = totp.timecode(datetime.now(UTC))
            last = -1 if user.totp_last_step is None else user.totp_last_step
            for step in (current, current + 1, current - 1):
                if step > last:
                    return totp.generate_otp(step)
            user.totp_last_step = current - 1
            return totp.generate_otp(current)
        recipients = [user.email] + (
            [user.victim.phone] if user.victim is not None and user.victim.phone else []
        )
        message = session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.correlation.like("security-code:%"), OutboundMessage.recipient.in_(recipients)
            )
            .order_by(OutboundMessage.created_at.desc())
            .limit(1)
        ).first()
        assert message is not None, f"no security code was sent to {email}"
        found = re.search(r"\b(\d{6})\b", message.body)
        assert found is not None
        return found.group(1)


def complete_second_factor(client: FlaskClient, email: str, *, explain_exit: bool = True) -> Any:
    """Enter the second factor on the security code page; then, for a victim's first sign-in, continue
    past the page that explains "Exit this page" (explain_exit=False stops before it)."""
    page = client.get("/sign-in/security-code")
    code = second_factor_code(client.application, email)
    response = client.post(
        "/sign-in/security-code", data={"csrf_token": _csrf_from(page.get_data(as_text=True)), "code": code}
    )
    location = response.headers.get("Location", "")
    if explain_exit and response.status_code == 302 and "/exit-this-page-explained" in location:
        page = client.get(location)
        response = client.post(location, data={"csrf_token": _csrf_from(page.get_data(as_text=True))})
    return response


def sign_in(
    client: FlaskClient,
    email: str,
    password: str = DEMO_PASSWORD,
    *,
    second_factor: bool = True,
    explain_exit: bool = True,
    next_path: str | None = None,
) -> Any:
    """Sign in through the real pages (the CSRF token comes from each page): email and password, then the
    second factor (see second_factor_code), then past the quick-exit explanation on a victim's first
    sign-in. Returns the last response: a 302 to the home page (or `next_path`) when it worked, the sign-in
    page with its error otherwise. The per-IP sign-in rate limit is reset first: every test client comes
    from 127.0.0.1 (tests/integration/test_security_04_* checks the limit itself)."""
    from urllib.parse import quote

    from portal.extensions import limiter

    limiter.reset()
    page = client.get("/sign-in")
    token = _csrf_from(page.get_data(as_text=True))
    url = "/sign-in" + (f"?next={quote(next_path)}" if next_path else "")
    response = client.post(url, data={"csrf_token": token, "email": email, "password": password})
    if not second_factor or "/sign-in/security-code" not in response.headers.get("Location", ""):
        return response
    return complete_second_factor(client, email, explain_exit=explain_exit)


def _csrf_from(html: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.find(marker)
    if start == -1:
        marker = 'name="csrf_token" value="'
        start = html.find(marker)
    assert start != -1, "no CSRF token on the page"
    start += len(marker)
    return html[start : html.index('"', start)]


csrf_from = _csrf_from


# --- Browser tests: Debian's Chromium through Playwright, the app served by a real server thread. ---


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
