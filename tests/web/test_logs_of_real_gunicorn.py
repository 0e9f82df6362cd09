"""SECURITY.md item 13: no passwords, codes, tokens or contact details in the logs, checked on what the
real server writes, not only in-process.

The Procfile's `web` command line itself (gunicorn with gunicorn.conf.py, the access log on stdout), bound
to 127.0.0.1 on a free port, one worker, on a temporary SQLite database with the demo data. A journey over
HTTP: the demo victim signs in with a wrong password, then the right one and the emailed code (read from
the outbox), opens a case, changes a preference; an agency system calls the API with a forged token, with
none, and with a good one. Then everything gunicorn wrote to stdout and stderr is searched for the
victim's details and every secret the journey used.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from flask import Flask

from bench.processes import BIN, Service, free_port, wait_for_http
from portal import create_app, migrate
from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.services import demo_data
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, VICTIM
from tests.support.signing_in import second_factor_code

pytestmark = pytest.mark.security(13)

WRONG_PASSWORD = "not-the-password-" + uuid.uuid4().hex[:8]
# The demo victim as the demo data describes them (portal/services/demo_data.py).
PERSONAL = (
    VICTIM,
    "Sam Sample",
    "Sample",
    "07700900123",
    "07700 900123",
    "7700900123",
    "1 Demo Street",
    "EX1 1AA",
)
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def _procfile_web_command(port: int) -> str:
    """The Procfile's `web` line, bound to 127.0.0.1 instead of every interface."""
    [line] = [
        line for line in (PROJECT_ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    ]
    command = line.removeprefix("web:").strip()
    assert "0.0.0.0:" in command, command
    return "exec " + command.replace("0.0.0.0:", "127.0.0.1:")


@pytest.fixture
def portal_app(tmp_path: Path) -> Iterator[Flask]:
    """A new SQLite database, migrated and seeded with the demo data, and the app in-process on it (to
    read the emailed code from the outbox)."""
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    migrate.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "NOTIFY_CALLBACK_TOKEN": secrets.token_hex(16),
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "DEMO_TOTP_SECRET": DEMO_TOTP_SECRET,
        }
    )
    with app.app_context(), db.job() as session:
        demo_data.seed(session, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    yield app
    app.extensions["database"].engine.dispose()


@pytest.fixture
def gunicorn(portal_app: Flask, tmp_path: Path) -> Iterator[Service]:
    """The Procfile's web process on the same database; its stdout and stderr go to tmp_path/web.log."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NOTIFY_", "PORTAL_", "DATABASE_", "REDIS_", "SECRET_", "DEMO_", "PROXY_"))
    }
    env.update(
        {
            "PORT": str(port),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONPATH": str(PROJECT_ROOT),
            "WEB_CONCURRENCY": "1",
            "DATABASE_URL": portal_app.config["DATABASE_URL"],
            "SECRET_KEY": portal_app.config["SECRET_KEY"],
            "NOTIFY_CALLBACK_TOKEN": portal_app.config["NOTIFY_CALLBACK_TOKEN"],
            "NOTIFY_BASE_URL": f"http://127.0.0.1:{free_port()}",  # nothing is sent: no worker runs
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        }
    )
    log_path = tmp_path / "web.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["/bin/bash", "-c", _procfile_web_command(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    service = Service("web", process, log_path, port)
    try:
        wait_for_http(service, "/_status", timeout=30)
        yield service
    finally:
        service.stop(grace=10)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def _post_form(
    http: requests.Session, url: str, data: dict[str, str], *, page: str | None = None
) -> requests.Response:
    token = _csrf(http.get(page or url, timeout=10).text)
    return http.post(url, data={"csrf_token": token, **data}, allow_redirects=False, timeout=10)


def _victim_journey(app: Flask, base: str, cookies: set[str]) -> str:
    """Sign in, open a case, change a preference; every cookie value the portal sets goes in `cookies`.
    Returns the sign-in code."""
    http = requests.Session()
    http.headers["User-Agent"] = "log-scan-test/1"
    http.hooks["response"].append(
        lambda response, *_args, **_kwargs: cookies.update(response.cookies.values())
    )
    wrong = _post_form(http, f"{base}/sign-in", {"email": VICTIM, "password": WRONG_PASSWORD})
    assert wrong.status_code == 200
    right = _post_form(http, f"{base}/sign-in", {"email": VICTIM, "password": DEMO_PASSWORD})
    assert right.status_code == 302 and "/sign-in/security-code" in right.headers["Location"], right.text
    code = second_factor_code(app, VICTIM)
    done = _post_form(http, f"{base}/sign-in/security-code", {"code": code})
    assert done.status_code == 302 and "/sign-in" not in done.headers["Location"], done.headers
    if "/exit-this-page-explained" in done.headers["Location"]:
        _post_form(http, f"{base}/exit-this-page-explained", {})
    case = http.get(f"{base}/cases/{DEMO_CASE_URN}", timeout=10)
    assert case.status_code == 200
    assert "Sam" in case.text  # the page itself does show the victim's details ...
    http.get(f"{base}/preferences/needs/start", timeout=10)
    changed = _post_form(http, f"{base}/preferences/needs/language", {"answer": "cy"})
    assert changed.status_code == 302, changed.text
    saved = _post_form(http, f"{base}/preferences/needs/check", {})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/confirmation"), saved.headers
    return code


def _api_calls(base: str) -> list[str]:
    key = api_clients.demo_client("police").key
    client_id, secret = key[-73:-37], key[-36:]
    now = int(time.time())
    good = jwt.encode({"iss": client_id, "iat": now, "jti": str(uuid.uuid4())}, secret, algorithm="HS256")
    forged = jwt.encode(
        {"iss": client_id, "iat": now, "jti": str(uuid.uuid4())}, f"forged-{uuid.uuid4()}", algorithm="HS256"
    )
    url = f"{base}/api/v1/cases/{DEMO_CASE_URN}/communications"
    assert requests.get(url, headers={"Authorization": f"Bearer {forged}"}, timeout=10).status_code == 403
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": f"Bearer {good}"}, timeout=10).status_code == 200
    return [key, secret, good, forged]


def test_gunicorns_own_output_holds_no_personal_data_or_secrets(portal_app: Flask, gunicorn: Service) -> None:
    cookies: set[str] = set()
    code = _victim_journey(portal_app, gunicorn.url, cookies)
    api_secrets = _api_calls(gunicorn.url)
    cookies.discard("")
    assert cookies, "the victim's session cookie"
    gunicorn.stop(grace=10)  # everything written and flushed
    log = gunicorn.log_path.read_text(errors="replace")

    # The capture works: gunicorn's access log of this very journey is there.
    for line in (
        "POST /sign-in ",
        "POST /sign-in/security-code ",
        f"GET /cases/{DEMO_CASE_URN} ",
        "/api/v1/",
    ):
        assert line in log, f"{line!r} not in gunicorn's output:\n{log}"

    secrets_used = {
        "password": DEMO_PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "sign-in code": code,
        "SECRET_KEY": portal_app.config["SECRET_KEY"],
        "NOTIFY_CALLBACK_TOKEN": portal_app.config["NOTIFY_CALLBACK_TOKEN"],
        **{f"API key or token {n}": value for n, value in enumerate(api_secrets)},
        **{f"cookie {n}": value for n, value in enumerate(sorted(cookies))},
    }
    found = [what for what, value in secrets_used.items() if value in log]
    found += [f"personal data {value!r}" for value in PERSONAL if value.lower() in log.lower()]
    found += [f"a JWT {match[:12]}..." for match in JWT_SHAPE.findall(log)]
    assert not found, f"in gunicorn's output: {found}\n{log}"
