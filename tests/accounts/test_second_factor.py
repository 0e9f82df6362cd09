"""SECURITY.md item 3: a second factor on every sign-in: a 6-digit code by text message or email (10
minutes, single use, hashed, at most 5 live) or an authenticator app; staff must use the app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import SignInCode, User
from portal.services.accounts import mfa
from tests.support.demo import DEMO_TOTP_SECRET
from tests.support.outbox import latest_code, messages
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.signing_in import complete_second_factor, sign_in

pytestmark = pytest.mark.security(3)


def _password_step(client: FlaskClient, email: str) -> None:
    response = sign_in(client, email, second_factor=False)
    assert response.headers["Location"].endswith("/sign-in/security-code")


def _enter(client: FlaskClient, code: str):
    return post_form(client, "/sign-in/security-code", {"code": code})


def test_sec03_password_alone_does_not_sign_in(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "victim@demo.example")
    assert client.get("/cases").status_code == 302
    assert client.get("/account").status_code == 302
    body = page_text(client.get("/sign-in/security-code"), markup=True)
    assert "Check your email" in body and "v•••••@demo.example" in body


def test_sec03_code_expires_after_10_minutes(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        _password_step(client, "victim@demo.example")
        code = latest_code(seeded, "security-code:")
        traveller.shift(timedelta(minutes=10, seconds=5))
        response = _enter(client, code)
        assert response.status_code == 200
        assert "The security code is wrong or has expired" in page_text(response, markup=True)
        assert client.get("/cases").status_code == 302
        # A new code sent now works.
        post_form(
            client, "/sign-in/security-code/resend", {"resend-submit": "1"}, page="/sign-in/security-code"
        )
        assert _enter(client, latest_code(seeded, "security-code:")).status_code == 302
        assert client.get("/cases").status_code == 200


def test_sec03_code_works_just_before_10_minutes(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        _password_step(client, "victim@demo.example")
        code = latest_code(seeded, "security-code:")
        traveller.shift(timedelta(minutes=9, seconds=30))
        response = _enter(client, code)
        assert response.status_code == 302 and "/sign-in" not in response.headers["Location"]


def test_sec03_code_is_single_use_and_cannot_be_replayed(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "victim@demo.example")
    code = latest_code(seeded, "security-code:")
    assert _enter(client, code).status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/account").get_data(as_text=True))})

    other = seeded.test_client()
    _password_step(other, "victim@demo.example")
    replay = _enter(other, code)  # the old code, not the new one just sent
    assert replay.status_code == 200
    assert "The security code is wrong or has expired" in page_text(replay, markup=True)
    assert other.get("/cases").status_code == 302


def test_sec03_codes_are_stored_hashed(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "victim@demo.example")
    code = latest_code(seeded, "security-code:")
    with seeded.app_context():
        rows = db.session.scalars(select(SignInCode)).all()
        assert len(rows) == 1
        assert code not in rows[0].code_hash and len(rows[0].code_hash) == 64
        assert rows[0].expires_at - rows[0].created_at == timedelta(minutes=10)


def test_sec03_at_most_5_codes_are_live(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "victim@demo.example")
    codes = [latest_code(seeded, "security-code:")]
    for _ in range(6):
        post_form(
            client, "/sign-in/security-code/resend", {"resend-submit": "1"}, page="/sign-in/security-code"
        )
        codes.append(latest_code(seeded, "security-code:"))
    assert len(messages(seeded, "security-code:")) == 7
    with seeded.app_context():
        live = db.session.scalars(select(SignInCode).where(SignInCode.used_at.is_(None))).all()
        assert len(live) == 5
    # The two oldest no longer work; the newest does.
    assert "wrong or has expired" in page_text(_enter(client, codes[0]), markup=True)
    assert "wrong or has expired" in page_text(_enter(client, codes[1]), markup=True)
    assert _enter(client, codes[-1]).status_code == 302
    assert client.get("/cases").status_code == 200


def test_sec03_authenticator_code_cannot_be_replayed(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC), tick=False):
        code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
        _password_step(client, "officer@demo.example")
        assert _enter(client, code).status_code == 302
        assert client.get("/staff").status_code == 200
        client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/staff").get_data(as_text=True))})

        other = seeded.test_client()
        _password_step(other, "officer@demo.example")
        assert _enter(other, code).status_code == 200  # same 30-second step: refused
        assert other.get("/staff").status_code == 302


def test_sec03_authenticator_accepts_one_step_either_side_only() -> None:
    class FakeUser:
        totp_secret = DEMO_TOTP_SECRET
        totp_last_step = None

    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    now = datetime(2026, 12, 1, 10, 0, 15, tzinfo=UTC)
    for offset, ok in ((-60, False), (-30, True), (30, True), (60, False)):
        user = FakeUser()
        code = totp.at(now + timedelta(seconds=offset))
        assert mfa.check_totp(user, code, at=now) is ok, offset  # type: ignore[arg-type]


def test_sec03_staff_and_support_workers_must_use_an_authenticator_app(seeded: Flask) -> None:
    with seeded.app_context():
        for email in ("officer@demo.example", "support@demo.example", "admin@demo.example"):
            user = db.session.scalar(select(User).where(User.email == email))
            assert mfa.allowed_methods(user) == ("totp",)
        victim = db.session.scalar(select(User).where(User.email == "victim@demo.example"))
        assert mfa.allowed_methods(victim) == ("sms", "email", "totp")


def test_sec03_staff_sign_in_asks_for_the_app_code(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "support@demo.example")
    assert "Enter the code from your authenticator app" in page_text(
        client.get("/sign-in/security-code"), markup=True
    )
    assert messages(seeded, "security-code:") == []  # nothing is sent for an app
    response = complete_second_factor(client, "support@demo.example")
    assert response.headers["Location"].endswith(
        "/support"
    )  # a support worker starts at the people they help


def test_sec03_five_wrong_codes_end_the_sign_in(seeded: Flask, client: FlaskClient) -> None:
    _password_step(client, "victim@demo.example")
    for _ in range(4):
        assert _enter(client, "000000").status_code == 200
    last = _enter(client, "000000")
    assert last.headers["Location"].endswith("/sign-in")
    assert client.get("/sign-in/security-code").headers["Location"].endswith("/sign-in")


def test_sec03_staff_with_a_code_by_email_cannot_sign_in(seeded: Flask, client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        officer = session.scalar(select(User).where(User.email == "officer@demo.example"))
        officer.mfa_method = "email"  # not allowed for staff, however it got there
    response = sign_in(client, "officer@demo.example", second_factor=False)
    assert response.status_code == 200 and "Enter a correct email address and password" in page_text(
        response, markup=True
    )
    assert messages(seeded, "security-code:") == []
