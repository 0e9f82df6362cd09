"""Security review, finding 8: production must not fail open when settings are missing.

With PORTAL_ENV=production the portal refuses to start (every web process, the worker, the release
command) unless each setting it needs is there and sound, and says which are not, all at once. Nothing
falls back to the one-machine defaults (a key made in instance/, the Notify sandbox, SQLite, memory rate
limits with several web processes). `flask seed` and the demo keys on /api/v1/docs exist only outside
production. Also finding 2's part: several web processes without Redis do not start.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.config import SANDBOX_API_KEY
from portal.services.agency_api import clients as api_clients

pytestmark = pytest.mark.security(8)

NOTIFY_KEY = f"portal_live-{uuid.uuid4()}-{uuid.uuid4()}"
PRODUCTION: dict[str, str] = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "s" * 16 + uuid.uuid4().hex + uuid.uuid4().hex,
    "NOTIFY_API_KEY": NOTIFY_KEY,
    "NOTIFY_CALLBACK_TOKEN": "callback-" + uuid.uuid4().hex,
    "METRICS_TOKEN": "metrics-" + uuid.uuid4().hex,
    "PORTAL_BASE_URL": "https://victims-portal.example.gov.uk",
    # Never connected to by these tests: nothing here touches the database.
    "DATABASE_URL": "postgresql+psycopg://portal@127.0.0.1:5432/vp_no_such_database",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "WEB_CONCURRENCY": "4",
    "NOTIFY_EMAIL_TEMPLATE_ID": str(uuid.uuid4()),
    "NOTIFY_SMS_TEMPLATE_ID": str(uuid.uuid4()),
    "NOTIFY_LETTER_TEMPLATE_ID": str(uuid.uuid4()),
    "SERVICE_OWNER": "Exampleshire Office of the Police and Crime Commissioner",
    "PRIVACY_CONTACT_EMAIL": "data.protection@example.gov.uk",
    "ACCESSIBILITY_CONTACT_EMAIL": "accessibility@example.gov.uk",
}
# Read by the portal's settings; each test starts from exactly the variables it sets.
OTHER_VARIABLES = ("NOTIFY_BASE_URL", "SECURE_COOKIES", "PROXY_HOPS")
# The counters stay in this process's memory, whatever REDIS_URL says: the tests never reach Redis.
IN_MEMORY = {"RATELIMIT_STORAGE_URI": "memory://"}


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A production environment with every setting right; tests take settings away or spoil them."""
    for name in OTHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    yield monkeypatch


def _start(config: dict[str, Any] | None = None) -> Flask:
    app = create_app({**IN_MEMORY, **(config or {})})
    app.extensions["database"].engine.dispose()
    return app


def _refused(*names: str) -> str:
    """create_app() refuses to start; its error names every one of `names`. Returns the message."""
    with pytest.raises(RuntimeError) as refused:
        _start()
    message = str(refused.value)
    for name in names:
        assert name in message, message
    return message


def test_finding8_production_starts_with_every_setting(production: pytest.MonkeyPatch) -> None:
    app = _start()
    assert app.config["PORTAL_ENV"] == "production"
    # Notify itself, never the local sandbox, unless NOTIFY_BASE_URL says otherwise.
    assert app.config["NOTIFY_BASE_URL"] == "https://api.notifications.service.gov.uk"
    assert app.config["SECURE_COOKIES"] is True


@pytest.mark.parametrize(
    "name",
    [
        "SECRET_KEY",
        "NOTIFY_API_KEY",
        "NOTIFY_CALLBACK_TOKEN",
        "METRICS_TOKEN",
        "PORTAL_BASE_URL",
        "DATABASE_URL",
        "NOTIFY_EMAIL_TEMPLATE_ID",
        "NOTIFY_SMS_TEMPLATE_ID",
        "NOTIFY_LETTER_TEMPLATE_ID",
        "SERVICE_OWNER",
        "PRIVACY_CONTACT_EMAIL",
        "ACCESSIBILITY_CONTACT_EMAIL",
    ],
)
def test_finding8_production_refuses_to_start_without_each_setting(
    production: pytest.MonkeyPatch, name: str
) -> None:
    production.delenv(name)
    message = _refused(name)
    assert "PORTAL_ENV=production" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "too-short"),
        ("NOTIFY_API_KEY", SANDBOX_API_KEY),  # the local sandbox's key
        ("NOTIFY_API_KEY", "not-a-notify-key"),
        ("NOTIFY_CALLBACK_TOKEN", "short"),
        ("PORTAL_BASE_URL", "http://victims-portal.example.gov.uk"),
        ("PORTAL_BASE_URL", "https://"),
        ("DATABASE_URL", "sqlite:////srv/portal.sqlite3"),
        ("NOTIFY_BASE_URL", "http://127.0.0.1:6011"),  # the sandbox
        ("REDIS_URL", "http://cache.internal:6379"),
        ("SECURE_COOKIES", "false"),
        ("NOTIFY_SMS_TEMPLATE_ID", "not-an-id"),
    ],
)
def test_finding8_production_refuses_to_start_with_an_unsound_setting(
    production: pytest.MonkeyPatch, name: str, value: str
) -> None:
    production.setenv(name, value)
    message = _refused(name)
    assert value not in message or len(value) < 12  # secrets are not repeated in the error


def test_finding8_production_names_every_problem_at_once(production: pytest.MonkeyPatch) -> None:
    names = ("SECRET_KEY", "NOTIFY_API_KEY", "NOTIFY_CALLBACK_TOKEN", "METRICS_TOKEN", "DATABASE_URL")
    for name in names:
        production.delenv(name)
    production.setenv("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    _refused(*names, "PORTAL_BASE_URL")


def test_finding8_the_local_fallbacks_are_not_used_in_production(production: pytest.MonkeyPatch) -> None:
    """Without SECRET_KEY or NOTIFY_CALLBACK_TOKEN the portal does not quietly make its own in instance/,
    and without NOTIFY_API_KEY it does not use the sandbox's."""
    for name in ("SECRET_KEY", "NOTIFY_CALLBACK_TOKEN", "NOTIFY_API_KEY"):
        production.delenv(name)
    message = _refused("SECRET_KEY", "NOTIFY_CALLBACK_TOKEN", "NOTIFY_API_KEY")
    assert "not set" in message


def test_finding8_an_unknown_portal_env_is_refused(monkeypatch: pytest.MonkeyPatch, app: Flask) -> None:
    """A misspelt PORTAL_ENV must not quietly mean "development"."""
    config = {key: value for key, value in app.config.items() if key != "PORTAL_ENV"}
    monkeypatch.setenv("PORTAL_ENV", "prod")
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        create_app(config)


def test_finding2_production_refuses_several_web_processes_without_redis(
    production: pytest.MonkeyPatch,
) -> None:
    production.delenv("REDIS_URL")
    message = _refused("REDIS_URL", "WEB_CONCURRENCY")
    assert "4 web processes" in message
    # gunicorn.conf.py's default (two workers per core) is more than one process too.
    production.delenv("WEB_CONCURRENCY")
    _refused("REDIS_URL", "WEB_CONCURRENCY")
    # One web process may keep its counters in memory.
    production.setenv("WEB_CONCURRENCY", "1")
    assert _start().config["REDIS_URL"] == ""
    production.setenv("WEB_CONCURRENCY", "several")
    _refused("WEB_CONCURRENCY")


def test_finding2_proxy_hops_must_be_a_whole_number(monkeypatch: pytest.MonkeyPatch, app: Flask) -> None:
    config = {key: value for key, value in app.config.items() if key != "PROXY_HOPS"}
    monkeypatch.setenv("PROXY_HOPS", "two")
    with pytest.raises(RuntimeError, match="PROXY_HOPS"):
        create_app(config)
    with pytest.raises(RuntimeError, match="PROXY_HOPS"):
        create_app({**config, "PROXY_HOPS": -1})


def test_finding8_flask_seed_is_refused_in_production(production: pytest.MonkeyPatch) -> None:
    app = _start()
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code != 0
    assert "production" in result.output and "Demo data loaded" not in result.output, result.output
    if_empty = app.test_cli_runner().invoke(args=["seed", "--if-empty"])
    assert if_empty.exit_code != 0 and "production" in if_empty.output


def test_finding8_demo_keys_are_shown_on_the_api_reference_only_outside_production(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [key for _, key in api_clients.demo_keys()]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert all(key in page for key in keys) and "Try it with the demo data" in page
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for key in keys:
        assert key not in page
    assert "Try it with the demo data" not in page and "Demo keys" not in page
    assert "Authenticate each request" in page and "API_KEY = " in page  # the rest of the page is there
