"""SECURITY.md item 5: password reset link single use, 1 hour, dead once the password has changed, and
it still needs the second factor; changing the second factor (and contact details) needs the password.
(Changing the second factor also needs the current one, and wrong reset codes are counted on the server:
tests/accounts/test_security_findings.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.support.outbox import latest_code, latest_link
from tests.support.pages import page_text, post_form
from tests.support.signing_in import NEW_PASSWORD, sign_in

pytestmark = pytest.mark.security(5)

VICTIM = "victim@demo.example"


def _ask_for_link(app: Flask, client: FlaskClient) -> str:
    post_form(client, "/password-reset", {"email": VICTIM})
    return latest_link(app, "/password-reset/")


def _reset_with(app: Flask, client: FlaskClient, link: str, password: str = NEW_PASSWORD):
    opened = client.get(link)
    assert opened.status_code == 302, page_text(opened, markup=True)
    # The second factor: the demo victim gets codes by email.
    assert "We need to check it is you" in page_text(client.get("/password-reset/check"), markup=True)
    post_form(client, "/password-reset/send-code", {"resend-submit": "1"}, page="/password-reset/check")
    verified = post_form(client, "/password-reset/check", {"code": latest_code(app, "security-code:")})
    assert verified.headers["Location"].endswith("/password-reset/new-password")
    return post_form(client, "/password-reset/new-password", {"password": password, "confirm": password})


def test_sec05_reset_link_works_once(seeded: Flask, client: FlaskClient) -> None:
    link = _ask_for_link(seeded, client)
    done = _reset_with(seeded, client, link)
    assert done.headers["Location"].endswith("/password-reset/done")
    assert sign_in(client, VICTIM, NEW_PASSWORD).headers["Location"].endswith("/cases")
    reused = seeded.test_client().get(link)
    assert reused.status_code == 404 and "This link does not work" in page_text(reused, markup=True)


def test_sec05_reset_link_expires_after_1_hour(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        link = _ask_for_link(seeded, client)
        traveller.shift(timedelta(minutes=59))
        assert seeded.test_client().get(link).status_code == 302
        traveller.shift(timedelta(minutes=2))
        assert seeded.test_client().get(link).status_code == 404


def test_sec05_reset_link_is_dead_once_the_password_has_changed(seeded: Flask, client: FlaskClient) -> None:
    first = _ask_for_link(seeded, client)
    second = _ask_for_link(seeded, seeded.test_client())
    _reset_with(seeded, seeded.test_client(), second)
    assert seeded.test_client().get(first).status_code == 404


def test_sec05_reset_still_needs_the_second_factor(seeded: Flask, client: FlaskClient) -> None:
    link = _ask_for_link(seeded, client)
    client.get(link)
    # Straight to the new password page without a code: refused.
    skipped = post_form(
        client,
        "/password-reset/new-password",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        page="/password-reset/check",
    )
    assert skipped.status_code == 404
    post_form(client, "/password-reset/send-code", {"resend-submit": "1"}, page="/password-reset/check")
    wrong = post_form(client, "/password-reset/check", {"code": "000000"})
    assert "wrong or has expired" in page_text(wrong, markup=True)
    assert sign_in(client, VICTIM, NEW_PASSWORD).status_code == 200  # the password did not change


def test_sec05_password_reset_signs_out_every_session(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    assert client.get("/cases").status_code == 200
    link = _ask_for_link(seeded, seeded.test_client())
    _reset_with(seeded, seeded.test_client(), link)
    assert client.get("/cases").status_code == 302


def test_sec05_changing_the_second_factor_needs_the_password_again(
    seeded: Flask, client: FlaskClient
) -> None:
    sign_in(client, VICTIM)
    first = client.get("/account/security-codes")
    assert first.status_code == 302 and "/account/confirm-password" in first.headers["Location"]
    wrong = post_form(client, first.headers["Location"], {"password": "not-the-password"})
    assert "Your password is wrong" in page_text(wrong, markup=True)
    assert client.get("/account/security-codes").status_code == 302
    right = post_form(client, first.headers["Location"], {"password": "demo-only-password"})
    assert right.headers["Location"] == "/account/security-codes"
    # Next, the current second factor (tests/accounts/test_security_findings.py, finding 5).
    after = client.get("/account/security-codes")
    assert after.status_code == 302 and after.headers["Location"] == "/account/security-codes/current"
    assert client.get("/account/security-codes/current").status_code == 200
    # The confirmation lasts 10 minutes.
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=11), tick=True):
        client.post("/session/keep-alive")  # keep the session itself alive (idle limit is 30 minutes)
        again = client.get("/account/security-codes/current")
        assert again.status_code == 302 and "/account/confirm-password" in again.headers["Location"]


def test_sec05_changing_the_password_needs_the_password_again_and_is_checked(
    seeded: Flask, client: FlaskClient
) -> None:
    sign_in(client, VICTIM)
    assert "/account/confirm-password" in client.get("/account/password").headers["Location"]
    post_form(client, "/account/confirm-password?next=/account/password", {"password": "demo-only-password"})
    refused = post_form(client, "/account/password", {"password": "password1", "confirm": "password1"})
    assert "harder to guess" in page_text(refused, markup=True)
    changed = post_form(client, "/account/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.headers["Location"].endswith("/account")
    assert client.get("/cases").status_code == 200  # this session carries on
