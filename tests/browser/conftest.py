"""Browser tests (Debian's Chromium through Playwright): the demo data served by a real server thread.
The helpers they use are in tests/support/browser.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal.extensions import limiter
from tests.support import browser


@pytest.fixture
def demo_site(seeded: Flask, live_server: str) -> Iterator[str]:
    browser.served["app"] = seeded
    limiter.reset()
    yield live_server
