"""In Chromium: after the first page, a victim's next pages fetch no stylesheet or script from the server
(each is kept at its versioned address, portal/web/static_files.py), and the scripts still run: the
modules app.js imports load through the import map, once each, and do their work."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import sign_in_as
from tests.support.demo import VICTIM

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


class _Network:
    """The /static/ requests the page made, and which of them the browser answered from its cache."""

    def __init__(self, page: Page) -> None:
        self.sent: dict[str, str] = {}
        self.cached: set[str] = set()
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", lambda event: self.cached.add(event["requestId"]))
        session.on("Network.responseReceived", self._received)

    def _sent(self, event: dict[str, Any]) -> None:
        if "/static/" in event["request"]["url"]:
            self.sent[event["requestId"]] = event["request"]["url"]

    def _received(self, event: dict[str, Any]) -> None:
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def clear(self) -> None:
        self.sent.clear()
        self.cached.clear()

    def from_server(self) -> list[str]:
        return sorted(url for request_id, url in self.sent.items() if request_id not in self.cached)


def test_later_pages_fetch_no_static_file_and_the_scripts_still_run(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        network = _Network(page)
        sign_in_as(page, demo_site, VICTIM)
        page.goto(f"{demo_site}/cases", wait_until="load")
        assert any("/static/js/quick-exit.js?v=" in url for url in network.sent.values()), network.sent
        for path in ("/account", "/help", "/cases"):
            network.clear()
            page.goto(f"{demo_site}{path}", wait_until="load")
            assert len(network.sent) >= 7, (path, network.sent)  # 3 stylesheets, app.js and its 3 modules
            assert network.from_server() == [], path
            # quick-exit.js ran (it points the button straight at the exit address) ...
            root = page.locator('[data-module="govuk-exit-this-page"]')
            assert page.locator(".govuk-exit-this-page__button").get_attribute("href") == root.get_attribute(
                "data-app-exit-url"
            )
            # ... and so did GOV.UK Frontend, from its versioned module.
            assert page.evaluate("document.querySelectorAll('[data-govuk-exit-this-page-init]').length") == 1
            # Every module was asked for at its versioned address only.
            assert all("?v=" in url for url in network.sent.values()), network.sent
    finally:
        context.close()
