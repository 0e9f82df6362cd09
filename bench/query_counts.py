"""SQL statements per page, counted in-process (Flask test client, a `before_cursor_execute` listener on
the app's engine), for a victim whose case has 150 updates and one whose case has 5: the counts must be
the same. Pages are counted on their third view: the first view of a timeline also records what the
victim has now seen (a one-off write, which makes a kept standing stale), the second keeps the victim's
standing in the case, the third uses it (portal/services/cases/kept_standing.py).

The victims sign in through the real pages; their security code is read from the outbox row the
sign-in wrote (the text Notify would deliver); the officer's code comes from their authenticator secret.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from bench.seed import BenchData
from bench.signin import csrf_token
from notifications.outbox import OutboundMessage
from portal.extensions import db


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.extensions["database"].engine

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def statements_for(app: Flask, client: FlaskClient, path: str, headers: dict[str, str] | None = None) -> int:
    with counting(app) as statements:
        response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(statements)


def _outbox_code(app: Flask, email: str) -> str:
    with app.app_context(), db.job() as session:
        body = session.scalar(
            select(OutboundMessage.body)
            .where(OutboundMessage.recipient == email, OutboundMessage.correlation.like("security-code:%"))
            .order_by(OutboundMessage.created_at.desc())
            .limit(1)
        )
    match = re.search(r"\b(\d{6})\b", body or "")
    if match is None:
        raise RuntimeError(f"no security code in the outbox for {email}")
    return match.group(1)


def sign_in(app: Flask, email: str, password: str, totp_secret: str | None = None) -> FlaskClient:
    client = app.test_client()
    page = client.get("/sign-in")
    client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "email": email, "password": password},
    )
    page = client.get("/sign-in/security-code")
    code = pyotp.TOTP(totp_secret).now() if totp_secret else _outbox_code(app, email)
    response = client.post(
        "/sign-in/security-code", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "code": code}
    )
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/sign-in" in location:
        raise RuntimeError(f"could not sign {email} in ({response.status_code} {location})")
    if "/exit-this-page-explained" in location:
        page = client.get(location)
        client.post(location, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    return client


def _api_headers(data: BenchData) -> dict[str, str]:
    key = data.api_keys["police"]
    token = jwt.encode(
        {"iss": key[-73:-37], "iat": int(time.time()), "jti": str(uuid.uuid4())}, key[-36:], algorithm="HS256"
    )
    return {"Authorization": f"Bearer {token}"}


def measure(app: Flask, data: BenchData) -> list[dict[str, Any]]:
    """For each main page: statements with few updates and with many, and whether they are equal."""
    victim = sign_in(app, data.victim_email, data.password)
    small = sign_in(app, data.small_victim_email, data.password)
    officer = sign_in(app, data.officer_email, data.password, data.totp_secret)
    big_case, small_case = data.timeline_urn, data.small_urn
    pages: list[tuple[str, FlaskClient, str, FlaskClient, str, bool]] = [
        ("victim: your cases", small, "/cases", victim, "/cases", False),
        ("victim: case timeline", small, f"/cases/{small_case}", victim, f"/cases/{big_case}", False),
        (
            "officer: victim",
            officer,
            f"/staff/victims/{data.small_victim_id}",
            officer,
            f"/staff/victims/{data.victim_id}",
            False,
        ),
        (
            "officer: case timeline",
            officer,
            f"/staff/victims/{data.small_victim_id}/cases/{small_case}",
            officer,
            f"/staff/victims/{data.victim_id}/cases/{big_case}",
            False,
        ),
        (
            "API: communications",
            app.test_client(),
            f"/api/v1/cases/{small_case}/communications",
            app.test_client(),
            f"/api/v1/cases/{big_case}/communications",
            True,
        ),
        (
            "API: preferences",
            app.test_client(),
            f"/api/v1/cases/{small_case}/victims/{data.small_victim_id}/preferences",
            app.test_client(),
            f"/api/v1/cases/{big_case}/victims/{data.victim_id}/preferences",
            True,
        ),
    ]
    results = []
    for name, few_client, few_path, many_client, many_path, api in pages:
        counts = []
        for client, path in ((few_client, few_path), (many_client, many_path)):
            for _view in range(2):  # opening what is new, then keeping the standing
                statements_for(app, client, path, _api_headers(data) if api else None)
            counts.append(statements_for(app, client, path, _api_headers(data) if api else None))
        results.append(
            {
                "page": name,
                "few_updates": counts[0],
                "many_updates": counts[1],
                "constant": counts[0] == counts[1],
            }
        )
    return results
