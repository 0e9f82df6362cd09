"""Authentication as GOV.UK Notify does it, over real HTTP with real JWTs: every way a token can be
refused gets its own clear error in Notify's shape, and clients see only their own scope."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import requests
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, JwtSeen
from portal.services.agency_api import auth as api_auth
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.agency_client import AgencyClient

CASES = f"/api/v1/cases/{DEMO_CASE_URN}/communications"


def _refused(response: requests.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status_code"] == status
    assert body["errors"][0]["error"] == "AuthError"
    assert words in body["errors"][0]["message"]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_fresh_token_is_accepted(agency: Callable[[str], AgencyClient]) -> None:
    response = agency("police").communications(DEMO_CASE_URN)
    assert response.status_code == 200
    assert response.json()["urn"] == DEMO_CASE_URN


def test_no_token_or_another_scheme_is_401(api_site: str) -> None:
    _refused(requests.get(api_site + CASES, timeout=10), 401, "authentication token must be provided")
    basic = requests.get(api_site + CASES, headers={"Authorization": "Basic dXNlcjpwYXNz"}, timeout=10)
    _refused(basic, 401, "bearer scheme must be used")


def test_garbage_token_is_refused(agency: Callable[[str], AgencyClient]) -> None:
    _refused(agency("police").request("GET", CASES, token="not-a-jwt"), 403, "not a JSON Web Token")


def test_token_signed_with_another_secret_is_refused(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    forged = jwt.encode(
        {"iss": police.client_id, "iat": int(time.time()), "jti": str(uuid.uuid4())},
        str(uuid.uuid4()),
        algorithm="HS256",
    )
    _refused(police.request("GET", CASES, token=forged), 403, "signature")


def test_alg_none_and_other_algorithms_are_refused(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    claims = {"iss": police.client_id, "iat": int(time.time()), "jti": str(uuid.uuid4())}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    _refused(police.request("GET", CASES, token=unsigned), 403, "must be signed with HS256")
    hs512 = jwt.encode({**claims, "jti": str(uuid.uuid4())}, police.secret * 2, algorithm="HS512")
    _refused(police.request("GET", CASES, token=hs512), 403, "must be signed with HS256")


def test_iat_must_be_within_30_seconds_either_way(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    now = int(time.time())
    _refused(police.request("GET", CASES, token=police.token(iat=now - 40)), 403, "within 30 seconds")
    _refused(police.request("GET", CASES, token=police.token(iat=now + 40)), 403, "within 30 seconds")
    assert police.request("GET", CASES, token=police.token(iat=now - 20)).status_code == 200
    _refused(police.request("GET", CASES, token=police.token(iat=None)), 403, "iat field not provided")


def test_jti_is_required_and_a_token_works_once(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    _refused(police.request("GET", CASES, token=police.token(jti=None)), 403, "jti field not provided")
    token = police.token()
    assert police.request("GET", CASES, token=token).status_code == 200
    _refused(police.request("GET", CASES, token=token), 403, "already been used")


def test_a_token_whose_request_failed_is_still_used(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    token = police.token()
    failed = police.put_case(DEMO_CASE_URN, {"offence": ""}, token=token)
    assert failed.status_code == 400
    _refused(police.request("GET", CASES, token=token), 403, "already been used")


def test_unknown_client_is_refused(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    _refused(police.request("GET", CASES, token=police.token(iss=str(uuid.uuid4()))), 403, "no API client")
    _refused(police.request("GET", CASES, token=police.token(iss=None)), 403, "iss field not provided")


def test_revoked_client_is_refused_at_once(seeded: Flask, agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    assert police.communications(DEMO_CASE_URN).status_code == 200
    with seeded.app_context(), db.job() as session:
        api_clients.revoke_client(session, police.client_id, revoked_by="tests")
    _refused(police.communications(DEMO_CASE_URN), 403, "API key revoked")


def test_another_forces_case_looks_like_no_case(
    agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    other_force = new_client("police", force_code="02")
    for response in (
        other_force.communications(DEMO_CASE_URN),
        other_force.preferences(DEMO_CASE_URN, DEMO_VICTIM_ID),
        other_force.send_updates(
            DEMO_CASE_URN,
            {
                "event_id": "x1",
                "type": "suspect-arrested",
                "occurred_at": "2026-11-20T10:00:00Z",
                "received_at": "2026-11-20T10:00:00Z",
            },
        ),
        other_force.communications("01ZZ9999999"),  # and a case that does not exist: the same answer
    ):
        assert response.status_code == 404, response.text
        assert response.json()["errors"][0]["error"] == "NotFoundError"
    # Writing a case of another force is refused outright (the URN says whose it is; nothing leaks).
    _refused(other_force.put_case(DEMO_CASE_URN, {"offence": "Assault"}), 403, "police force 02")
    # Another agency's witness care unit (force 02) cannot read force 01's case either...
    assert new_client("witness_care", force_code="02").communications(DEMO_CASE_URN).status_code == 404
    # ... while the CPS and probation work across every force.
    assert agency("cps").communications(DEMO_CASE_URN).status_code == 200
    assert agency("probation").preferences(DEMO_CASE_URN, DEMO_VICTIM_ID).status_code == 200


def test_every_call_is_audited_without_personal_data(
    seeded: Flask, agency: Callable[[str], AgencyClient], api_site: str
) -> None:
    police = agency("police")
    assert police.preferences(DEMO_CASE_URN, DEMO_VICTIM_ID).status_code == 200
    token = police.token()
    police.communications(DEMO_CASE_URN, token=token)
    police.communications(DEMO_CASE_URN, token=token)  # replayed: refused, and audited too
    requests.get(api_site + CASES, timeout=10)  # no token: audited as an unidentified client
    with seeded.app_context(), db.job() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("api.%"))).all()
    summary = [(e.actor_label, e.action, e.detail["status_code"]) for e in events]
    assert ("Demo police", "api.read_preferences", 200) in summary
    assert ("Demo police", "api.read_communications", 200) in summary
    assert ("unidentified API client", "api.read_communications", 403) in summary
    assert ("unidentified API client", "api.read_communications", 401) in summary
    reads = [e for e in events if e.action == "api.read_preferences"]
    assert reads[0].subject_victim_id == DEMO_VICTIM_ID
    everything = json.dumps([e.detail for e in events])
    for personal in ("Sam", "Sample", "victim@demo.example", "07700900123", token):
        assert personal not in everything


def test_used_token_ids_are_forgotten_once_their_tokens_would_fail_the_clock_check(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    now = datetime.now(UTC)
    with seeded.app_context(), db.job() as session:
        session.add(JwtSeen(client_id=police.client_id, jti="old", expires_at=now - timedelta(seconds=1)))
        session.add(JwtSeen(client_id=police.client_id, jti="live", expires_at=now + timedelta(seconds=50)))
    assert police.communications(DEMO_CASE_URN).status_code == 200  # an API call purges nothing ...
    with seeded.app_context(), db.job() as session:
        assert session.scalar(select(JwtSeen.id).where(JwtSeen.jti == "old")) is not None
        api_auth.forget_expired_token_ids(session, datetime.now(UTC))  # ... the worker's periodic job does
    with seeded.app_context(), db.job() as session:
        kept = set(session.scalars(select(JwtSeen.jti).where(JwtSeen.client_id == police.client_id)))
    assert "old" not in kept and "live" in kept
    # The live one is still refused if its token comes again.
    _refused(police.request("GET", CASES, token=police.token(jti="live")), 403, "already been used")
