"""Issue 16: a witness care officer sees the requests victims made on the unit's cases (everything witness
care answers, and reviews and statements sent to the other agencies; not complaints about another agency),
overdue ones first; acknowledges, moves on and answers the ones witness care answers, each change and each
look audited. Another unit's requests are not there and not reachable."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.models.victim_requests import ACKNOWLEDGED, ANSWERED, REVIEW, STATEMENT
from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.requests import views as request_views
from portal.services.requests.views import REQUEST_STATUS_CHANGED
from tests.requests.test_views import make_request, move, status_of
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import user_by_email
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

LONG_AGO = datetime(2024, 6, 3, 9, tzinfo=UTC)


def _open_count(client: FlaskClient) -> int:
    match = re.search(r"Requests from victims (\d+) open requests?", page_text(client.get("/staff")))
    assert match is not None
    return int(match.group(1))


def test_the_officer_sees_the_units_requests_overdue_first_and_not_others(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    other = create_other_unit(seeded)
    fresh = make_request(seeded)
    overdue = make_request(seeded, now=LONG_AGO)
    cps_review = make_request(seeded, kind=REVIEW, agency="cps")
    statement = make_request(seeded, kind=STATEMENT, agency="probation")
    about_police = make_request(seeded, agency="police")
    about_portal = make_request(seeded, agency="service")
    other_units = make_request(seeded, victim_id=other["victim_id"], urn=other["urn"])
    answered = make_request(seeded, now=LONG_AGO)
    move(seeded, answered, ANSWERED, outcome="Sorted.")

    html = officer_client.get("/staff/requests").get_data(as_text=True)
    for shown in (fresh, overdue, cps_review, statement, answered):
        assert shown in html, shown
    for hidden in (about_police, about_portal, other_units):
        assert hidden not in html, hidden
    # Overdue first (with a red tag), then the other open ones; answered ones last.
    assert html.index(overdue) < html.index(fresh) < html.index(answered)
    overdue_row = html[html.index(overdue) : html.index(overdue) + 600]
    assert "govuk-tag--red" in overdue_row and "Overdue" in overdue_row
    fresh_row = html[html.index(fresh) : html.index(fresh) + 600]
    assert "Overdue" not in fresh_row
    # The old answered request is not overdue: it is closed.
    assert "Overdue" not in html[html.index(answered) :]
    for hidden in (about_police, about_portal, other_units):
        assert officer_client.get(f"/staff/requests/{hidden}").status_code == 404, hidden


def test_the_list_and_each_request_are_audited(
    seeded: Flask, officer_client: FlaskClient, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    victim_id = demo_victim_id(seeded)
    officer_client.get("/staff/requests")
    officer_client.get(f"/staff/requests/{reference}")
    with seeded.app_context(), db.job() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_victim_id == victim_id)).all()
    listed = [e for e in events if e.action == audit.VICTIM_LISTED and e.detail.get("what") == "requests"]
    viewed = [
        e
        for e in events
        if e.action == audit.VICTIM_DATA_VIEWED and e.detail.get("what") == f"request {reference}"
    ]
    assert len(listed) == 1 and len(viewed) == 1
    # The victim reads it in plain words; the list of many victims is not a look at theirs.
    who_has_viewed = page_text(victim_client.get("/account/who-has-viewed")).lower()
    assert f"looked at your request {reference.lower()}" in who_has_viewed


def test_the_officer_acknowledges_then_answers_a_witness_care_request(
    seeded: Flask, officer_client: FlaskClient, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    url = f"/staff/requests/{reference}"
    response = post_form(officer_client, url, {"status": ACKNOWLEDGED, "note": "We have your complaint."})
    assert response.status_code == 302
    assert status_of(seeded, reference) == ACKNOWLEDGED

    refused = post_form(officer_client, url, {"status": ANSWERED, "outcome": "  "})
    assert refused.status_code == 200
    assert "Enter the answer, in words for the victim" in page_text(refused)
    assert status_of(seeded, reference) == ACKNOWLEDGED

    done = post_form(
        officer_client, url, {"status": ANSWERED, "outcome": "We are sorry; it will not happen again."}
    )
    assert done.status_code == 302
    assert status_of(seeded, reference) == ANSWERED
    page = page_text(officer_client.get(url))
    assert "Update the request" not in page  # nothing more to do

    with seeded.app_context(), db.job() as session:
        changes = session.scalars(
            select(AuditEvent).where(AuditEvent.action == REQUEST_STATUS_CHANGED).order_by(AuditEvent.id)
        ).all()
    assert [(e.detail["reference"], e.detail["status"]) for e in changes] == [
        (reference, ACKNOWLEDGED),
        (reference, ANSWERED),
    ]
    assert all(e.subject_victim_id == demo_victim_id(seeded) for e in changes)

    seen = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "We are sorry; it will not happen again." in seen and "We have your complaint." in seen


def test_the_officer_reads_but_cannot_move_another_agencys_request(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    reference = make_request(seeded, kind=REVIEW, agency="cps")
    url = f"/staff/requests/{reference}"
    page = page_text(officer_client.get(url))
    assert "You can read it here but not change it." in page and "Update the request" not in page
    witness_care = make_request(seeded)
    post_form(
        officer_client, url, {"status": ANSWERED, "outcome": "No."}, page=f"/staff/requests/{witness_care}"
    )
    assert status_of(seeded, reference) == "received"


def test_another_units_officer_cannot_reach_the_request(seeded: Flask) -> None:
    create_other_unit(seeded)
    reference = make_request(seeded)
    other_officer = signed_in(seeded, "other.officer@demo.example")
    assert reference not in other_officer.get("/staff/requests").get_data(as_text=True)
    assert other_officer.get(f"/staff/requests/{reference}").status_code == 404
    response = post_form(
        other_officer,
        f"/staff/requests/{reference}",
        {"status": ANSWERED, "outcome": "x"},
        page="/staff/requests",
    )
    assert response.status_code == 404
    assert status_of(seeded, reference) == "received"


def test_the_home_page_counts_open_requests_witness_care_answers_and_the_victim_page_lists_them(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    before = _open_count(officer_client)
    reference = make_request(seeded)
    make_request(seeded, agency="police")  # not the unit's to see
    make_request(seeded, kind=REVIEW, agency="cps")  # listed, but the CPS answers it
    assert _open_count(officer_client) == before + 1
    move(seeded, reference, ANSWERED, outcome="Done.")
    assert _open_count(officer_client) == before
    page = officer_client.get(f"/staff/victims/{demo_victim_id(seeded)}").get_data(as_text=True)
    assert reference in page and f'href="/staff/requests/{reference}"' in page


def test_a_request_made_yesterday_is_not_overdue_until_its_target_day_ends(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    reference = make_request(seeded, now=datetime.now(UTC) - timedelta(days=1))
    html = officer_client.get("/staff/requests").get_data(as_text=True)
    # A complaint about witness care is acknowledged within 3 working days.
    assert "Overdue" not in html[html.index(reference) : html.index(reference) + 600]


def test_the_service_refuses_an_officers_change_to_another_agencys_request(seeded: Flask) -> None:
    reference = make_request(seeded, kind=REVIEW, agency="cps")
    user = user_by_email(seeded, "officer@demo.example")
    officer = Actor(user_id=user.id, role=user.role, force_code="01", label="officer")
    with seeded.test_request_context(), db.job() as session, pytest.raises(NotFound):
        request_views.officer_change(session, officer, reference, ANSWERED, outcome="No.")
    assert status_of(seeded, reference) == "received"
