"""Issue 16, part 4: a victim makes a complaint from their case page or from the help page, one question a
page; what they typed is kept on the server through errors; check answers, then a confirmation with the
reference and the dates the agency should acknowledge and reply by. Another victim's case is a 404.
(The demo data's own complaint, DEMO_COMPLAINT_ID, is left out of what these tests count.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, VictimRequest
from portal.services.demo_data import DEMO_CASE_URN, DEMO_COMPLAINT_ID, DEMO_VICTIM_ID, EARLIER_CASE_URN
from portal.services.requests import kinds
from portal.services.vocabulary.deadlines import add_working_days, london_date
from portal.template_helpers import govuk_date
from tests.support.demo import OFFICER
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

CASE = f"/cases/{DEMO_CASE_URN}/complaint"
WEBSITE = "/complaint/about-this-website"
WHAT_HAPPENED = "The officer said they would call me back on Monday.\nNobody called."


def _complaints(app: Flask) -> list[VictimRequest]:
    with app.app_context():
        found = db.session.scalars(
            select(VictimRequest).where(
                VictimRequest.kind == "complaint", VictimRequest.id != DEMO_COMPLAINT_ID
            )
        ).all()
        db.session.expunge_all()
        return list(found)


def test_the_case_page_and_the_help_page_lead_to_the_complaint(victim_client: FlaskClient) -> None:
    case_page = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert f'href="{CASE}">Make a complaint</a>' in case_page
    assert 'href="/complaint">Make a complaint online</a>' in victim_client.get("/help").get_data(
        as_text=True
    )
    start = victim_client.get(CASE)
    assert start.status_code == 200
    assert f'href="{CASE}/who"' in start.get_data(as_text=True)


def test_signed_out_the_help_page_has_no_complaint_link(client: FlaskClient, seeded: Flask) -> None:
    assert "Make a complaint online" not in page_text(client.get("/help"))


def test_a_complaint_about_an_agency_on_a_case(victim_client: FlaskClient, seeded: Flask) -> None:
    who = page_text(victim_client.get(f"{CASE}/who"))
    # Every agency has sent the demo victim updates on this case: all four are suggested, then the portal.
    assert who.count("They have sent you updates about this case") == 4
    assert who.index("The police") < who.index("or This website (the victims' portal)")

    refused = post_form(victim_client, f"{CASE}/who", {})
    assert refused.status_code == 200
    assert "There is a problem Select who your complaint is about" in page_text(refused)
    unknown = post_form(victim_client, f"{CASE}/who", {"agency": "court"})
    assert "Select who your complaint is about" in page_text(unknown)

    chosen = post_form(victim_client, f"{CASE}/who", {"agency": "cps"})
    assert chosen.location == f"{CASE}/what-happened"

    # An error keeps what was typed, on the page and on the server (it is there when the page is opened again).
    no_text = post_form(
        victim_client,
        f"{CASE}/what-happened",
        {"what_happened": "", "happened-on-day": "3", "happened-on-month": "2", "happened-on-year": "2026"},
    )
    assert "There is a problem Enter what happened" in page_text(no_text)
    bad_date = post_form(
        victim_client,
        f"{CASE}/what-happened",
        {"what_happened": WHAT_HAPPENED, "happened-on-day": "31", "happened-on-month": "2"},
    )
    assert "The date it happened must include a year" in page_text(bad_date)
    assert WHAT_HAPPENED in bad_date.get_data(as_text=True)
    again = victim_client.get(f"{CASE}/what-happened").get_data(as_text=True)
    assert WHAT_HAPPENED in again
    assert re.search(r'id="happened-on-day"[^>]*value="31"', again)

    too_long = post_form(victim_client, f"{CASE}/what-happened", {"what_happened": "x" * 5001})
    assert "What happened must be 5000 characters or fewer" in page_text(too_long)
    assert "x" * 5001 in victim_client.get(f"{CASE}/what-happened").get_data(as_text=True)

    answered = post_form(
        victim_client,
        f"{CASE}/what-happened",
        {
            "what_happened": WHAT_HAPPENED,
            "happened-on-day": "3",
            "happened-on-month": "2",
            "happened-on-year": "2026",
        },
    )
    assert answered.location == f"{CASE}/what-you-want"
    empty = post_form(victim_client, f"{CASE}/what-you-want", {"what_you_want": " "})
    assert "Enter what you would like to happen" in page_text(empty)
    assert post_form(victim_client, f"{CASE}/what-you-want", {"what_you_want": "An apology"}).location == (
        f"{CASE}/check"
    )

    check = page_text(victim_client.get(f"{CASE}/check"))
    assert "Case Assault, reference 01YZ1234524" in check
    assert "Who it is about The Crown Prosecution Service (CPS) Change who it is about" in check
    assert "What happened The officer said they would call me back on Monday. Nobody called." in check
    assert "When it happened 3 February 2026" in check
    assert "What you would like to happen An apology" in check
    assert _complaints(seeded) == []

    sent = post_form(victim_client, f"{CASE}/check", {})
    assert sent.location == f"{CASE}/sent"
    [stored] = _complaints(seeded)
    with seeded.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.urn == DEMO_CASE_URN))
        today = london_date(datetime.now(UTC))
        targets = kinds.targets_for("complaint", "cps")
        assert targets.acknowledge_days is not None and targets.answer_days is not None
        acknowledge_by = add_working_days(today, targets.acknowledge_days)
        answer_by = add_working_days(today, targets.answer_days)
    assert (stored.agency, stored.case_id, stored.victim_id, stored.status) == (
        "cps",
        case_id,
        DEMO_VICTIM_ID,
        "received",
    )
    assert stored.answers == {
        "what_happened": WHAT_HAPPENED,
        "what_you_want": "An apology",
        "happened_on": "2026-02-03",
    }
    assert (stored.acknowledge_by, stored.answer_by) == (acknowledge_by, answer_by)

    confirmation = victim_client.get(f"{CASE}/sent")
    text = page_text(confirmation)
    assert f"Complaint sent Your reference number {stored.reference}" in text
    with seeded.test_request_context():
        dates = f"They should acknowledge it by {govuk_date(acknowledge_by)} and reply by {govuk_date(answer_by)}."
    assert dates in text
    assert "https://www.ombudsman.org.uk/" in confirmation.get_data(as_text=True)

    # Sent: the answers are gone, the next complaint starts afresh.
    assert not re.search(r"<input[^>]*checked", victim_client.get(f"{CASE}/who").get_data(as_text=True))
    assert victim_client.get(f"{CASE}/check").location == f"{CASE}/who"


def test_a_complaint_about_the_portal_from_the_help_page(victim_client: FlaskClient, seeded: Flask) -> None:
    choose = page_text(victim_client.get("/complaint"))
    assert "Assault Reference 01YZ1234524" in choose and f"Burglary Reference {EARLIER_CASE_URN}" in choose
    assert "Select what your complaint is about" in page_text(post_form(victim_client, "/complaint", {}))
    assert post_form(victim_client, "/complaint", {"about": EARLIER_CASE_URN}).location == (
        f"/cases/{EARLIER_CASE_URN}/complaint"
    )
    assert post_form(victim_client, "/complaint", {"about": "service"}).location == WEBSITE

    start = victim_client.get(WEBSITE).get_data(as_text=True)
    assert f'href="{WEBSITE}/what-happened"' in start  # no "who" question: it is about the website
    assert victim_client.get(f"{WEBSITE}/who").location == f"{WEBSITE}/what-happened"
    assert victim_client.get(f"{WEBSITE}/nothing").status_code == 404
    post_form(victim_client, f"{WEBSITE}/what-happened", {"what_happened": "The page would not load."})
    post_form(victim_client, f"{WEBSITE}/what-you-want", {"what_you_want": "Fix it"})
    check = page_text(victim_client.get(f"{WEBSITE}/check"))
    assert "Who it is about This website (the victims' portal)" in check
    assert "When it happened Not given" in check
    assert post_form(victim_client, f"{WEBSITE}/check", {}).location == f"{WEBSITE}/sent"
    [stored] = _complaints(seeded)
    assert (stored.agency, stored.case_id) == ("service", None)
    assert stored.answers == {
        "what_happened": "The page would not load.",
        "what_you_want": "Fix it",
        "happened_on": None,
    }
    assert f"Your reference number {stored.reference}" in page_text(victim_client.get(f"{WEBSITE}/sent"))


def test_answers_on_one_case_are_not_answers_on_another(victim_client: FlaskClient) -> None:
    post_form(victim_client, f"{CASE}/who", {"agency": "police"})
    post_form(victim_client, f"{CASE}/what-happened", {"what_happened": "About the assault case"})
    other = f"/cases/{EARLIER_CASE_URN}/complaint"
    assert "About the assault case" not in victim_client.get(f"{other}/what-happened").get_data(as_text=True)
    assert victim_client.get(f"{other}/check").location == f"{other}/who"
    assert "About the assault case" in victim_client.get(f"{CASE}/what-happened").get_data(as_text=True)


def test_the_confirmation_without_a_complaint_sent_goes_back_to_the_case(victim_client: FlaskClient) -> None:
    assert victim_client.get(f"{CASE}/sent").location == f"/cases/{DEMO_CASE_URN}"
    assert victim_client.get(f"{WEBSITE}/sent").location == "/cases"


@pytest.mark.parametrize(
    "path", ["", "/who", "/what-happened", "/what-you-want", "/check", "/sent", "/nothing"]
)
def test_another_victims_case_is_not_found(victim_client: FlaskClient, seeded: Flask, path: str) -> None:
    other = create_other_unit(seeded)
    url = f"/cases/{other['urn']}/complaint{path}"
    assert victim_client.get(url).status_code == 404
    if path in ("/who", "/check"):
        assert post_form(victim_client, url, {"agency": "police"}, page=f"{CASE}/who").status_code == 404
    assert _complaints(seeded) == []


def test_staff_cannot_use_the_victims_complaint_pages(seeded: Flask) -> None:
    officer = signed_in(seeded, OFFICER)
    for url in ("/complaint", CASE, f"{CASE}/who", f"{WEBSITE}/check"):
        assert officer.get(url).status_code == 404
    assert "Make a complaint online" not in page_text(officer.get("/help"))
