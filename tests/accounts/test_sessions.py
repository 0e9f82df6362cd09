"""SECURITY.md item 6: a new session at sign-in; sign-out, password change and "sign out everywhere"
(by the victim or an officer) end every session at once; 30 minutes idle and 12 hours absolute for
victims, with the GOV.UK timeout warning; Secure, HttpOnly, SameSite=Lax, __Host- cookies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import AuditEvent, Victim
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.signing_in import NEW_PASSWORD, complete_second_factor, sign_in, signed_in

pytestmark = pytest.mark.security(6)

VICTIM = "victim@demo.example"


def _session_cookie(client: FlaskClient, name: str = "session") -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None
    return cookie.value


def _copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the same session cookie (a stolen or shared device)."""
    other = app.test_client()
    other.set_cookie("session", _session_cookie(client))
    return other


def test_sec06_sign_in_starts_a_new_session(seeded: Flask, client: FlaskClient) -> None:
    client.get("/sign-in")
    before = _session_cookie(client)
    sign_in(client, VICTIM)
    after = _session_cookie(client)
    assert before != after
    planted = seeded.test_client()
    planted.set_cookie("session", before)  # a session fixed before sign-in gives nothing
    assert planted.get("/cases").status_code == 302
    with client.session_transaction() as cookie:
        first_id = cookie["sid"]
    sign_in(seeded.test_client(), VICTIM)
    with client.session_transaction() as cookie:
        assert cookie["sid"] == first_id
    again = signed_in(seeded, VICTIM)
    with again.session_transaction() as cookie:
        assert cookie["sid"] != first_id


#: What someone could leave in a browser's session before its owner signs in: a password just confirmed
#: and a second factor just checked (from their own account), a session id they know, the reset and
#: delegation journeys' state. A real attacker gets such a cookie signed by using the portal themselves.
PLANTED = {
    "sid": "planted-session-id",
    "password_confirmed_at": None,  # now, filled in below
    "second_factor_checked_at": None,
    "reset_verified": 1,
    "delegation_sent": 1,
    "preference_draft": "planted-draft-token",
}


def _plant(client: FlaskClient) -> None:
    with client.session_transaction() as cookie:
        for key, value in PLANTED.items():
            cookie[key] = int(datetime.now(UTC).timestamp()) if value is None else value


def _nothing_planted_survives(client: FlaskClient) -> None:
    with client.session_transaction() as cookie:
        survived = {key for key in PLANTED if key != "sid" and key in cookie}
        assert not survived, f"carried over from before sign-in: {sorted(survived)}"
        assert cookie["sid"] != PLANTED["sid"]


@pytest.mark.parametrize("planted_at", ["before the password", "between the password and the code"])
def test_sec06_nothing_left_in_the_browser_before_sign_in_carries_into_the_session(
    seeded: Flask, client: FlaskClient, planted_at: str
) -> None:
    """Session fixation with cookie sessions: the danger is state carried across sign-in, not a session
    id the server remembers. Each step of sign-in starts the session afresh, so a password "confirmed"
    by whoever used the browser before does not let the next person change contact details unasked."""
    client.get("/sign-in")
    if planted_at == "before the password":
        _plant(client)
        assert sign_in(client, VICTIM).status_code == 302
    else:
        assert "/sign-in/security-code" in sign_in(client, VICTIM, second_factor=False).headers["Location"]
        _plant(client)
        complete_second_factor(client, VICTIM)
    assert client.get("/cases").status_code == 200
    _nothing_planted_survives(client)
    # What the victim would notice: changing their email address asks for their password first.
    assert "/account/confirm-password" in client.get("/preferences/contact/email").headers["Location"]


def test_sec06_old_cookie_is_refused_after_sign_out_everywhere(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    stolen = _copy_of(seeded, client)
    phone = signed_in(seeded, VICTIM)
    assert stolen.get("/cases").status_code == 200 and phone.get("/cases").status_code == 200
    response = post_form(client, "/account/sign-out-everywhere")
    assert response.headers["Location"].endswith("/signed-out?everywhere=1")
    for other in (stolen, phone, client):
        assert other.get("/cases").status_code == 302
    with seeded.app_context():
        assert "signed-out-everywhere" in db.session.scalars(select(AuditEvent.action)).all()


def test_sec06_old_cookie_is_refused_after_signing_out(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    stolen = _copy_of(seeded, client)
    post_form(client, "/sign-out", page="/cases")
    assert stolen.get("/cases").status_code == 302


def test_sec06_officer_can_sign_a_victim_out_everywhere(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    officer = signed_in(seeded, "officer@demo.example")
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == VICTIM))
    account = f"/staff/victims/{victim_id}/account"
    assert officer.get(account).status_code == 200
    response = post_form(officer, f"/staff/victims/{victim_id}/sign-out-everywhere", page=account)
    assert response.status_code == 302
    assert client.get("/cases").status_code == 302
    assert "They have been signed out on every device" in page_text(officer.get(account), markup=True)


def test_sec06_password_change_ends_the_other_sessions(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    other = signed_in(seeded, VICTIM)
    post_form(client, "/account/confirm-password?next=/account/password", {"password": DEMO_PASSWORD})
    post_form(client, "/account/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other.get("/cases").status_code == 302
    assert client.get("/cases").status_code == 200


def test_sec06_victim_signed_out_after_30_minutes_idle(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(client, VICTIM)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/cases").status_code == 200  # activity renews the idle timer
        traveller.shift(timedelta(minutes=29))
        assert client.get("/cases").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/cases")
        assert response.status_code == 302 and response.headers["Location"].endswith("/timed-out")
        assert "we signed you out because you did not do anything for 30 minutes" in page_text(
            client.get("/timed-out"), markup=True
        )
        assert client.get("/cases").status_code == 302
    with seeded.app_context():
        assert "session-timed-out" in db.session.scalars(select(AuditEvent.action)).all()


def test_sec06_victim_signed_out_after_12_hours_however_active(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(client, VICTIM)
        for _ in range(11 * 3):
            traveller.shift(timedelta(minutes=20))
            client.post("/session/keep-alive", headers={"X-CSRFToken": _token(client)})
        assert client.get("/cases").status_code == 200
        traveller.shift(timedelta(hours=1, minutes=1))
        assert client.get("/cases").headers["Location"].endswith("/timed-out")


def test_sec06_pages_show_the_timeout_warning(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    body = client.get("/cases").get_data(as_text=True)
    text = page_text(client.get("/cases"), markup=True)
    assert "we will sign you out if you do nothing for 30 minutes" in text
    assert 'data-module="app-session-timeout"' in body and "<dialog" in body
    assert 'data-remaining-seconds="' in body
    assert "You're about to be signed out" in page_text(body) and "Stay signed in" in body
    keep = client.post("/session/keep-alive", headers={"X-CSRFToken": _token(client)})
    assert keep.status_code == 200 and 1790 <= keep.get_json()["remaining_seconds"] <= 1800
    assert "showModal" in _static(seeded, "/static/js/session-timeout.js")
    assert "session-timeout.js" in _static(seeded, "/static/js/app.js")


def _static(app: Flask, path: str) -> str:
    with app.test_client().get(path) as response:
        return response.get_data(as_text=True)


def test_sec06_cookies_are_httponly_and_samesite_lax_with_no_remember_me(
    seeded: Flask, client: FlaskClient
) -> None:
    response = sign_in(client, VICTIM)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie and "Path=/" in session_cookie
    assert "Expires" not in session_cookie  # a browser-session cookie
    assert client.get_cookie("remember_token") is None
    assert seeded.config["REMEMBER_COOKIE_DURATION"] == 0


def test_sec06_secure_host_prefixed_cookie_over_https(seeded: Flask, database_url: str) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "another-test-key",
            "SECURE_COOKIES": True,
            "DEMO_TOTP_SECRET": DEMO_TOTP_SECRET,
        }
    )
    try:
        client = app.test_client()
        response = client.get("/sign-in", base_url="https://localhost")
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-session=")
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Domain" not in cookie and "Path=/" in cookie
        # Forms still work over HTTPS although browsers send no Referer (Referrer-Policy: no-referrer).
        token = (
            response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        )
        posted = client.post(
            "/sign-in",
            base_url="https://localhost",
            data={"csrf_token": token, "email": VICTIM, "password": DEMO_PASSWORD},
        )
        assert posted.status_code == 302 and posted.headers["Location"].endswith("/sign-in/security-code")
    finally:
        app.extensions["database"].engine.dispose()


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))
