"""Error pages: GOV.UK style, a request id, and no internals."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from tests.support.pages import csrf_from


def test_not_found_page_has_request_id_and_no_internals(app: Flask, client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"X-Request-Id": "abc123"})
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in body
    assert "Reference: abc123" in body
    assert "Traceback" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_unexpected_error_gives_generic_500(app: Flask) -> None:
    fresh = create_app({**app.config, "SECRET_KEY": "x"})

    @fresh.route("/_test_boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    try:
        response = fresh.test_client().get("/_test_boom")
    finally:
        fresh.extensions["database"].engine.dispose()
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_database_unreachable_gives_clear_503(tmp_path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            # Nothing listens on port 1: every connection is refused.
            "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2",
        }
    )
    client = app.test_client()
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": "victim@demo.example", "password": "whatever-it-is"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body and "psycopg" not in body
    status = client.get("/_status")
    assert status.status_code == 503
    assert status.get_json() == {"status": "error", "database": "unreachable"}
