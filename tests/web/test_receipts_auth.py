"""SECURITY.md item 20: delivery receipts from GOV.UK Notify (`POST /notifications/receipts`) need the
callback bearer token. Without it, or with any other, the portal answers 401 in Notify's error shape and
nothing in the outbox changes; with it, the receipt is applied. (The constant-time comparison itself is
tested in tests/notifications/test_delivery_receipts.py.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from notifications import outbox
from notifications.outbox import OutboundMessage, enqueue
from portal.extensions import db

pytestmark = pytest.mark.security(20)

RECEIPTS = "/notifications/receipts"
TOKEN = "test-callback-token"  # NOTIFY_CALLBACK_TOKEN in tests/conftest.py


@pytest.fixture
def sent(app: Flask) -> Iterator[tuple[str, str]]:
    """A message Notify has accepted: (its id, Notify's id for it)."""
    notify_id = str(uuid.uuid4())
    with app.app_context(), db.job() as session:
        message = enqueue(session, channel="sms", recipient="07700900123", body="b")
        message.status = outbox.SENT
        message.attempts = 1
        message.notify_id = notify_id
        message.sent_at = datetime.now(UTC)
        message.give_up_at = datetime.now(UTC) + timedelta(hours=24)
        message_id = message.id
    assert app.config["NOTIFY_CALLBACK_TOKEN"] == TOKEN
    yield message_id, notify_id


def _receipt(message_id: str, notify_id: str) -> dict[str, Any]:
    return {
        "id": notify_id,
        "reference": message_id,
        "to": "07700900123",
        "status": "delivered",
        "created_at": "2030-05-14T12:15:30.000000Z",
        "completed_at": "2030-05-14T12:16:01.123456Z",
        "sent_at": "2030-05-14T12:15:31.000000Z",
        "notification_type": "sms",
        "template_id": str(uuid.uuid4()),
        "template_version": 1,
    }


def _outbox(app: Flask) -> list[dict[str, Any]]:
    """Every outbox row, every column."""
    columns = [attribute.key for attribute in inspect(OutboundMessage).column_attrs]
    with app.app_context(), db.job() as session:
        rows = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
        return [{column: getattr(row, column) for column in columns} for row in rows]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong-token",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN.upper()}",
        f"Basic {TOKEN}",
        TOKEN,
    ],
    ids=[
        "none",
        "empty",
        "scheme-only",
        "blank",
        "wrong",
        "longer",
        "shorter",
        "other-case",
        "basic",
        "bare",
    ],
)
def test_a_receipt_without_the_callback_token_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient, sent: tuple[str, str], authorization: str | None
) -> None:
    before = _outbox(app)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post(RECEIPTS, json=_receipt(*sent), headers=headers)
    assert response.status_code in (401, 403), response.get_data(as_text=True)
    body = response.get_json()
    assert body["status_code"] == response.status_code
    assert body["errors"][0]["error"] == "AuthError"
    assert _outbox(app) == before
    assert before[0]["status"] == outbox.SENT


def test_no_token_is_accepted_when_none_is_set(
    app: Flask, client: FlaskClient, sent: tuple[str, str]
) -> None:
    """A portal without NOTIFY_CALLBACK_TOKEN (production refuses to start so) takes no receipt at all."""
    before = _outbox(app)
    app.config["NOTIFY_CALLBACK_TOKEN"] = ""
    try:
        for authorization in ("Bearer ", "Bearer", f"Bearer {TOKEN}"):
            response = client.post(RECEIPTS, json=_receipt(*sent), headers={"Authorization": authorization})
            assert response.status_code in (401, 403)
    finally:
        app.config["NOTIFY_CALLBACK_TOKEN"] = TOKEN
    assert _outbox(app) == before


def test_a_receipt_with_the_callback_token_is_applied(
    app: Flask, client: FlaskClient, sent: tuple[str, str]
) -> None:
    message_id, _notify_id = sent
    response = client.post(RECEIPTS, json=_receipt(*sent), headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"result": "ok"}
    with app.app_context(), db.job() as session:
        message = session.get(OutboundMessage, message_id)
        assert message is not None and message.status == outbox.DELIVERED
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 1
