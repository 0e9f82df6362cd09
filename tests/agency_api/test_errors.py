"""Errors on /api paths are JSON in Notify's shape, never an HTML page and never internals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portal import create_app
from portal.services.agency_api import clients as api_clients
from portal.services.agency_api import communications as api_communications
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient


def test_an_unexpected_error_is_a_json_500_without_internals(
    agency: Callable[[str], AgencyClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api_communications, "communications_json", broken)
    response = agency("police").communications(DEMO_CASE_URN, headers={"X-Request-Id": "req-123"})
    assert response.status_code == 500
    assert response.json() == {
        "status_code": 500,
        "errors": [
            {
                "error": "ServerError",
                "message": "Internal server error. Quote the request id req-123 if you report it",
            }
        ],
    }


def test_database_down_is_a_json_503() -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2",
        }
    )
    token = AgencyClient("http://unused", api_clients.demo_client("police").key).token()
    response = app.test_client().get(
        f"/api/v1/cases/{DEMO_CASE_URN}/communications", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.get_json()["errors"][0]["error"] == "ServiceUnavailableError"
    assert "psycopg" not in response.get_data(as_text=True)
