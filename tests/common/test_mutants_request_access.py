"""Issue 23: who may see a victim's requests (`portal/services/common/request_access.py`): what mutation
testing showed no test noticed, on SQLite and PostgreSQL. Each test is named for what an officer or an
agency's system would be shown wrongly."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case
from portal.models.victim_requests import COMPLAINT
from portal.services.cases.timeliness import Period
from portal.services.demo_data import DEMO_CASE_URN, DEMO_REVIEW_ID
from portal.services.requests import lifecycle, report
from tests.agency_api.conftest import agency, api_site  # noqa: F401 (fixtures)
from tests.requests.test_officer_timeliness import _officer
from tests.requests.test_views import make_request
from tests.support.agency_client import AgencyClient
from tests.support.builders import create_victim
from tests.support.demo import demo_victim_id
from tests.support.scenarios import create_other_unit

MADE = datetime(2024, 6, 3, 9, tzinfo=UTC)


def _second_victim_on_the_demo_case(app: Flask) -> str:
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        return create_victim(session, "Alex", "Example", case=case, email="alex@example.com").id


def test_the_officers_page_for_a_victim_lists_only_that_victims_requests(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    """Two victims on one case of the unit: each one's page lists their own requests, never the other's."""
    alex = _second_victim_on_the_demo_case(seeded)
    sams = make_request(seeded)
    alexs = make_request(seeded, victim_id=alex)
    sam_page = officer_client.get(f"/staff/victims/{demo_victim_id(seeded)}").get_data(as_text=True)
    alex_page = officer_client.get(f"/staff/victims/{alex}").get_data(as_text=True)
    assert sams in sam_page and alexs not in sam_page
    assert alexs in alex_page and sams not in alex_page


def test_the_report_leaves_out_requests_made_before_the_period(seeded: Flask) -> None:
    """A request made in May is not one of June's: the report for June counts only the one made in June."""
    make_request(seeded, now=datetime(2024, 5, 31, 9, tzinfo=UTC))
    make_request(seeded, now=MADE)
    with seeded.test_request_context(), db.job() as session:
        rows = report.request_timeliness(
            session, _officer(seeded), Period(date(2024, 6, 1), date(2024, 6, 30)), now=MADE
        )
    assert [(row.kind, row.agency, row.total) for row in rows] == [("complaint", "witness_care", 1)]


def test_a_police_systems_page_is_not_emptied_by_another_forces_older_requests(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    """Force 02's older complaints about the police are not force 01's: asked for one request at a time,
    force 01's police system still gets its own (the demo review), not an empty page that says no more."""
    other = create_other_unit(seeded)
    for day in (3, 4):
        make_request(
            seeded,
            victim_id=other["victim_id"],
            urn=other["urn"],
            agency="police",
            now=datetime(2024, 6, day, 9, tzinfo=UTC),
        )
    response = agency("police").request("GET", "/api/v1/requests", params={"limit": 1})
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["requests"]] == [DEMO_REVIEW_ID]


def test_a_complaint_not_about_a_case_reaches_probation_and_not_a_forces_police(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    """Probation answers for every force, so it sees a complaint about it made without a case; a police
    force's system sees no complaint that is not about one of its force's cases."""
    with seeded.app_context(), db.job() as session:
        made = {
            name: lifecycle.submit(
                session,
                kind=COMPLAINT,
                victim_id=demo_victim_id(seeded),
                agency=name,
                answers={"what_happened": "Nobody called back", "what_you_want": "A call"},
                submitted_by_user_id=None,
                case_id=None,
            ).id
            for name in ("probation", "police")
        }
    probation, police = agency("probation"), agency("police")
    listed = probation.request("GET", "/api/v1/requests").json()["requests"]
    assert [item["id"] for item in listed] == [made["probation"]]
    acknowledge = {"status": "acknowledged"}
    assert (
        probation.request(
            "POST", f"/api/v1/requests/{made['probation']}/status", json=acknowledge
        ).status_code
        == 200
    )
    assert made["police"] not in [
        item["id"] for item in police.request("GET", "/api/v1/requests").json()["requests"]
    ]
    assert (
        police.request("POST", f"/api/v1/requests/{made['police']}/status", json=acknowledge).status_code
        == 404
    )
