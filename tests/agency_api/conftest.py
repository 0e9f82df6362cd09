"""Agency API tests: the portal served over real HTTP with the demo data, and agency clients as an
agency would write them (PyJWT + requests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import User
from portal.services.agency_api import clients as api_clients
from tests.api.agency_client import AgencyClient
from tests.conftest import DEMO_TOTP_SECRET, csrf_from, sign_in


@pytest.fixture
def api_site(seeded: Flask, live_server: str) -> Iterator[str]:
    """The demo data, served over HTTP: one demo API client per agency."""
    yield live_server


@pytest.fixture
def agency(api_site: str) -> Callable[[str], AgencyClient]:
    """agency("police") -> a client holding that agency's demo key."""

    def make(name: str) -> AgencyClient:
        return AgencyClient(api_site, api_clients.demo_client(name).key)

    return make


@pytest.fixture
def new_client(seeded: Flask, api_site: str) -> Callable[..., AgencyClient]:
    """new_client("police", force_code="02") -> a client with a key made through the service."""

    def make(agency_name: str, force_code: str | None = None, name: str = "Test system") -> AgencyClient:
        with seeded.app_context(), db.job() as session:
            new = api_clients.create_client(
                session, name=name, agency=agency_name, force_code=force_code, created_by="tests"
            )
        return AgencyClient(api_site, new.key)

    return make


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
