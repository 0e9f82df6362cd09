"""Signing in and creating an account through the real pages, with the second factor a person would
type: from an authenticator app (the demo secret) or from the message in the outbox."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from notifications.outbox import OutboundMessage
from portal.extensions import db, limiter
from portal.models import User
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.support.outbox import latest_code, latest_link
from tests.support.pages import csrf_from, post_form
from tests.support.records import email_of_newest_user, user_by_email

NEW_PASSWORD = "correct horse battery staple 42"


def second_factor_code(app: Flask, email: str) -> str:
    """The code the person would type for their second factor.

    Authenticator app (staff, and any user set to TOTP): generated from the user's secret (the demo one),
    using a 30-second step the portal has not seen used, since a used step cannot be replayed. Signing in
    more than 3 times in one step is the only case where the helper winds the replay guard back (tests
    only). Text message or email: read from the newest security-code message in the outbox, which is
    exactly the text Notify would deliver.
    """
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
        "/sign-in/security-code", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "code": code}
    )
    location = response.headers.get("Location", "")
    if explain_exit and response.status_code == 302 and "/exit-this-page-explained" in location:
        page = client.get(location)
        response = client.post(location, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
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
    from 127.0.0.1 (tests/accounts/test_lockout_and_enumeration.py checks the limit itself)."""
    limiter.reset()
    page = client.get("/sign-in")
    token = csrf_from(page.get_data(as_text=True))
    url = "/sign-in" + (f"?next={quote(next_path)}" if next_path else "")
    response = client.post(url, data={"csrf_token": token, "email": email, "password": password})
    if not second_factor or "/sign-in/security-code" not in response.headers.get("Location", ""):
        return response
    return complete_second_factor(client, email, explain_exit=explain_exit)


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A new test client, signed in as `email` (the demo password)."""
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def sign_in_with_totp(app: Flask, client: FlaskClient, email: str) -> None:
    """Sign in through the real pages, the second factor from an authenticator app (the demo secret).

    The demo victim receives codes by email; here they use the app instead so the test needs no inbox.
    The per-IP sign-in limit is reset first: every test signs in from 127.0.0.1 within the same minute."""
    with app.app_context():
        limiter.reset()
    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        user.mfa_method, user.totp_secret = "totp", DEMO_TOTP_SECRET
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    if "/security-code" in response.headers["Location"]:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        done = client.post(
            response.headers["Location"],
            data={"csrf_token": csrf_from(page), "code": pyotp.TOTP(DEMO_TOTP_SECRET).now()},
        )
        assert done.status_code == 302 and "/sign-in" not in done.headers["Location"], done.headers


def accept_invitation(
    app: Flask, client: FlaskClient, *, method: str = "email", password: str = NEW_PASSWORD
) -> Any:
    """Open the newest invitation link, create a password, choose `method`, confirm it."""
    link = latest_link(app, "/invitation/")
    assert client.get(link).status_code == 302
    response = post_form(client, "/create-account", {"password": password, "confirm": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"].endswith("/create-account/security-codes"):
        response = post_form(client, "/create-account/security-codes", {"method": method})
        assert response.status_code == 302, response.get_data(as_text=True)
    if method == "totp":
        user = user_by_email(app, email_of_newest_user(app))
        code = pyotp.TOTP(user.totp_pending_secret).now()
        return post_form(client, "/create-account/authenticator-app", {"code": code})
    return post_form(client, "/create-account/confirm-code", {"code": latest_code(app, "security-code:")})


def decoded_session(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The session cookie as anyone holding it can read it (the signature hides nothing)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    return dict(serializer.loads(cookie.value))
