"""The agency API fixtures (the portal served over HTTP, demo agency clients) for the court needs tests."""

from tests.agency_api.conftest import agency, api_site  # noqa: F401
