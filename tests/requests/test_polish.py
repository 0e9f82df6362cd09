"""Issue 16: what a victim sent is read back in words (a statement's choices, a complaint's date in the
reader's language) on their request page, the officer's and in the download; an answered complaint says
what to do if they are not happy with the final response; "Your requests" lists every request, including
a complaint about this website made without a case, which has its own page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, VictimRequest
from portal.models.victim_requests import ANSWERED, COMPLAINT, REVIEW, SERVICE, STATEMENT
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.requests import complaint, lifecycle, review
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

COMPLAINT_ANSWERS = {
    "what_happened": "Nobody rang me.",
    "what_you_want": "A call back",
    "happened_on": "2026-11-03",
}
STATEMENT_ANSWERS = {
    "purpose": "court",
    "version": 1,
    "text": "It changed how I sleep.",
    "document_name": None,
    "read_aloud": "someone-else",
    "declaration": True,
}


def submit(
    app: Flask,
    *,
    kind: str = COMPLAINT,
    agency: str = "witness_care",
    answers: dict[str, Any] | None = None,
    urn: str | None = DEMO_CASE_URN,
    victim_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """A request made through `lifecycle.submit` (about no case when `urn` is None); its reference."""
    with app.app_context(), db.job() as session:
        case_id = None
        if urn is not None:
            case_id = session.scalar(select(Case.id).where(Case.urn == urn))
            assert case_id is not None
        request = lifecycle.submit(
            session,
            kind=kind,
            victim_id=victim_id or demo_victim_id(app),
            agency=agency,
            answers=dict(answers if answers is not None else COMPLAINT_ANSWERS),
            submitted_by_user_id=None,
            case_id=case_id,
            now=now,
        )
        return request.reference


def answer(app: Flask, reference: str) -> None:
    with app.app_context(), db.job() as session:
        request = session.scalar(select(VictimRequest).where(VictimRequest.reference == reference))
        assert request is not None
        decision = "upheld" if request.kind == REVIEW else None  # a review's answer says what it found
        lifecycle.change_status(
            session, request, ANSWERED, outcome="We have looked into it.", decision=decision
        )


# --- 1. Answers in words ----------------------------------------------------------------------------


def test_a_statements_choices_are_shown_in_words_on_the_victims_page(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = submit(seeded, kind=STATEMENT, agency="cps", answers=STATEMENT_ANSWERS)
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "Who the statement is for Victim Personal Statement for the court" in page
    assert "Reading it out in court I want someone to read it out for me" in page
    assert "Your statement It changed how I sleep." in page
    assert "someone-else" not in page


def test_a_complaints_date_is_in_words_in_the_readers_language(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = submit(seeded)
    url = f"/cases/{DEMO_CASE_URN}/requests/{reference}"
    page = page_text(victim_client.get(url))
    assert "When it happened 3 November 2026" in page and "2026-11-03" not in page
    victim_client.get("/language/cy?next=/cases")
    assert "3 Tachwedd 2026" in page_text(victim_client.get(url))


def test_the_officer_reads_the_answers_in_words(seeded: Flask, officer_client: FlaskClient) -> None:
    complaint = submit(seeded)
    statement = submit(seeded, kind=STATEMENT, agency="cps", answers=STATEMENT_ANSWERS)
    page = page_text(officer_client.get(f"/staff/requests/{complaint}"))
    assert "3 November 2026" in page and "2026-11-03" not in page
    page = page_text(officer_client.get(f"/staff/requests/{statement}"))
    assert "I want someone to read it out for me" in page and "someone-else" not in page


def test_a_reviews_answers_are_shown_trimmed_and_empty_ones_left_out(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    answers = {"reasons": "  They did not ask me.  ", "anything_else": "   ", "delay_reason": ""}
    reference = submit(seeded, kind=REVIEW, agency="cps", answers=answers)
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "Why do you disagree with the decision? They did not ask me." in page
    assert "Is there anything else" not in page and "Why are you asking for a review now?" not in page


# --- 2. After the final response ----------------------------------------------------------------------

NOT_HAPPY = "If you are not happy with the final response"


def test_an_answered_complaint_says_what_to_do_next(seeded: Flask, victim_client: FlaskClient) -> None:
    reference = submit(seeded, agency="police")
    url = f"/cases/{DEMO_CASE_URN}/requests/{reference}"
    assert NOT_HAPPY not in page_text(victim_client.get(url))  # not before the final response
    answer(seeded, reference)
    response = victim_client.get(url)
    page = page_text(response)
    assert NOT_HAPPY in page
    assert "Independent Office for Police Conduct (IOPC)" in page and "28 days" in page
    assert 'href="https://www.policeconduct.gov.uk/"' in response.get_data(as_text=True)


def test_an_answered_review_has_no_complaint_next_steps(seeded: Flask, victim_client: FlaskClient) -> None:
    reference = submit(seeded, kind=REVIEW, agency="cps", answers={"reasons": "No."})
    answer(seeded, reference)
    assert NOT_HAPPY not in page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))


# --- 3. Your requests, and a request about no case --------------------------------------------------------


def test_your_requests_lists_every_request_newest_first_with_those_about_no_case(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    on_case = submit(seeded, now=datetime(2026, 11, 2, 10, tzinfo=UTC))
    website = submit(seeded, agency=SERVICE, urn=None, now=datetime(2026, 11, 3, 10, tzinfo=UTC))
    response = victim_client.get("/requests")
    assert response.status_code == 200
    page = page_text(response)
    assert "Your requests" in page
    assert page.index(website) < page.index(on_case)  # newest first
    assert "Not about a case" in page and f"Case {DEMO_CASE_URN}" in page
    assert "Sent on 3 November 2026" in page
    html = response.get_data(as_text=True)
    assert f'href="/requests/{website}"' in html
    assert f'href="/cases/{DEMO_CASE_URN}/requests/{on_case}"' in html


def test_a_request_about_no_case_has_its_own_page_and_can_be_withdrawn(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = submit(seeded, agency=SERVICE, urn=None)
    page = page_text(victim_client.get(f"/requests/{reference}"))
    assert "This service" in page and "What happened Nobody rang me." in page
    assert "Back to your requests" in page
    response = post_form(victim_client, f"/requests/{reference}/withdraw", {})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{reference}")
    assert "Withdrawn" in page_text(victim_client.get(f"/requests/{reference}"))


def test_another_victims_request_and_a_case_request_without_its_case_are_not_found(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    other = create_other_unit(seeded)
    theirs = submit(seeded, agency=SERVICE, urn=None, victim_id=other["victim_id"])
    on_case = submit(seeded)
    mine = submit(seeded, agency=SERVICE, urn=None)
    for route in (f"/requests/{theirs}", f"/requests/{on_case}", f"/cases/{DEMO_CASE_URN}/requests/{mine}"):
        assert victim_client.get(route).status_code == 404, route
        assert victim_client.get(route + "/withdraw").status_code == 404, route
        response = post_form(victim_client, route + "/withdraw", {}, page=f"/requests/{mine}/withdraw")
        assert response.status_code == 404, route
    assert theirs not in victim_client.get("/requests").get_data(as_text=True)
    with seeded.app_context():
        status = db.session.scalar(select(VictimRequest.status).where(VictimRequest.reference == theirs))
    assert status == "received"


def test_your_cases_links_to_your_requests_only_when_there_are_some(seeded: Flask) -> None:
    other = create_other_unit(seeded)
    pat = signed_in(seeded, "pat@demo.example")
    assert 'href="/requests"' not in pat.get("/cases").get_data(as_text=True)
    assert "You have not made any requests." in page_text(pat.get("/requests"))
    submit(seeded, agency=SERVICE, urn=None, victim_id=other["victim_id"])
    assert 'href="/requests"' in pat.get("/cases").get_data(as_text=True)


def test_each_kind_gives_its_answers_in_words(babel_app_context: Flask) -> None:
    assert review.answer_values({"reasons": "  They did not ask me. ", "anything_else": "  ", "x": "y"}) == {
        "reasons": "They did not ask me."
    }
    words = complaint.answer_values(
        {"what_happened": "Nobody rang.", "what_you_want": "", "happened_on": None}
    )
    assert words == {"what_happened": "Nobody rang."}
    with force_locale("cy"):
        assert complaint.answer_values({"happened_on": "2026-03-14"}) == {"happened_on": "14 Mawrth 2026"}
    assert complaint.answer_values({"happened_on": "2026-03-14"}) == {"happened_on": "14 March 2026"}


def test_a_complaint_about_the_website_leads_from_its_confirmation_to_its_page(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    website = "/complaint/about-this-website"
    post_form(victim_client, f"{website}/what-happened", {"what_happened": "The page would not load."})
    post_form(victim_client, f"{website}/what-you-want", {"what_you_want": "Fix it"})
    assert post_form(victim_client, f"{website}/check", {}).location == f"{website}/sent"
    with seeded.app_context():
        reference = db.session.scalar(
            select(VictimRequest.reference).where(
                VictimRequest.case_id.is_(None), VictimRequest.agency == SERVICE
            )
        )
    html = victim_client.get(f"{website}/sent").get_data(as_text=True)
    assert f'href="/requests/{reference}"' in html
    page = page_text(victim_client.get(f"/requests/{reference}"))
    assert "What happened The page would not load." in page and "Received" in page
