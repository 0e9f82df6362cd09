"""Issue 16, the agency API's side of victims' requests, over real HTTP with JWTs on the demo data: each
agency's system lists the reviews, statements and complaints it must answer (police and witness care only
on their force's cases, never complaints about the portal), polls with `since`, and moves each forward;
a refused move says why; another agency's or force's request is the same 404 as an id that is nobody's;
the victim is told discreetly; every call is audited."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Case, VictimRequest
from portal.models.victim_requests import COMPLAINT, REVIEW, SERVICE, WITHDRAWN
from portal.services.demo_data import (
    DEMO_CASE_URN,
    DEMO_COMPLAINT_ID,
    DEMO_COMPLAINT_REFERENCE,
    DEMO_REVIEW_ID,
    DEMO_REVIEW_REFERENCE,
    DEMO_VICTIM_ID,
    EARLIER_CASE_URN,
)
from portal.services.requests import lifecycle
from tests.agency_api.conftest import agency, api_site, new_client  # noqa: F401 (fixtures)
from tests.agency_api.test_schemathesis import CHECKS, NEGATIVE_EXAMPLES, POSITIVE_EXAMPLES, _fuzz
from tests.support.agency_client import AgencyClient
from tests.support.outbox import messages

AGENCIES = ("police", "cps", "witness_care", "probation")
NOT_FOUND = {
    "status_code": 404,
    "errors": [
        {
            "error": "NotFoundError",
            "message": "Not found: no such resource, or it is outside what this API client can see",
        }
    ],
}


def _list(client: AgencyClient, **query: Any) -> requests.Response:
    return client.request("GET", "/api/v1/requests", params=query)


def _items(client: AgencyClient, **query: Any) -> list[dict[str, Any]]:
    response = _list(client, **query)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return list(response.json()["requests"])


def _move(client: AgencyClient, request_id: str, body: Any) -> requests.Response:
    return client.request("POST", f"/api/v1/requests/{request_id}/status", json=body)


def _refusal(response: requests.Response, error: str = "BadRequestError") -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == 400 and {e["error"] for e in body["errors"]} == {error}
    return [e["message"] for e in body["errors"]]


def _submit(app: Flask, agency_name: str, *, kind: str = COMPLAINT, urn: str | None = DEMO_CASE_URN) -> str:
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn)) if urn else None
        made = lifecycle.submit(
            session,
            kind=kind,
            victim_id=DEMO_VICTIM_ID,
            agency=agency_name,
            answers={"what_happened": "Nobody called back", "what_you_want": "A call"},
            submitted_by_user_id=None,
            case_id=case.id if case else None,
        )
        return made.id


def test_each_agency_lists_the_requests_it_must_answer(agency: Callable[[str], AgencyClient]) -> None:
    [review] = _items(agency("police"))
    assert review["id"] == DEMO_REVIEW_ID and review["reference"] == DEMO_REVIEW_REFERENCE
    assert (review["type"], review["status"], review["urn"], review["victim_id"]) == (
        "review",
        "received",
        EARLIER_CASE_URN,
        DEMO_VICTIM_ID,
    )
    assert review["update_id"] and review["submitted_at"] == "2025-04-22T18:40:00Z"
    assert (review["acknowledge_by"], review["answer_by"]) == (
        "2025-04-29",
        "2025-06-05",
    )  # bank holidays 5 and 26 May
    assert review["answers"]["reasons"].startswith("The officer did not speak to the neighbour")
    assert [(h["status"], h["by"]) for h in review["history"]] == [("received", "victim")]

    [complaint] = _items(agency("witness_care"))
    assert (complaint["id"], complaint["reference"], complaint["status"]) == (
        DEMO_COMPLAINT_ID,
        DEMO_COMPLAINT_REFERENCE,
        "acknowledged",
    )
    assert complaint["urn"] == DEMO_CASE_URN and complaint["answers"]["happened_on"] == "2026-11-03"
    assert [(h["status"], h["by"]) for h in complaint["history"]] == [
        ("received", "victim"),
        ("acknowledged", "witness care officer"),
    ]
    assert complaint["history"][1]["note"].startswith("Thank you for telling us")
    # Nothing for the others; and only the kind asked for.
    assert _items(agency("cps")) == [] and _items(agency("probation")) == []
    assert _items(agency("police"), type="complaint") == []
    assert [r["id"] for r in _items(agency("police"), type="review")] == [DEMO_REVIEW_ID]


def test_a_system_polls_with_since_and_misses_nothing(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    cps = agency("cps")
    made = [_submit(seeded, "cps") for _ in range(5)]
    seen: list[str] = []
    since: str | None = None
    pages = 0
    while True:
        query: dict[str, Any] = {"limit": 2, **({"since": since} if since else {})}
        payload = _list(cps, **query).json()
        seen += [item["id"] for item in payload["requests"]]
        since = payload["next_since"]
        pages += 1
        if not payload["more"]:
            break
    assert seen == made and pages == 3  # oldest change first, each once
    # Nothing new: nothing listed, and the same place to start from next time.
    again = _list(cps, since=since).json()
    assert again == {"requests": [], "next_since": since, "more": False}
    # The victim withdraws one: it is listed again, as it is now.
    with seeded.app_context(), db.job() as session:
        withdrawn = session.get(VictimRequest, made[1])
        assert withdrawn is not None
        lifecycle.change_status(session, withdrawn, WITHDRAWN)
    [changed] = _items(cps, since=since)
    assert changed["id"] == made[1] and changed["status"] == "withdrawn"
    assert [h["status"] for h in changed["history"]] == ["received", "withdrawn"]


def test_a_query_that_is_not_valid_is_refused_naming_the_field(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    for query, message in (
        ({"type": "appeal"}, "type: must be one of: review, statement, complaint"),
        ({"since": "yesterday"}, "since: is not a valid date-time"),
        ({"since": "2026-11-01T10:00:00"}, "since: is not a valid date-time"),  # no offset: whose time?
        ({"limit": "0"}, "limit: must be at least 1"),
        ({"limit": "501"}, "limit: must be at most 500"),
        ({"limit": "ten"}, "limit: must be of type integer"),
        ({"sort": "newest"}, "sort: is not a field this accepts (unknown fields are refused)"),
    ):
        assert _refusal(_list(police, **query), "ValidationError") == [message], query
    twice = police.request("GET", "/api/v1/requests?type=review&type=complaint")
    assert _refusal(twice, "ValidationError") == ["type: give it once"]
    later = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert _items(police, since=later) == []


def test_other_forces_other_agencies_and_complaints_about_the_portal_look_like_nothing(
    seeded: Flask, agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    about_portal = _submit(seeded, SERVICE, urn=None)
    police_elsewhere = new_client("police", force_code="02")
    witness_care_elsewhere = new_client("witness_care", force_code="02")
    assert _items(police_elsewhere) == [] and _items(witness_care_elsewhere) == []
    for name in AGENCIES:
        assert about_portal not in [item["id"] for item in _items(agency(name))], name
    unknown = str(uuid.uuid4())
    acknowledge = {"status": "acknowledged"}
    for client, request_id in (
        (police_elsewhere, DEMO_REVIEW_ID),  # another force's case
        (witness_care_elsewhere, DEMO_COMPLAINT_ID),
        (agency("cps"), DEMO_REVIEW_ID),  # another agency's request
        (agency("police"), DEMO_COMPLAINT_ID),
        *((agency(name), about_portal) for name in AGENCIES),  # about the portal: nobody's
        (agency("police"), unknown),
        (agency("police"), "not-an-id"),
    ):
        response = _move(client, request_id, acknowledge)
        assert response.status_code == 404 and response.json() == NOT_FOUND, request_id
    with seeded.app_context(), db.job() as session:
        statuses = session.scalars(select(VictimRequest.status).order_by(VictimRequest.id)).all()
    assert sorted(statuses) == ["acknowledged", "received", "received"]  # nothing moved


def test_a_request_moves_forward_only_and_the_victim_is_told_discreetly(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    assert messages(seeded, "request-notice") == []
    note = "We have your request. An inspector who was not involved will review it."
    acknowledged = _move(police, DEMO_REVIEW_ID, {"status": "acknowledged", "note": note})
    assert acknowledged.status_code == 200, acknowledged.text
    item = acknowledged.json()
    assert item["status"] == "acknowledged" and item["acknowledged_at"] is not None
    assert item["history"][-1] == {
        "status": "acknowledged",
        "at": item["history"][-1]["at"],
        "by": "agency system",
        "by_api_client_id": police.client_id,
        "note": note,
    }
    [notice] = messages(seeded, "request-notice")
    assert notice.recipient == "victim@demo.example"
    for secret in ("review", "police", "decision", DEMO_REVIEW_REFERENCE):
        assert secret.lower() not in (notice.subject + notice.body).lower(), secret

    assert _move(police, DEMO_REVIEW_ID, {"status": "in-progress"}).status_code == 200
    assert _refusal(_move(police, DEMO_REVIEW_ID, {"status": "acknowledged"})) == [
        "status: the request is already in-progress: a status cannot go back"
    ]
    assert _refusal(_move(police, DEMO_REVIEW_ID, {"status": "answered"}), "ValidationError") == [
        "outcome: is required"
    ]
    assert _refusal(_move(police, DEMO_REVIEW_ID, {"status": "in-progress", "outcome": "Upheld"})) == [
        "outcome: is only given with status answered"
    ]
    answer = {
        "status": "answered",
        "outcome": "The decision stands.",
        "outcome_cy": "Mae'r penderfyniad yn sefyll.",
    }
    assert _refusal(_move(police, DEMO_REVIEW_ID, answer)) == [
        "decision: is required when answering a review (upheld or overturned)"
    ]
    assert _refusal(
        _move(police, DEMO_REVIEW_ID, {**answer, "decision": "upheld", "outcome": "x" * 1001})
    ) == ["outcome: for a review, 1000 characters at most (it is shown on the victim's timeline)"]
    answer["decision"] = "upheld"
    answered = _move(police, DEMO_REVIEW_ID, answer)
    assert answered.status_code == 200, answered.text
    assert (answered.json()["outcome"], answered.json()["outcome_cy"]) == (
        answer["outcome"],
        answer["outcome_cy"],
    )
    assert [h["status"] for h in answered.json()["history"]] == [
        "received",
        "acknowledged",
        "in-progress",
        "answered",
    ]
    assert _refusal(_move(police, DEMO_REVIEW_ID, {"status": "in-progress"})) == [
        "status: the request is already answered: it cannot change"
    ]
    # Told at each step the agency took (acknowledged, being considered), never at a refusal; the
    # answer to a review is told as its vrr-outcome update (tests/requests/test_outcome_update.py).
    assert len(messages(seeded, "request-notice")) == 2
    # What the police system reads back next is what it did.
    [review] = _items(police)
    assert review["status"] == "answered" and review["outcome"] == "The decision stands."


def test_a_request_the_victim_withdrew_cannot_be_moved(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    with seeded.app_context(), db.job() as session:
        review = session.get(VictimRequest, DEMO_REVIEW_ID)
        assert review is not None
        lifecycle.change_status(session, review, WITHDRAWN)
    assert _refusal(_move(agency("police"), DEMO_REVIEW_ID, {"status": "acknowledged"})) == [
        "status: the request is already withdrawn: it cannot change"
    ]
    assert messages(seeded, "request-notice") == []


def test_a_body_that_is_not_valid_is_refused_naming_the_field(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    for body, message in (
        ({"status": "withdrawn"}, "status: must be one of: acknowledged, in-progress, answered"),
        ({"status": "received"}, "status: must be one of: acknowledged, in-progress, answered"),
        ({"note": "Hello"}, "status: is required"),
        ({"status": "acknowledged", "note": "x" * 1001}, "note: must be 1000 characters or fewer"),
        ({"status": "answered", "outcome": "x" * 2001}, "outcome: must be 2000 characters or fewer"),
        ({"status": "acknowledged", "note": ""}, "note: must be at least 1 characters"),
        (
            {"status": "acknowledged", "note": "Bell\x07"},
            "note: must not contain control characters other than line breaks and tabs",
        ),
        (
            {"status": "acknowledged", "by": "me"},
            "by: is not a field this accepts (unknown fields are refused)",
        ),
        (["acknowledged"], "body: must be of type object"),
    ):
        assert _refusal(_move(police, DEMO_REVIEW_ID, body), "ValidationError") == [message], body
    as_form = police.request(
        "POST", f"/api/v1/requests/{DEMO_REVIEW_ID}/status", data={"status": "acknowledged"}
    )
    assert as_form.status_code == 415
    # A line break in a note is fine: it is words for the victim.
    fine = _move(police, DEMO_REVIEW_ID, {"status": "acknowledged", "note": "Thank you.\nWe will call you."})
    assert fine.status_code == 200, fine.text


def test_every_call_is_audited_with_the_victim_it_was_about(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    with seeded.app_context(), db.job() as session:
        before = session.scalar(select(func.max(AuditEvent.id))) or 0
    assert _list(police, type=REVIEW).status_code == 200
    assert _move(police, DEMO_REVIEW_ID, {"status": "acknowledged"}).status_code == 200
    assert _move(police, DEMO_REVIEW_ID, {"status": "acknowledged"}).status_code == 400
    assert _move(police, DEMO_COMPLAINT_ID, {"status": "acknowledged"}).status_code == 404
    with seeded.app_context(), db.job() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > before, AuditEvent.action.startswith("api."))
            .order_by(AuditEvent.id)
        ).all()
    calls = [(e.actor_label, e.action, e.detail["status_code"], e.subject_victim_id) for e in events]
    assert calls == [
        ("Demo police", "api.read_requests", 200, None),
        ("Demo police", "api.set_request_status", 200, DEMO_VICTIM_ID),
        ("Demo police", "api.set_request_status", 400, None),
        ("Demo police", "api.set_request_status", 404, None),
    ]
    assert events[0].detail["count"] == 1 and events[0].detail["type"] == REVIEW
    assert events[1].detail["request_id"] == DEMO_REVIEW_ID and events[1].detail["status"] == "acknowledged"


OPERATIONS = [("/api/v1/requests", "GET"), ("/api/v1/requests/{id}/status", "POST")]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_no_broken_response(
    api_site: str, path: str, method: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{api_site}/api/v1/openapi.json")
    operation = schema[path][method]
    # Half the cases aim at the demo review and complaint (so they reach the handlers); the rest anywhere.
    aimed = "{id}" in path
    positive = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        *(
            [operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": DEMO_REVIEW_ID})]
            if aimed
            else []
        ),
    )
    negative = operation.as_strategy(
        GenerationMode.NEGATIVE, **({"path_parameters": {"id": DEMO_COMPLAINT_ID}} if aimed else {})
    )
    http = requests.Session()
    _fuzz(api_site, http, positive, POSITIVE_EXAMPLES, CHECKS)
    _fuzz(api_site, http, negative, NEGATIVE_EXAMPLES, [*CHECKS, negative_data_rejection])


def test_systems_moving_the_same_request_at_once_move_it_once(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    """Eight acknowledgements at the same moment (real threads, real HTTP): one is recorded and tells the
    victim; the others are refused as already acknowledged, and record nothing."""
    parallel = 8
    clients = [agency("police") for _ in range(parallel)]  # one HTTP session per thread
    barrier = threading.Barrier(parallel)

    def send(client: AgencyClient) -> requests.Response:
        barrier.wait()
        return _move(client, DEMO_REVIEW_ID, {"status": "acknowledged"})

    with ThreadPoolExecutor(parallel) as pool:
        responses = list(pool.map(send, clients))
    assert sorted(r.status_code for r in responses) == [200] + [400] * (parallel - 1), [
        r.text for r in responses
    ]
    refusals = {r.json()["errors"][0]["message"] for r in responses if r.status_code == 400}
    assert refusals == {"status: the request is already acknowledged: a status cannot go back"}
    [review] = _items(clients[0])
    assert [h["status"] for h in review["history"]] == ["received", "acknowledged"]
    assert len(messages(seeded, "request-notice")) == 1
