"""API clients are created by an admin (web pages or the command line), the key shown once, and revoked
with a confirmation; the secret is kept encrypted, never in clear; each client has its own rate limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiClient, AuditEvent
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient
from tests.support.pages import csrf_from, page_text
from tests.support.signing_in import sign_in_with_totp

KEY = re.compile(r"[a-z0-9_]+-[0-9a-f-]{36}-[0-9a-f-]{36}")


def test_only_admins_see_the_pages(seeded: Flask, client: FlaskClient) -> None:
    assert client.get("/admin/api-clients").status_code == 302  # signed out: sign in first
    sign_in_with_totp(seeded, client, "officer@demo.example")
    for path in ("/admin/", "/admin/api-clients", "/admin/api-clients/new"):
        assert client.get(path).status_code == 404, path


def test_admin_creates_a_key_that_works_and_is_shown_once(
    seeded: Flask, client: FlaskClient, api_site: str
) -> None:
    sign_in_with_totp(seeded, client, "admin@demo.example")
    listing = page_text(client.get("/admin/api-clients"), markup=True)
    assert "Demo police" in listing and "Demo probation" in listing
    form = client.get("/admin/api-clients/new").get_data(as_text=True)
    refused = client.post(
        "/admin/api-clients/new",
        data={"csrf_token": csrf_from(form), "name": "", "agency": "police", "force_code": ""},
    )
    body = page_text(refused, markup=True)
    assert "There is a problem" in body
    assert "Enter the name of the system" in body and "Enter the police force code, like 01" in body

    created = client.post(
        "/admin/api-clients/new",
        data={
            "csrf_token": csrf_from(form),
            "name": "Exampleshire Police",
            "agency": "police",
            "force_code": "01",
        },
    )
    page = page_text(created, markup=True)
    assert created.status_code == 200 and "API key created" in page
    key = KEY.search(page)
    assert key is not None and key.group(0).startswith("exampleshire_police-")
    assert created.headers["Cache-Control"] == "no-store"
    assert key.group(0) not in page_text(client.get("/admin/api-clients"), markup=True)  # never shown again
    # The key works, and the database holds neither it nor the secret in clear.
    police = AgencyClient(api_site, key.group(0))
    assert police.communications(DEMO_CASE_URN).status_code == 200
    with seeded.app_context(), db.job() as session:
        row = session.get(ApiClient, police.client_id)
        assert row is not None and row.created_by == "Ada Admin"
        assert police.secret not in row.secret_encrypted
        assert row.secret_fingerprint == api_clients.fingerprint(police.secret)
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("api_client.%"))
        ).all()
        assert "api_client.created" in actions


def test_admin_revokes_a_key_after_confirming(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    sign_in_with_totp(seeded, client, "admin@demo.example")
    confirm = client.get(f"/admin/api-clients/{police.client_id}/revoke")
    assert "Are you sure you want to revoke the key for Demo police?" in page_text(confirm, markup=True)
    assert police.communications(DEMO_CASE_URN).status_code == 200  # looking is not revoking
    done = client.post(
        f"/admin/api-clients/{police.client_id}/revoke",
        data={"csrf_token": csrf_from(confirm.get_data(as_text=True))},
    )
    assert done.status_code == 302
    assert "The key for Demo police has been revoked" in page_text(
        client.get(done.headers["Location"]), markup=True
    )
    refused = police.communications(DEMO_CASE_URN)
    assert (
        refused.status_code == 403
        and refused.json()["errors"][0]["message"] == "Invalid token: API key revoked"
    )
    assert client.get(f"/admin/api-clients/{police.client_id}/revoke").status_code == 404
    assert client.get(f"/admin/api-clients/{uuid.uuid4()}/revoke").status_code == 404


def test_the_command_line_creates_lists_and_revokes(seeded: Flask, api_site: str) -> None:
    runner = seeded.test_cli_runner()
    created = runner.invoke(args=["api-clients", "create", "--agency", "cps", "--name", "CPS Area Example"])
    assert created.exit_code == 0, created.output
    key = KEY.search(created.output)
    assert key is not None
    cps = AgencyClient(api_site, key.group(0))
    assert cps.communications(DEMO_CASE_URN).status_code == 200
    listed = runner.invoke(args=["api-clients", "list"])
    assert cps.client_id in listed.output and "all forces" in listed.output
    assert key.group(0) not in listed.output and cps.secret not in listed.output
    missing_force = runner.invoke(args=["api-clients", "create", "--agency", "police", "--name", "No force"])
    assert missing_force.exit_code != 0 and "force code" in missing_force.output
    revoked = runner.invoke(args=["api-clients", "revoke", cps.client_id])
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert cps.communications(DEMO_CASE_URN).status_code == 403


def test_the_seed_command_prints_the_demo_keys(seeded: Flask) -> None:
    output = seeded.test_cli_runner().invoke(args=["seed", "--if-empty"]).output
    for demo in api_clients.DEMO_CLIENTS:
        assert demo.key in output


def test_each_client_has_its_own_rate_limit(
    seeded: Flask, new_client: Callable[..., AgencyClient], agency: Callable[[str], AgencyClient]
) -> None:
    busy = new_client("cps")
    seeded.config["API_RATE_LIMIT"] = "3/minute"
    try:
        statuses = [busy.communications(DEMO_CASE_URN).status_code for _ in range(4)]
        limited = busy.communications(DEMO_CASE_URN)
        other = new_client("cps").communications(DEMO_CASE_URN)
    finally:
        seeded.config["API_RATE_LIMIT"] = "3000/minute"
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["error"] == "RateLimitError"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert other.status_code == 200  # another client is not held back
