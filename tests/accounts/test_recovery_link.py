"""Issue 14: a second-factor recovery link alone must not let someone take an account over.

An officer (for a victim) or an admin (for staff) resets a lost second factor after checking who the person
is, and a link goes to the phone number or email address on record. Anyone who reads that message (a shared
inbox, an abuser with the victim's phone) could otherwise set a new password and their own authenticator
app. So the link asks for the account's current password; only when the officer records that the password
was forgotten too may the holder choose a new one, and then a victim confirms the new second factor with a
code sent to a channel on record (no authenticator app until they are signed in again)."""

from __future__ import annotations

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import Invitation, User, Victim
from tests.support.demo import ADMIN, DEMO_PASSWORD, OFFICER, VICTIM
from tests.support.outbox import latest_code, latest_link, messages
from tests.support.pages import page_text, post_form
from tests.support.records import user_by_email
from tests.support.signing_in import NEW_PASSWORD, sign_in, signed_in

pytestmark = pytest.mark.security(5)


def _user(app: Flask, email: str) -> User:
    return user_by_email(app, email)


def _officer_resets(app: Flask, *, forgotten: str) -> str:
    """The officer resets the demo victim's security codes; the path of the link the victim is sent."""
    officer = signed_in(app, OFFICER)
    with app.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == VICTIM))
    done = post_form(
        officer,
        f"/staff/victims/{victim_id}/reset-security-codes",
        {"identity_checked": "y", "how": "Called back on the number held", "password_forgotten": forgotten},
    )
    assert done.status_code == 302, page_text(done)
    return latest_link(app, "/invitation/")


def _open(app: Flask, link: str) -> FlaskClient:
    holder = app.test_client()
    assert holder.get(link).headers["Location"].endswith("/create-account")
    return holder


def test_the_recovery_link_alone_cannot_set_up_an_authenticator_app(seeded: Flask) -> None:
    link = _officer_resets(seeded, forgotten="no")
    assert "You will need your password" in messages(seeded, "invitation:")[-1].body
    holder = _open(seeded, link)

    page = holder.get("/create-account")
    assert "Enter your password" in page_text(page)
    # Choosing a new password is not on offer, even posted by hand.
    forced = post_form(holder, "/create-account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "Enter your password" in page_text(forced)
    # Nor can the holder skip to choosing a second factor.
    assert holder.get("/create-account/security-codes").status_code == 404
    assert holder.get("/create-account/authenticator-app").status_code == 404

    failures = _user(seeded, VICTIM).failed_sign_ins or 0
    wrong = post_form(holder, "/create-account", {"password": "not the password at all"})
    assert "Your password is wrong" in page_text(wrong)
    assert _user(seeded, VICTIM).failed_sign_ins == failures + 1  # counted as at sign-in

    right = post_form(holder, "/create-account", {"password": DEMO_PASSWORD})
    assert right.headers["Location"].endswith("/create-account/security-codes")
    assert post_form(holder, "/create-account/security-codes", {"method": "totp"}).status_code == 302
    secret = _user(seeded, VICTIM).totp_pending_secret
    assert secret
    finished = post_form(holder, "/create-account/authenticator-app", {"code": pyotp.TOTP(secret).now()})
    assert finished.status_code == 302
    assert _user(seeded, VICTIM).mfa_method == "totp"
    # The password is the one they had: the link did not change it.
    limiter.reset()
    assert (
        "/sign-in/security-code"
        in sign_in(seeded.test_client(), VICTIM, second_factor=False).headers["Location"]
    )


def test_wrong_passwords_through_the_link_lock_the_account_and_end_the_link(seeded: Flask) -> None:
    holder = _open(seeded, _officer_resets(seeded, forgotten="no"))
    for _ in range(20):
        limiter.reset()
        response = post_form(holder, "/create-account", {"password": "a wrong guess at it"})
        if response.status_code != 200:
            break
    user = _user(seeded, VICTIM)
    assert user.locked_until is not None
    with seeded.app_context():
        invitation = db.session.scalars(select(Invitation).where(Invitation.user_id == user.id)).all()[-1]
        assert invitation.cancelled_at is not None
    assert holder.get("/create-account").status_code == 404


def test_a_forgotten_password_too_means_a_code_to_a_channel_on_record_not_an_app(seeded: Flask) -> None:
    link = _officer_resets(seeded, forgotten="yes")
    assert "You will choose a new password" in messages(seeded, "invitation:")[-1].body
    holder = _open(seeded, link)
    assert "Create a password" in page_text(holder.get("/create-account"))
    chosen = post_form(holder, "/create-account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.headers["Location"].endswith("/create-account/security-codes")

    choices = page_text(holder.get("/create-account/security-codes"))
    assert "authenticator app" not in choices.lower()
    refused = post_form(holder, "/create-account/security-codes", {"method": "totp"})
    assert refused.status_code == 200 and "There is a problem" in page_text(refused)
    assert not _user(seeded, VICTIM).totp_pending_secret

    assert post_form(holder, "/create-account/security-codes", {"method": "email"}).status_code == 302
    code = latest_code(seeded, "security-code:", to=VICTIM)
    assert post_form(holder, "/create-account/confirm-code", {"code": code}).status_code == 302
    assert _user(seeded, VICTIM).mfa_method == "email"


def test_the_officer_must_say_whether_the_password_was_forgotten_too(seeded: Flask) -> None:
    officer = signed_in(seeded, OFFICER)
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == VICTIM))
    unanswered = post_form(
        officer,
        f"/staff/victims/{victim_id}/reset-security-codes",
        {"identity_checked": "y", "how": "Called back on the number held"},
    )
    assert "Select yes if they have also forgotten their password" in page_text(unanswered)
    assert _user(seeded, VICTIM).mfa_method is not None  # nothing reset


def test_a_staff_recovery_link_asks_for_the_password_too(seeded: Flask) -> None:
    admin = signed_in(seeded, ADMIN)
    officer_id = _user(seeded, OFFICER).id
    done = post_form(
        admin,
        f"/admin/users/{officer_id}/reset-security-codes",
        {"how": "Checked with their manager by phone", "password_forgotten": "no"},
        page=f"/admin/users/{officer_id}",
    )
    assert done.status_code == 302, page_text(done)
    holder = _open(seeded, latest_link(seeded, "/invitation/"))
    assert "Enter your password" in page_text(holder.get("/create-account"))
    assert holder.get("/create-account/authenticator-app").status_code == 404
    right = post_form(holder, "/create-account", {"password": DEMO_PASSWORD})
    assert right.headers["Location"].endswith("/create-account/authenticator-app")
