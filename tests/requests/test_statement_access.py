"""Who may make a Victim Personal Statement, on both databases: only the victim, only on their own case,
only once an update offers it (for the court: the CPS through Witness Care; for the Parole Board: probation,
once a parole review has started). Everything else answers 404, as if it did not exist."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import CaseUpdate, VictimRequest
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from tests.support.builders import create_update
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

COURT = f"/cases/{DEMO_CASE_URN}/statement/court"
PAROLE = f"/cases/{DEMO_CASE_URN}/statement/parole"
PAGES = ("", "/write", "/read-aloud", "/check", "/saved", "/sent/VPS-2222-2222")


def update_ids(app: Flask, urn: str) -> list[str]:
    with app.app_context(), db.job() as session:
        return list(
            session.scalars(select(CaseUpdate.id).join(CaseUpdate.case).where(CaseUpdate.case.has(urn=urn)))
        )


@pytest.fixture
def pat(seeded: Flask) -> FlaskClient:
    create_other_unit(seeded)
    return signed_in(seeded, "pat@demo.example")


def test_another_victims_case_and_updates_are_not_found(seeded: Flask, pat: FlaskClient) -> None:
    for page in PAGES:
        assert pat.get(COURT + page).status_code == 404, page
    assert post_form(pat, COURT + "/write", {"statement": "x"}, page="/cases").status_code == 404
    for update_id in update_ids(seeded, DEMO_CASE_URN):
        assert pat.get(f"/updates/{update_id}/statement").status_code == 404
    assert pat.get("/updates/no-such-update/statement").status_code == 404


def test_a_case_whose_updates_offer_no_statement_is_not_found(victim_client: FlaskClient) -> None:
    html = victim_client.get(f"/cases/{EARLIER_CASE_URN}").get_data(as_text=True)
    assert "Make a Victim Personal Statement" not in html
    for page in PAGES:
        assert victim_client.get(f"/cases/{EARLIER_CASE_URN}/statement/court{page}").status_code == 404
    assert victim_client.get(f"/cases/{DEMO_CASE_URN}/statement/other").status_code == 404


def test_staff_cannot_use_the_victims_journey(officer_client: FlaskClient) -> None:
    assert officer_client.get(COURT).status_code in (302, 403, 404)
    assert officer_client.get(COURT).status_code != 200


def test_another_victims_reference_is_not_found(
    seeded: Flask, victim_client: FlaskClient, pat: FlaskClient
) -> None:
    post_form(victim_client, COURT + "/write", {"statement": "How it affected me.", "action": "continue"})
    post_form(victim_client, COURT + "/read-aloud", {"choice": "myself"})
    sent = post_form(victim_client, COURT + "/check", {"understood": "y"})
    reference = sent.headers["Location"].rsplit("/", 1)[1]
    assert victim_client.get(sent.headers["Location"]).status_code == 200
    assert pat.get(sent.headers["Location"]).status_code == 404
    # Nor through another purpose of the same case.
    assert victim_client.get(f"{PAROLE}/sent/{reference}").status_code == 404


def test_a_statement_for_the_parole_board_once_a_review_started_goes_to_probation(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    assert victim_client.get(PAROLE).status_code == 404  # no parole review yet
    statement_by = date.today() + timedelta(days=60)
    update = create_update(
        seeded,
        DEMO_CASE_URN,
        "parole-review-started",
        agency="probation",
        agency_event_id="parole-1",
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
        details={"statement_by": statement_by.isoformat()},
    )
    html = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert f'href="/updates/{update.id}/statement"' in html
    assert victim_client.get(f"/updates/{update.id}/statement").headers["Location"].endswith(PAROLE)
    start = page_text(victim_client.get(PAROLE))
    assert "Make a Victim Personal Statement to the Parole Board" in start
    assert "The prisoner and their lawyers will normally see your statement." in start
    assert "whether you think the prisoner should be released" in start
    post_form(victim_client, PAROLE + "/write", {"statement": "I am still afraid.", "action": "continue"})
    question = page_text(victim_client.get(PAROLE + "/read-aloud"))
    assert "Do you want to read your statement at the Parole Board hearing?" in question
    refused = post_form(victim_client, PAROLE + "/read-aloud", {"choice": "myself"})  # a court answer
    assert "Select whether you want to read your statement at the hearing" in page_text(refused)
    post_form(victim_client, PAROLE + "/read-aloud", {"choice": "yes"})
    sent = post_form(victim_client, PAROLE + "/check", {"understood": "y"})
    assert "Your Victim Liaison Officer will give your statement to the Parole Board." in page_text(
        victim_client.get(sent.headers["Location"])
    )
    with seeded.app_context(), db.job() as session:
        request = session.scalars(
            select(VictimRequest).where(VictimRequest.reference == sent.headers["Location"].rsplit("/", 1)[1])
        ).one()
        assert (request.agency, request.update_id) == ("probation", update.id)
        assert request.answers["purpose"] == "parole" and request.answers["read_at_hearing"] == "yes"
    # The court statement is separate: its draft and versions are its own.
    assert "I am still afraid." not in victim_client.get(COURT + "/write").get_data(as_text=True)


def test_the_statement_goes_to_the_cps_with_the_newest_update_offering_it(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    links = re.findall(
        r'href="/updates/([^"]+)/statement"',
        victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True),
    )
    assert len(links) == 2  # the charge, and the guilty verdict (before sentence)
    post_form(victim_client, COURT + "/write", {"statement": "How it affected me.", "action": "continue"})
    post_form(victim_client, COURT + "/read-aloud", {"choice": "no-preference"})
    sent = post_form(victim_client, COURT + "/check", {"understood": "y"})
    with seeded.app_context(), db.job() as session:
        request = session.scalars(
            select(VictimRequest).where(VictimRequest.reference == sent.headers["Location"].rsplit("/", 1)[1])
        ).one()
        offered_by = session.get(CaseUpdate, request.update_id)
        assert offered_by is not None and offered_by.event_type == "verdict"
        assert request.agency == "cps"
