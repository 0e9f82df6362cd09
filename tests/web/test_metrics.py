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
