"""Agency API tests: the portal served over real HTTP with the demo data, and agency clients as an
agency would write them (PyJWT + requests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from portal.extensions import db
from portal.services.agency_api import clients as api_clients
from tests.support.agency_client import AgencyClient


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
