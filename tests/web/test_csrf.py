"""SECURITY.md item 7: a CSRF token on every state-changing form; no GET changes state."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.extensions import db
from portal.models import User
from tests.support.pages import csrf_from
from tests.support.signing_in import sign_in

pytestmark = pytest.mark.security(7)

# Not cookie-authenticated, so not open to CSRF: the agency API (JWT), Notify's receipts (bearer token) and
# GOV.UK One Login's back-channel logout (a logout token signed by One Login: tests/one_login/).
TOKEN_AUTHENTICATED = ("api.", "api_fallback.", "receipts.", "auth.one_login_back_channel_logout")


def _build(rule: Rule, values: dict[str, str]) -> str:
    path = rule.rule
    for arg, value in values.items():
        for converter in ("", "int:", "path:"):
            path = path.replace(f"<{converter}{arg}>", value)
    return path


def _post_rules(app: Flask) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and not rule.endpoint.startswith(TOKEN_AUTHENTICATED)
    ]


def test_sec07_every_form_post_without_a_csrf_token_is_refused(seeded: Flask, client: FlaskClient) -> None:
    rules = _post_rules(seeded)
    assert len(rules) > 20
    sign_in(client, "victim@demo.example")
    anonymous = seeded.test_client()
    for rule in rules:
        path = _build(rule, dict.fromkeys(rule.arguments, "1"))
        for who in (client, anonymous):
            response = who.post(path, data={"email": "victim@demo.example", "password": "x"})
            assert response.status_code == 400, (rule.rule, response.status_code)
            assert "Traceback" not in response.get_data(as_text=True)
    # And the victim is still signed in: nothing happened.
    assert client.get("/cases").status_code == 200


def test_sec07_a_token_from_another_session_is_refused(seeded: Flask, victim_client: FlaskClient) -> None:
    attacker = seeded.test_client()
    foreign_token = csrf_from(attacker.get("/sign-in").get_data(as_text=True))
    response = victim_client.post("/account/sign-out-everywhere", data={"csrf_token": foreign_token})
    assert response.status_code == 400
    assert victim_client.get("/cases").status_code == 200


def test_sec07_no_get_changes_state(seeded: Flask, victim_client: FlaskClient) -> None:
    with seeded.app_context():
        before = db.session.scalar(select(User.session_generation).where(User.email == "victim@demo.example"))
    for rule in seeded.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in ("static", "assets"):
            continue
        victim_client.get(_build(rule, dict.fromkeys(rule.arguments, "x")))
    assert victim_client.get("/cases").status_code == 200  # still signed in: no GET signed us out
    with seeded.app_context():
        after = db.session.scalar(select(User.session_generation).where(User.email == "victim@demo.example"))
    assert before == after
    for path in ("/sign-out", "/sign-out/quick", "/account/sign-out-everywhere"):
        response = victim_client.get(path)
        assert response.status_code in (200, 405), path
    assert victim_client.get("/cases").status_code == 200
    exit_response = victim_client.get("/exit")
    assert exit_response.status_code == 303
    assert exit_response.headers["Location"] == "https://www.bbc.co.uk/weather"
