"""Helpers for the SECURITY.md tests: read what Notify would deliver, make people and cases."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import User, Victim
from portal.services.accounts import invitations
from portal.services.cases import records as case_records
from portal.services.preferences import records as preferences
from tests.conftest import csrf_from

NEW_PASSWORD = "correct horse battery staple 42"


def messages(app: Flask, correlation_prefix: str = "") -> list[OutboundMessage]:
    with app.app_context(), db.job() as session:
        rows = session.scalars(select(OutboundMessage).order_by(OutboundMessage.created_at)).all()
        session.expunge_all()
    return [m for m in rows if (m.correlation or "").startswith(correlation_prefix)]


def latest_link(app: Flask, path: str) -> str:
    """The path of the newest link to `path` (e.g. "/invitation/") in any message."""
    for message in reversed(messages(app)):
        found = re.search(rf"https?://[^/\s]+({re.escape(path)}[A-Za-z0-9_\-]+)", message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no message with a {path} link")


def latest_code(app: Flask) -> str:
    message = messages(app, "security-code:")[-1]
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found
    return found.group(1)


def add_victim(
    app: Flask,
    *,
    urn: str = "01CD3333326",
    email: str | None = "new.victim@demo.example",
    phone: str | None = "07700900456",
    invite: bool = True,
    safe_channels: tuple[str, ...] = ("email", "sms"),
) -> str:
    """A new victim on a case of force 01 (the demo officer's unit), with the channels the agency was told
    are safe at reporting, invited as the API would."""
    with app.app_context(), db.job() as session:
        victim = Victim(given_name="Nia", family_name="Newperson", email=email, phone=phone)
        case, _ = case_records.upsert_case(session, urn, offence="Harassment")
        case_records.add_victim(session, case, victim)
        safe_channels = tuple(c for c in safe_channels if (c != "email" or email) and (c != "sms" or phone))
        if safe_channels:
            preferences.record_preferences(
                session,
                victim,
                {"channels": list(safe_channels), "safe": dict.fromkeys(safe_channels, True)},
                actor=None,
                actor_label="Police (test)",
                source="agency at reporting",
            )
        if invite:
            invitations.invite_victim(session, victim, invited_by_label="Police (test)", case=case)
        return victim.id


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, page: str | None = None
) -> Any:
    """GET the page for its CSRF token, then POST the form to `path`."""
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_from(html), **(data or {})})


def accept_invitation(
    app: Flask, client: FlaskClient, *, method: str = "email", password: str = NEW_PASSWORD
) -> Any:
    """Open the newest invitation link, create a password, choose `method`, confirm it."""
    import pyotp

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
    return post_form(client, "/create-account/confirm-code", {"code": latest_code(app)})


def user_by_email(app: Flask, email: str) -> User:
    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        session.expunge(user)
        return user


def email_of_newest_user(app: Flask) -> str:
    with app.app_context(), db.job() as session:
        user = session.scalars(select(User).order_by(User.id.desc())).first()
        assert user is not None
        return user.email


def page_text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def normalised(response: Any, *values: str) -> str:
    """The body without what differs per request: CSRF token, CSP nonce, request id, and `values`."""
    body = response.get_data(as_text=True)
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token" value=""', body)
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r"Reference: [0-9a-f]+", "Reference:", body)
    for value in values:
        body = body.replace(value, "VALUE")
    return body
