"""Issue 16: a victim's requests are their data. "Download your information" gives them back (what they
asked, every status, the answer); erasure removes them with their histories, so no agency system can read
them any more; the retention schedule removes those about a case whose time has run out, and keeps the
others."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import VictimRequest, VictimRequestEvent
from portal.models.victim_requests import COMPLAINT, SERVICE
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
from portal.services.retention import job
from tests.agency_api.conftest import agency, api_site  # noqa: F401 (fixtures)
from tests.support.agency_client import AgencyClient
from tests.support.demo import ADMIN, DEMO_PASSWORD, OFFICER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in


def _listed(client: AgencyClient) -> list[str]:
    response = client.request("GET", "/api/v1/requests")
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["requests"]]


def _held(app: Flask) -> tuple[list[str], int]:
    """The requests held about Sam, and how many status changes are held in all."""
    with app.app_context(), db.job() as session:
        ids = session.scalars(
            select(VictimRequest.id)
            .where(VictimRequest.victim_id == DEMO_VICTIM_ID)
            .order_by(VictimRequest.id)
        ).all()
        events = session.scalar(select(func.count()).select_from(VictimRequestEvent)) or 0
    return list(ids), events


def test_the_download_gives_the_victim_their_requests(seeded: Flask) -> None:
    client = signed_in(seeded, VICTIM)
    post_form(client, "/account/your-information", {"password": DEMO_PASSWORD})
    response = client.get("/account/your-information/your-information.json")
    assert response.status_code == 200
    info = json.loads(response.get_data(as_text=True))
    by_reference = {item["reference"]: item for item in info["requests"]}
    assert set(by_reference) == {DEMO_REVIEW_REFERENCE, DEMO_COMPLAINT_REFERENCE}
    review, complaint = by_reference[DEMO_REVIEW_REFERENCE], by_reference[DEMO_COMPLAINT_REFERENCE]
    assert (review["kind"], review["case_reference"], review["to"], review["status"]) == (
        "review",
        EARLIER_CASE_URN,
        "police",
        "received",
    )
    assert review["what_you_said"]["reasons"].startswith("The officer did not speak to the neighbour")
    assert complaint["case_reference"] == DEMO_CASE_URN and complaint["status_words"] == "Acknowledged"
    assert [(h["status"], h["note"] is not None) for h in complaint["history"]] == [
        ("received", False),
        ("acknowledged", True),
    ]
    # Nothing about the staff who moved it: the history says what and when, not who.
    assert OFFICER not in json.dumps(complaint) and "Olive" not in json.dumps(complaint)
    page = page_text(client.get("/account/your-information/your-information.html"))
    assert "Your requests" in page and DEMO_REVIEW_REFERENCE in page and DEMO_COMPLAINT_REFERENCE in page
    assert "Nobody told me the hearing in January had been moved" in page


def test_erasure_removes_the_requests_and_their_histories(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police, witness_care = agency("police"), agency("witness_care")
    assert _listed(police) == [DEMO_REVIEW_ID] and _listed(witness_care) == [DEMO_COMPLAINT_ID]
    with seeded.app_context(), db.job() as session:  # and a complaint about the portal, on no case
        about_portal = lifecycle.submit(
            session,
            kind=COMPLAINT,
            victim_id=DEMO_VICTIM_ID,
            agency=SERVICE,
            answers={"what_happened": "The page timed out", "what_you_want": "Longer"},
            submitted_by_user_id=None,
        ).id
    assert _held(seeded) == (sorted([DEMO_REVIEW_ID, DEMO_COMPLAINT_ID, about_portal]), 4)
    officer_page = f"/staff/victims/{DEMO_VICTIM_ID}/erasure"
    asked = post_form(
        signed_in(seeded, OFFICER),
        officer_page,
        {"identity_checked": "y", "note": "Called back; 2 questions"},
    )
    assert asked.status_code == 302
    done = post_form(
        signed_in(seeded, ADMIN), f"/admin/erasure-requests/{DEMO_VICTIM_ID}", {"confirmed": "y"}
    )
    assert done.status_code == 302
    assert _held(seeded) == ([], 0)
    assert _listed(police) == [] and _listed(witness_care) == []
    moved = police.request(
        "POST", f"/api/v1/requests/{DEMO_REVIEW_ID}/status", json={"status": "acknowledged"}
    )
    assert moved.status_code == 404


def test_the_retention_schedule_removes_the_requests_about_an_expired_case(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    # The earlier case closed (investigation closed) in April 2025: past 6 years, its information goes;
    # the assault case is still open (Victim Contact Scheme), so Sam and the complaint about it stay.
    both = (sorted([DEMO_REVIEW_ID, DEMO_COMPLAINT_ID]), 3)
    with seeded.app_context():
        early = job.run(db.job, dict(seeded.config), datetime(2031, 3, 1, tzinfo=UTC))
    assert early.removed["closed cases"] == 0 and _held(seeded) == both  # before its time, nothing goes
    with seeded.app_context():
        report = job.run(db.job, dict(seeded.config), datetime(2031, 6, 1, tzinfo=UTC))
    assert report.removed["closed cases"] == 1 and report.victims_anonymised == 0
    assert _held(seeded) == ([DEMO_COMPLAINT_ID], 2)
    assert _listed(agency("police")) == [] and _listed(agency("witness_care")) == [DEMO_COMPLAINT_ID]
