"""GET /metrics: Prometheus text with request counts and the outbox and overdue figures; counts only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal import create_app


def test_metrics_report_requests_outbox_and_overdue_updates(seeded: Flask, client: FlaskClient) -> None:
    client.get("/sign-in")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    body = response.get_data(as_text=True)
    assert 'portal_requests_total{endpoint="auth.sign_in",status="200"}' in body
    assert "portal_database_up 1.0" in body
    # The demo updates were never opened or announced, and their deadlines have passed.
    assert "portal_updates_past_deadline_untold 19.0" in body
    assert "victim@demo.example" not in body
    assert "Sam" not in body


def test_metrics_need_the_token_when_one_is_set(app: Flask) -> None:
    guarded = create_app({**app.config, "METRICS_TOKEN": "scrape-token"})
    client = guarded.test_client()
    try:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token"}).status_code == 200
    finally:
        guarded.extensions["database"].engine.dispose()


def test_an_overdue_update_is_untold_until_its_letter_has_arrived(seeded: Flask, client: FlaskClient) -> None:
    """A letter tells the victim when it arrives, not when it is posted (DOMAIN.md): the overdue figure
    counts an update untold while its letter is still in the post."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from notifications.outbox import OutboundMessage
    from portal.extensions import db
    from portal.models import CaseUpdate, Communication
    from portal.services.demo_data import DEMO_VICTIM_ID

    def untold() -> str:
        body = client.get("/metrics").get_data(as_text=True)
        return next(
            line for line in body.splitlines() if line.startswith("portal_updates_past_deadline_untold")
        )

    with seeded.app_context(), db.job() as session:
        update = session.scalars(select(CaseUpdate).where(CaseUpdate.code_deadline.is_not(None))).first()
        letter = OutboundMessage(
            channel="letter",
            address=["Sam Sample", "1 Demo Street", "Exampletown", "EX1 1AA"],
            subject="You have a new update",
            body="You have a new update.",
            status="delivered",
            delivered_at=datetime.now(UTC),  # printed and posted just now
        )
        session.add(letter)
        session.flush()
        session.add(
            Communication(
                victim_id=DEMO_VICTIM_ID,
                update_id=update.id,
                outbound_message_id=letter.id,
                channel="letter",
                purpose="update",
            )
        )
        letter_id = letter.id
    assert untold() == "portal_updates_past_deadline_untold 19.0"
    with seeded.app_context(), db.job() as session:
        session.get(OutboundMessage, letter_id).delivered_at = datetime.now(UTC) - timedelta(days=7)
    assert untold() == "portal_updates_past_deadline_untold 18.0"
