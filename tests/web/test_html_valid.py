"""Every page is valid HTML: the Nu HTML Checker (vnu.jar, the W3C's checker, from npm's vnu-jar, run with
Debian's Java; `make install` and `make browser` bring both) finds no error on any page a GET reaches, by
every role, with real ids, nor on the pages with more than one form or an error summary.

Data first, so the pages show what can go wrong: an update whose time has microseconds (a <time
datetime> must not), a message that did not arrive, staff views of the victim's information. Where Java
or vnu.jar is missing the checker test is skipped, saying which; the rest of this file still runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.services import vocabulary
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import create_communication, create_update
from tests.support.demo import DEMO_PASSWORD, OFFICER, VICTIM
from tests.support.every_page import ROLES, get_paths
from tests.support.pages import post_form
from tests.support.signing_in import sign_in, signed_in

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: Pages that leave the service.
LEAVE = {"/exit"}
#: Errors still to fix, each as (words of where, words of the message) and what to do; their templates
#: belong to others' work in progress. The test fails while an entry is no longer needed: remove it then.
NOT_YET: dict[tuple[str, str], str] = {}


def _checker() -> list[str]:
    java = shutil.which("java")
    # `make test` (and so CI) installs both; only a partial local set-up may skip, never CI.
    missing = (
        "the Nu HTML Checker needs Java: run `make browser` (Debian's default-jre-headless)"
        if java is None
        else f"the Nu HTML Checker is not installed ({VNU_JAR}): run `make install` (npm's vnu-jar)"
        if not VNU_JAR.is_file()
        else None
    )
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    # One JVM checks every page. The client compiler alone (TieredStopAtLevel=1) and the serial collector
    # halve its CPU time for a run this short; what it reports is the same.
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR)]


def _errors(pages: dict[str, str], folder: Path) -> list[str]:
    """The checker's errors on each page ({where it came from: its HTML}), each naming the page."""
    names: dict[str, str] = {}
    for where, html in pages.items():
        name = hashlib.blake2b(where.encode(), digest_size=8).hexdigest() + ".html"
        (folder / name).write_text(html, encoding="utf-8")
        names[name] = where
    done = subprocess.run(
        [*_checker(), "--errors-only", "--format", "json", *sorted(str(folder / name) for name in names)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stderr or done.stdout)
    return [
        f"{names.get(Path(message.get('url', '')).name, message.get('url'))}, line {message.get('lastLine')}: "
        f"{message['message']} [{message.get('extract', '').strip()}]"
        for message in report["messages"]
        if message.get("type") == "error"
    ]


def _data(app: Flask) -> None:
    create_update(
        app,
        DEMO_CASE_URN,
        "hearing-scheduled",
        agency="witness_care",
        agency_event_id="WCU-HTML-1",
        occurred_at=datetime(2026, 3, 10, 9, 30, 15, 123456, tzinfo=UTC),
        details=vocabulary.get_event_type("hearing-scheduled").details_schema["examples"][0],
    )
    create_communication(app, DEMO_VICTIM_ID, status="permanent-failure", failure_reason="wrong number")


def _every_page(app: Flask) -> dict[str, str]:
    """Every page a GET reaches, by every role (staff before the victim, so she has views to see)."""
    paths = [path for path in get_paths(app) if path not in LEAVE]
    pages: dict[str, str] = {}
    for who in sorted(ROLES, key=lambda role: role == VICTIM):
        client = signed_in(app, who) if who else app.test_client()
        for path in paths:
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                pages[f"{who or 'nobody signed in'}: GET {path}"] = response.get_data(as_text=True)
    return pages


def _more_states(app: Flask) -> dict[str, str]:
    """Pages with an error summary, and pages with more than one form."""
    pages: dict[str, str] = {}
    client = app.test_client()
    pages["sign in with nothing entered"] = post_form(
        client, "/sign-in", {"email": "", "password": ""}
    ).get_data(as_text=True)
    sign_in(client, VICTIM, DEMO_PASSWORD, second_factor=False)
    pages["security code page, with a second form to send a new code"] = client.get(
        "/sign-in/security-code"
    ).get_data(as_text=True)
    victim = signed_in(app, VICTIM)
    victim.get("/people-helping-you/new")
    post_form(victim, "/people-helping-you/new/who", {"kind": "person"})
    pages["a support worker's email that is not an email address"] = post_form(
        victim, "/people-helping-you/new/email", {"email": "not an address"}
    ).get_data(as_text=True)
    pages["check your answers, with a second form to cancel"] = victim.get(
        "/preferences/contact/check"
    ).get_data(as_text=True)
    officer = signed_in(app, OFFICER)
    pages["an officer's page of a victim's account, with its forms"] = officer.get(
        f"/staff/victims/{DEMO_VICTIM_ID}/account"
    ).get_data(as_text=True)
    return pages


@pytest.mark.sqlite_only
def test_every_page_is_valid_html(seeded: Flask, tmp_path: Path) -> None:
    _checker()
    _data(seeded)
    pages = {**_every_page(seeded), **_more_states(seeded)}
    assert len(pages) > 60
    errors = _errors(pages, tmp_path)
    known = {key for key in NOT_YET if any(key[0] in error and key[1] in error for error in errors)}
    errors = [
        error for error in errors if not any(where in error and what in error for where, what in NOT_YET)
    ]
    assert errors == [], "\n".join(errors)
    fixed = [key for key in NOT_YET if key not in known]
    assert fixed == [], f"these errors are gone: remove them from NOT_YET: {fixed}"


def test_times_in_pages_have_no_microseconds(seeded: Flask, victim_client: FlaskClient) -> None:
    """Without the checker too: a <time datetime> gives whole seconds (HTML allows at most three digits
    of a second; Python writes six)."""
    _data(seeded)
    html = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert 'datetime="2026-03-10T09:30:15+00:00"' in html and ".123456" not in html
