"""SECURITY.md item 8: headers on every response (walks the whole url_map, signed out and signed in as
each kind of user): CSP with a nonce and frame-ancestors 'none', HSTS one year, nosniff, no-referrer,
Cache-Control: no-store on every page (all but static files)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(8)

STATIC = ("static", "assets", "api.static")
SAMPLE_FILE = {"static": "js/app.js", "assets": "images/favicon.ico", "api.static": "x"}


def _url(rule: Rule) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = (
            SAMPLE_FILE.get(rule.endpoint, "x")
            if arg == "filename"
            else ("1" if f"<int:{arg}>" in path else "x")
        )
        for converter in ("", "int:", "path:"):
            path = path.replace(f"<{converter}{arg}>", value)
    return path


def _check(response, url: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, url
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_\-]{16,}'", csp), url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert headers.get("Strict-Transport-Security", "").startswith("max-age=31536000"), url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "no-referrer", url
    assert headers.get("X-Request-Id"), url
    if not url.startswith(("/static/", "/assets/", "/api/v1/static/")):
        assert headers.get("Cache-Control") == "no-store", url
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)  # type: ignore[union-attr]
        for script in re.findall(r"<script\b[^>]*>", body):
            assert f'nonce="{nonce}"' in script, (url, script)


def _walk(app: Flask, client: FlaskClient) -> int:
    checked = 0
    for rule in app.url_map.iter_rules():
        for method in ("GET", "POST"):
            if method not in (rule.methods or set()):
                continue
            url = _url(rule)
            response = client.open(url, method=method)
            try:
                _check(response, url)
            finally:
                response.close()
            checked += 1
    return checked


def test_sec08_headers_on_every_route_signed_out(seeded: Flask, client: FlaskClient) -> None:
    assert _walk(seeded, client) > 60


@pytest.mark.sqlite_only  # the headers do not depend on the database; the walk is long
def test_sec08_headers_on_every_route_for_each_role(seeded: Flask) -> None:
    for email in (
        "victim@demo.example",
        "officer@demo.example",
        "support@demo.example",
        "admin@demo.example",
    ):
        client = signed_in(seeded, email)
        _walk(seeded, client)


def test_sec08_signed_in_pages_are_never_stored(seeded: Flask, victim_client: FlaskClient) -> None:
    for path in ("/cases", "/account", "/account/who-has-viewed", "/staying-safe-online"):
        response = victim_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"
        assert "Cookie" in response.headers.get("Vary", "")
