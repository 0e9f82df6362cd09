"""Browsers keep the service's stylesheets and scripts until they change, and never an old one: every
page asks for them at versioned addresses (a hash of the contents) which may be kept a year; any other
address is checked with the server each time. Pages themselves stay no-store."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"


def _version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _static_addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_a_page_asks_for_each_stylesheet_and_script_at_its_versioned_address(client: FlaskClient) -> None:
    page = client.get("/help")
    html = page.get_data(as_text=True)
    addresses = _static_addresses(html)
    names = {address.split("?")[0] for address in addresses}
    assert {"/static/govuk/govuk-frontend.min.css", "/static/css/app.css", "/static/js/app.js"} <= names
    for address in addresses:
        path, _, query = address.partition("?")
        assert query == f"v={_version(STATIC / path.removeprefix('/static/'))}", address
    # The modules app.js imports are mapped to their versioned addresses too.
    found = re.search(r'<script type="importmap" nonce="[^"]+">(.*?)</script>', html, re.S)
    assert found is not None
    imports = json.loads(found.group(1))["imports"]
    imported = re.findall(r"import .*?'(/static/[^']+)'", (STATIC / "js/app.js").read_text())
    assert sorted(imports) == sorted(imported)
    for specifier, address in imports.items():
        assert address == f"{specifier}?v={_version(STATIC / specifier.removeprefix('/static/'))}"
    assert page.headers["Cache-Control"] == "no-store"


def test_the_versioned_address_may_be_kept_a_year_and_sets_no_cookie(client: FlaskClient) -> None:
    path = "/static/css/app.css"
    with client.get(f"{path}?v={_version(STATIC / 'css/app.css')}") as answer:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Set-Cookie" not in answer.headers
        assert answer.data == (STATIC / "css/app.css").read_bytes()


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v="])
def test_any_other_address_is_checked_with_the_server_each_time(client: FlaskClient, query: str) -> None:
    with client.get(f"/static/js/app.js{query}") as answer:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-cache"
        etag = answer.headers["ETag"]
    with client.get(f"/static/js/app.js{query}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_a_new_address_at_once(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "static"
    shutil.copytree(STATIC / "css", folder / "css")
    before_folder = app.static_folder
    app.static_folder = str(folder)
    try:
        client = app.test_client()
        first = _static_addresses(client.get("/help").get_data(as_text=True))
        old = next(address for address in first if address.startswith("/static/css/app.css"))
        (folder / "css/app.css").write_text("/* changed */ body { margin: 0 }\n")
        second = _static_addresses(client.get("/help").get_data(as_text=True))
        new = next(address for address in second if address.startswith("/static/css/app.css"))
        assert new != old and new.endswith(_version(folder / "css/app.css"))
        # The page from before the change asks for the old version: it gets today's file, not kept.
        with client.get(old) as stale:
            assert stale.headers["Cache-Control"] == "no-cache"
            assert b"changed" in stale.data
    finally:
        app.static_folder = before_folder


def test_a_name_outside_the_static_folder_has_no_version(app: Flask) -> None:
    from portal.web.static_files import version_of

    assert version_of(app, "../portal/__init__.py") is None
    assert version_of(app, "no-such-file.css") is None
    assert version_of(app, "css/app.css") == _version(STATIC / "css/app.css")
