"""Security review, finding 6: refused agency API calls were not rate-limited, and each wrote an audit row,
so a flood of bad tokens could hammer the database and fill the audit trail.

- Refusals are limited per IP address BEFORE authentication (`API_REFUSAL_RATE_LIMIT`, 60 a minute by
  default): past it every call from that address is answered 429 in Notify's shape, with Retry-After,
  without a database query or an audit row. Authenticated calls keep their per-client limit.
- Refusals are aggregated in the audit trail: one row per (IP hash, the client the token named, verb,
  reason, minute) whose `occurrences` counts them; accepted calls keep one row each.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import jwt
import pytest
import requests
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from portal.models import AuditEvent
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient

CASES = f"/api/v1/cases/{DEMO_CASE_URN}/communications"
LIMIT = 10
ATTACKER = "203.0.113.66"
AGENCY_SYSTEM = "203.0.113.10"


def _forged_token(client_id: str) -> str:
    """A well-formed token naming a real client, signed with a secret that is not the client's."""
    claims = {"iss": client_id, "iat": int(time.time()), "jti": str(uuid.uuid4())}
    return jwt.encode(claims, f"not-the-secret-{uuid.uuid4()}", algorithm="HS256")


def _api_audit_rows(app: Flask) -> list[AuditEvent]:
    with app.app_context(), db.job() as session:
        rows = list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("api.%"))))
        session.expunge_all()
    return rows


@contextmanager
def _served_behind_one_proxy(seeded: Flask, **settings: str) -> Iterator[str]:
    """The portal behind one load balancer (PROXY_HOPS=1) with `settings`, over real HTTP: each request
    names its caller in X-Forwarded-For."""
    proxied = create_app({**seeded.config, "PROXY_HOPS": 1, **settings})
    limiter.reset()
    server = make_server("127.0.0.1", 0, proxied, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        proxied.extensions["database"].engine.dispose()
        limiter.reset()


@pytest.fixture
def behind_load_balancer(seeded: Flask) -> Iterator[str]:
    """Room for LIMIT refusals a minute per address."""
    with _served_behind_one_proxy(seeded, API_REFUSAL_RATE_LIMIT=f"{LIMIT}/minute") as url:
        yield url


@pytest.mark.security(14)
def test_finding6_refused_api_calls_are_limited_per_ip(seeded: Flask, behind_load_balancer: str) -> None:
    police = AgencyClient(behind_load_balancer, api_clients.demo_client("police").key)
    attacker = {"X-Forwarded-For": ATTACKER}
    refused = [
        police.request("GET", CASES, token=_forged_token(police.client_id), headers=attacker).status_code
        for _ in range(LIMIT)
    ]
    assert refused == [403] * LIMIT
    audited = len(_api_audit_rows(seeded))

    limited = police.request("GET", CASES, token=_forged_token(police.client_id), headers=attacker)
    assert limited.status_code == 429, limited.text
    assert limited.headers["Content-Type"].startswith("application/json")
    body = limited.json()
    assert body["status_code"] == 429
    assert body["errors"][0]["error"] == "RateLimitError"
    assert "refused" in body["errors"][0]["message"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # The limit comes before authentication: no token from that address is even looked at, a good one
    # included, and none of it reaches the audit trail.
    assert police.communications(DEMO_CASE_URN, headers=attacker).status_code == 429
    assert requests.get(behind_load_balancer + CASES, headers=attacker, timeout=10).status_code == 429
    assert len(_api_audit_rows(seeded)) == audited

    # An agency system behind the same load balancer is not held back, however often it calls: only
    # refusals count against an address, and authenticated calls have their per-client limit.
    system = {"X-Forwarded-For": AGENCY_SYSTEM}
    good = [police.communications(DEMO_CASE_URN, headers=system).status_code for _ in range(LIMIT + 5)]
    assert good == [200] * (LIMIT + 5)


@pytest.mark.security(13)
def test_finding6_refusals_are_aggregated_in_the_audit(
    seeded: Flask, api_site: str, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    seeded.config["API_REFUSAL_RATE_LIMIT"] = "1000/minute"  # every one of them reaches authentication
    try:
        statuses = [requests.get(api_site + CASES, timeout=10).status_code for _ in range(50)]
        statuses += [
            police.request("GET", CASES, token=_forged_token(police.client_id)).status_code for _ in range(50)
        ]
    finally:
        seeded.config.pop("API_REFUSAL_RATE_LIMIT")
    assert statuses == [401] * 50 + [403] * 50
    accepted = [police.communications(DEMO_CASE_URN).status_code for _ in range(3)]
    assert accepted == [200] * 3

    rows = _api_audit_rows(seeded)
    refusals = [row for row in rows if row.detail["status_code"] >= 400]
    # Two reasons, within at most two minutes (the calls may straddle one): not a row per call.
    assert len(refusals) <= 4, [(row.detail, row.at) for row in refusals]
    assert sum(row.occurrences for row in refusals) == 100
    assert {row.detail["status_code"] for row in refusals} == {401, 403}
    for row in refusals:
        assert row.action == "api.read_communications"
        assert row.actor_label == "unidentified API client"
        assert row.detail["refused"]
        assert row.detail["ip_hash"]
    forged = [row for row in refusals if row.detail["status_code"] == 403]
    assert {row.detail["named_client_id"] for row in forged} == {police.client_id}
    everything = json.dumps([row.detail for row in refusals])
    assert "127.0.0.1" not in everything  # the address only as a keyed hash

    # Accepted calls are audited one by one, as before.
    calls = [row for row in rows if row.detail["status_code"] == 200]
    assert len(calls) == 3 and all(row.occurrences == 1 for row in calls)


@pytest.mark.security(13)
def test_an_admin_sees_how_many_times_a_counted_refusal_happened(seeded: Flask, api_site: str) -> None:
    """Refusals counted in one audit event show their count on the admin's audit page: 40 refused calls
    must not read as one."""
    from tests.support.pages import page_text
    from tests.support.signing_in import signed_in

    seeded.config["API_REFUSAL_RATE_LIMIT"] = "1000/minute"
    try:
        statuses = [requests.get(api_site + CASES, timeout=10).status_code for _ in range(40)]
    finally:
        seeded.config.pop("API_REFUSAL_RATE_LIMIT")
    assert statuses == [401] * 40
    total = sum(row.occurrences for row in _api_audit_rows(seeded) if row.detail["status_code"] == 401)
    assert total == 40
    admin = signed_in(seeded, "admin@demo.example")
    text = page_text(admin.get("/admin/audit?action=api-call"))
    shown = [int(n) for n in re.findall(r"\((\d+) times\)", text)]
    assert sum(shown) == 40, text
    assert "First time (UTC)" in text


def test_the_openapi_document_says_refused_calls_are_limited_per_address(api_site: str) -> None:
    """An agency's developer reading the 429 of any operation learns that refusals count per address."""
    document = requests.get(f"{api_site}/api/v1/openapi.json", timeout=10).json()
    shared = document["components"]["responses"]
    checked = 0
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "delete", "patch") or "429" not in operation["responses"]:
                continue
            answer = operation["responses"]["429"]
            if "$ref" in answer:
                answer = shared[answer["$ref"].rsplit("/", 1)[-1]]
            assert "refused calls" in answer["description"]
            checked += 1
    assert checked >= 5


@pytest.fixture
def small_audit_budget(seeded: Flask) -> Iterator[str]:
    """5 refusals a minute audited for the whole service."""
    with _served_behind_one_proxy(seeded, API_REFUSAL_AUDIT_LIMIT="5/minute") as url:
        yield url


@pytest.mark.security(13)
def test_refusals_from_many_addresses_stop_being_audited_past_the_services_budget(
    seeded: Flask, small_audit_budget: str
) -> None:
    """A flood of bad tokens from many addresses (each under its own limit) is refused call by call, but
    past the service-wide budget it no longer makes the database write for each; agencies are not held back."""
    police = AgencyClient(small_audit_budget, api_clients.demo_client("police").key)
    statuses = [
        requests.get(
            small_audit_budget + CASES, headers={"X-Forwarded-For": f"198.51.100.{n}"}, timeout=10
        ).status_code
        for n in range(1, 21)
    ]
    assert statuses == [401] * 20  # refused, never 429: no address went over its own limit
    audited = sum(row.occurrences for row in _api_audit_rows(seeded) if row.detail["status_code"] == 401)
    assert audited == 5
    good = police.communications(DEMO_CASE_URN, headers={"X-Forwarded-For": AGENCY_SYSTEM})
    assert good.status_code == 200
