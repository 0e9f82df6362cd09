"""Issue 16: a victim sees the requests they made on a case (on the case page, under "Your requests"), opens
each one (what they sent, what has happened, the dates it is due, the answer) and may withdraw it while it
is not answered. Nobody else's request, and none of theirs through another case, is reachable."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, VictimRequest, VictimRequestEvent
from portal.models.victim_requests import ANSWERED, COMPLAINT, IN_PROGRESS, REVIEW, WITHDRAWN
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from portal.services.requests import lifecycle
from portal.services.requests.views import answer_rows
from tests.support.builders import add_victim_to_case, create_case
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import user_by_email
from tests.support.scenarios import create_other_unit

WHAT_HAPPENED = "The officer did not call me back after the hearing."


def make_request(
    app: Flask,
    *,
    victim_id: str | None = None,
    urn: str = DEMO_CASE_URN,
    kind: str = COMPLAINT,
    agency: str = "witness_care",
    now: datetime | None = None,
) -> str:
    """A request made through `lifecycle.submit`; returns its reference."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        request = lifecycle.submit(
            session,
            kind=kind,
            victim_id=victim_id or demo_victim_id(app),
            agency=agency,
            answers={"what_happened": WHAT_HAPPENED, "what_you_want": "An apology", "secret_key": "hidden"},
            submitted_by_user_id=None,
            case_id=case.id,
            now=now,
        )
        return request.reference


def move(app: Flask, reference: str, status: str, **options: Any) -> None:
    with app.app_context(), db.job() as session:
        request = session.scalar(select(VictimRequest).where(VictimRequest.reference == reference))
        assert request is not None
        lifecycle.change_status(session, request, status, **options)


def status_of(app: Flask, reference: str) -> str:
    with app.app_context(), db.job() as session:
        status = session.scalar(select(VictimRequest.status).where(VictimRequest.reference == reference))
        assert status is not None
        return status


def test_the_case_page_lists_the_victims_requests_on_that_case(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"))
    assert "Your requests" in page
    assert f"Complaint Reference {reference}" in page
    assert "Received" in page
    assert "An answer is due by" in page
    html = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert f'href="/cases/{DEMO_CASE_URN}/requests/{reference}"' in html
    # A change of status shows, with its date.
    move(seeded, reference, IN_PROGRESS, now=datetime(2026, 11, 27, 10, tzinfo=UTC))
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"))
    assert f"Complaint Reference {reference} Being investigated Since 27 November 2026" in page
    # "Your requests" comes after the summary panel and before the updates.
    assert html.index("Your requests") < html.index(">Updates<")


def test_a_case_without_requests_has_no_requests_section(seeded: Flask, victim_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        case = create_case(session, "01EF7777727", offence="Criminal damage")
        add_victim_to_case(session, case, demo_victim_id(seeded))
    reference = make_request(seeded)  # on another case
    page = page_text(victim_client.get("/cases/01EF7777727"))
    assert "Your requests" not in page and reference not in page


def test_the_request_page_shows_what_was_sent_the_dates_and_the_history(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    move(seeded, reference, IN_PROGRESS, note="We are looking into it.")
    response = victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}")
    assert response.status_code == 200
    page = page_text(response)
    assert f"What happened {WHAT_HAPPENED}" in page  # the complaint's own label for the answer
    assert "What you would like to happen An apology" in page
    assert "hidden" not in page  # an answer the kind does not label is not shown
    assert "Being investigated" in page and "We are looking into it." in page
    assert re.search(r"Received ?: \d+ \w+ \d{4}", page)
    assert "An answer is due by" in page
    assert "Withdraw this request" in page


def test_the_answer_is_shown_in_welsh_when_the_agency_sent_it_and_said_to_be_english_otherwise(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    welsh = make_request(seeded)
    english = make_request(seeded)
    move(seeded, welsh, ANSWERED, outcome="We are sorry.", outcome_cy="Mae'n ddrwg gennym.")
    move(seeded, english, ANSWERED, outcome="We have spoken to the officer.")
    assert "We are sorry." in page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{welsh}"))
    victim_client.get("/language/cy?next=/cases")
    in_welsh = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{welsh}"))
    assert "Mae'n ddrwg gennym." in in_welsh and "We are sorry." not in in_welsh
    only_english = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{english}"))
    assert "We have spoken to the officer." in only_english
    assert "They sent their answer in English only." in only_english or "Saesneg" in only_english


def test_another_victims_request_and_one_through_another_case_are_not_found(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    other = create_other_unit(seeded)
    theirs = make_request(seeded, victim_id=other["victim_id"], urn=other["urn"])
    mine = make_request(seeded)
    routes = [
        f"/cases/{other['urn']}/requests/{theirs}",
        f"/cases/{DEMO_CASE_URN}/requests/{theirs}",
        f"/cases/{EARLIER_CASE_URN}/requests/{mine}",  # my request, but not on this case
        f"/cases/{DEMO_CASE_URN}/requests/REV-2222-2222",
    ]
    for route in routes:
        assert victim_client.get(route).status_code == 404, route
        assert victim_client.get(route + "/withdraw").status_code == 404, route
        token_page = f"/cases/{DEMO_CASE_URN}/requests/{mine}/withdraw"
        response = post_form(victim_client, route + "/withdraw", {}, page=token_page)
        assert response.status_code == 404, route
    assert status_of(seeded, theirs) == "received"
    assert victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{mine}").status_code == 200


def test_another_signed_in_person_cannot_open_the_victims_request(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    assert officer_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}").status_code == 404


def test_the_victim_withdraws_a_request_after_confirming(seeded: Flask, victim_client: FlaskClient) -> None:
    reference = make_request(seeded)
    url = f"/cases/{DEMO_CASE_URN}/requests/{reference}/withdraw"
    confirm = page_text(victim_client.get(url))
    assert "Are you sure you want to withdraw this request?" in confirm
    response = post_form(victim_client, url, {})
    assert response.status_code == 302
    assert status_of(seeded, reference) == WITHDRAWN
    page = page_text(victim_client.get(response.headers["Location"]))
    assert f"You have withdrawn your request {reference}." in page
    assert "Withdraw this request" not in page
    with seeded.app_context(), db.job() as session:
        event = session.scalars(
            select(VictimRequestEvent).where(VictimRequestEvent.status == WITHDRAWN)
        ).one()
        assert event.by_user_id == user_by_email(seeded, "victim@demo.example").id


def test_a_withdrawal_without_the_form_token_changes_nothing(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    response = victim_client.post(f"/cases/{DEMO_CASE_URN}/requests/{reference}/withdraw", data={})
    assert response.status_code == 400
    assert status_of(seeded, reference) == "received"


def test_an_answered_request_cannot_be_withdrawn(seeded: Flask, victim_client: FlaskClient) -> None:
    reference = make_request(seeded, kind=REVIEW, agency="cps")
    url = f"/cases/{DEMO_CASE_URN}/requests/{reference}/withdraw"
    token_page = victim_client.get(url)  # the confirmation page, opened before the answer came
    move(seeded, reference, ANSWERED, outcome="The decision stands.", decision="upheld")
    from tests.support.pages import csrf_from

    response = victim_client.post(url, data={"csrf_token": csrf_from(token_page.get_data(as_text=True))})
    assert response.status_code == 302
    assert status_of(seeded, reference) == ANSWERED
    page = page_text(victim_client.get(response.headers["Location"]))
    assert "cannot be withdrawn" in page
    assert "Decision made" in page and "The decision stands." in page
    assert "Withdraw this request" not in page
    assert victim_client.get(url).status_code == 302  # no confirmation page any more


def test_the_request_dates_are_the_agencys_targets(seeded: Flask, victim_client: FlaskClient) -> None:
    # Friday 22 May 2026; the CPS acknowledges a review in 5 working days and answers in 30 (Monday 25 May
    # is a bank holiday): acknowledge by Monday 1 June, answer by Monday 6 July.
    reference = make_request(seeded, kind=REVIEW, agency="cps", now=datetime(2026, 5, 22, 9, tzinfo=UTC))
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "They should tell you they have it by 1 June 2026" in page
    assert "An answer is due by 6 July 2026" in page


def test_what_was_sent_is_shown_under_the_kinds_labels_in_their_order(babel_app_context: Flask) -> None:
    answers = {
        "what_you_want": ["An apology", " ", "A call back"],
        "happened_on": None,
        "what_happened": "Nobody rang.",
        "unlabelled": "not shown",
    }
    rows = [(row.label, row.values) for row in answer_rows(COMPLAINT, answers)]
    assert rows == [
        ("What happened", ["Nobody rang."]),
        ("What you would like to happen", ["An apology", "A call back"]),
    ]
    assert answer_rows("no-such-kind", answers) == []  # a kind without labels shows nothing of its answers
