"""SECURITY.md item 4: lockout after 10 failed attempts per account, per-IP limits, and the same answer
whether or not the account exists, on sign-in and on password reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import AuditEvent, User
from tests.support.demo import DEMO_PASSWORD
from tests.support.outbox import messages
from tests.support.pages import normalised, post_form
from tests.support.signing_in import sign_in

pytestmark = pytest.mark.security(4)

VICTIM = "victim@demo.example"


def _attempt(client: FlaskClient, email: str, password: str):
    limiter.reset()
    return sign_in(client, email, password, second_factor=False)


def _lock(app: Flask, client: FlaskClient) -> None:
    for _ in range(10):
        assert _attempt(client, VICTIM, "not-the-password").status_code == 200


def test_sec04_lockout_on_the_11th_attempt(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        _lock(seeded, client)
        # The 11th attempt, with the right password, is refused like a wrong one.
        eleventh = _attempt(client, VICTIM, DEMO_PASSWORD)
        assert eleventh.status_code == 200
        assert "Enter a correct email address and password" in eleventh.get_data(as_text=True)
        with seeded.app_context():
            actions = db.session.scalars(select(AuditEvent.action)).all()
            assert actions.count("account-locked") == 1
            assert actions.count("sign-in-failed") == 11
        # The lock lasts an hour; then the right password works again.
        traveller.shift(timedelta(minutes=61))
        ok = _attempt(client, VICTIM, DEMO_PASSWORD)
        assert ok.status_code == 302 and ok.headers["Location"].endswith("/sign-in/security-code")


def test_sec04_nine_failures_then_the_right_password_works_and_resets_the_count(
    seeded: Flask, client: FlaskClient
) -> None:
    for _ in range(9):
        _attempt(client, VICTIM, "not-the-password")
    assert sign_in(client, VICTIM).headers["Location"].endswith("/cases")
    with seeded.app_context():
        assert db.session.scalar(select(User.failed_sign_ins).where(User.email == VICTIM)) == 0


def test_sec04_sign_in_answers_the_same_for_unknown_locked_and_wrong_password(
    seeded: Flask, client: FlaskClient
) -> None:
    email_unknown = "nobody.here@demo.example"
    unknown = _attempt(client, email_unknown, "not-the-password")
    wrong = _attempt(client, VICTIM, "not-the-password")
    _lock(seeded, seeded.test_client())
    locked_right_password = _attempt(client, VICTIM, DEMO_PASSWORD)
    locked_wrong_password = _attempt(client, VICTIM, "not-the-password")
    responses = [unknown, wrong, locked_right_password, locked_wrong_password]
    assert {r.status_code for r in responses} == {200}
    bodies = {normalised(r, email_unknown, VICTIM) for r in responses}
    assert len(bodies) == 1
    # Nothing else differs either: no cookie or header says which case it was.
    assert {tuple(sorted(k for k, _ in r.headers if k not in ("Set-Cookie",))) for r in responses} == {
        tuple(sorted(k for k, _ in unknown.headers if k not in ("Set-Cookie",)))
    }


def test_sec04_password_reset_answers_the_same_whether_or_not_the_account_exists(
    seeded: Flask, client: FlaskClient
) -> None:
    unknown_email = "nobody.here@demo.example"
    unknown = post_form(client, "/password-reset", {"email": unknown_email})
    known = post_form(client, "/password-reset", {"email": VICTIM})
    _lock(seeded, seeded.test_client())
    locked = post_form(client, "/password-reset", {"email": VICTIM})
    assert unknown.status_code == known.status_code == locked.status_code == 200
    assert normalised(unknown, unknown_email) == normalised(known, VICTIM) == normalised(locked, VICTIM)
    assert "If that email address belongs to an account" in known.get_data(as_text=True)
    # Only the real account was sent anything.
    sent = messages(seeded, "reset:")
    assert {m.recipient for m in sent} == {VICTIM}


def test_sec04_per_ip_limit_on_sign_in_answers_429(seeded: Flask, client: FlaskClient) -> None:
    seeded.config["AUTH_RATE_LIMIT"] = "5 per minute"
    limiter.reset()
    try:
        statuses = [
            post_form(
                client, "/sign-in", {"email": f"x{i}@demo.example", "password": "whatever-it-is"}
            ).status_code
            for i in range(6)
        ]
        assert statuses == [200] * 5 + [429]
        blocked = post_form(client, "/sign-in", {"email": VICTIM, "password": DEMO_PASSWORD})
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
        # Another address is not blocked.
        other = seeded.test_client()
        other.environ_base["REMOTE_ADDR"] = "192.0.2.10"
        page = other.get("/sign-in")
        assert page.status_code == 200
    finally:
        seeded.config.pop("AUTH_RATE_LIMIT", None)
        limiter.reset()
