"""Issue 16: the victim's requests are on their case timeline itself: making one, and each time the agency
moves it on, is an entry among the updates, where it happened in time, linking to the request. Only the
victim sees them; an answered review is the case's vrr-outcome update, not a second entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, VictimRequest
from portal.models.victim_requests import ACKNOWLEDGED, ANSWERED, IN_PROGRESS, REVIEW
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.requests import lifecycle
from tests.requests.test_views import make_request, move
from tests.support.builders import add_victim_to_case, create_case, create_update
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit

PAGED_URN = "01PG5555555"
START = datetime(2026, 1, 5, 10, tzinfo=UTC)


def _titles(client: FlaskClient, url: str) -> list[str]:
    html = client.get(url).get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", title).strip()
        for title in re.findall(r'class="moj-timeline__title">(.*?)<', html, re.S)
    ]


def _on_timeline(client: FlaskClient, url: str) -> set[str]:
    """The references of the requests with entries on the timeline of the page at `url`."""
    html = client.get(url).get_data(as_text=True)
    timeline = html[html.index('class="moj-timeline"') :]
    return set(re.findall(r'/requests/([A-Z0-9-]+)">See your request', timeline))


def _paged_case(app: Flask) -> None:
    """A case of the demo victim's with 25 updates, one a day from START (page 1: the 20 newest)."""
    with app.app_context(), db.job() as session:
        case = create_case(session, PAGED_URN, offence="Burglary")
        add_victim_to_case(session, case, demo_victim_id(app))
        for day in range(25):
            create_update(
                session,
                case,
                "investigation-update",
                agency="police",
                agency_event_id=f"paged-{day}",
                occurred_at=START + timedelta(days=day),
                details={"summary": f"Update of day {day}"},
                announce=False,
            )


def test_making_a_request_and_its_changes_are_entries_on_the_case_timeline(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    now = datetime.now(UTC)
    reference = make_request(seeded, now=now - timedelta(minutes=30))
    move(
        seeded,
        reference,
        ACKNOWLEDGED,
        now=now - timedelta(minutes=20),
        note="Your complaint is with our manager.",
    )
    move(seeded, reference, IN_PROGRESS, now=now - timedelta(minutes=10))
    titles = _titles(victim_client, f"/cases/{DEMO_CASE_URN}")
    # Newest first, above the updates that came before them.
    assert titles[:3] == ["Complaint: Being investigated", "Complaint: Acknowledged", "You made a complaint"]
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"))
    assert "You You made a complaint" in page and "Sent to Witness Care." in page
    assert "Your complaint is with our manager." in page
    html = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert html.count(f'href="/cases/{DEMO_CASE_URN}/requests/{reference}"') >= 4  # 3 entries and the list
    # A request's entry is not an update: no "Was this update clear?" under it.
    first = html.index("Complaint: Being investigated")
    assert "Was this update clear?" not in html[first : html.index("moj-timeline__item", first)]


def test_a_withdrawn_request_is_shown_as_the_victims_own_change(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded)
    assert (
        post_form(victim_client, f"/cases/{DEMO_CASE_URN}/requests/{reference}/withdraw", {}).status_code
        == 302
    )
    titles = _titles(victim_client, f"/cases/{DEMO_CASE_URN}")
    assert titles[:2] == ["Complaint: Withdrawn", "You made a complaint"]
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"))
    assert "You Complaint: Withdrawn" in page


def test_a_change_is_on_the_page_whose_updates_surround_it_in_time(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    _paged_case(seeded)
    victim_id = demo_victim_id(seeded)
    with seeded.app_context(), db.job() as session:
        case_id = session.scalar(select(Case.id).where(Case.urn == PAGED_URN))

    def submitted(at: datetime) -> str:
        with seeded.app_context(), db.job() as session:
            return lifecycle.submit(
                session,
                kind="complaint",
                victim_id=victim_id,
                agency="police",
                answers={},
                submitted_by_user_id=None,
                case_id=case_id,
                now=at,
            ).reference

    older_than_all = submitted(START - timedelta(days=3))
    among_page_two = submitted(START + timedelta(days=2, hours=12))  # between days 2 and 3: page 2
    among_page_one = submitted(START + timedelta(days=10, hours=12))  # between days 10 and 11: page 1
    newer_than_all = submitted(START + timedelta(days=40))
    first = _on_timeline(victim_client, f"/cases/{PAGED_URN}")
    second = _on_timeline(victim_client, f"/cases/{PAGED_URN}?page=2")
    for reference in (among_page_one, newer_than_all):
        assert reference in first and reference not in second
    for reference in (older_than_all, among_page_two):
        assert reference in second and reference not in first
    # Among the updates, where it happened: between the update of day 3 and the update of day 2.
    titles = _titles(victim_client, f"/cases/{PAGED_URN}?page=2")
    assert titles.index("You made a complaint") == 2  # days 4 and 3 above it
    assert titles[-1] == "You made a complaint"  # the one older than every update
    assert "Showing 21 to 25 of 25 updates" in page_text(victim_client.get(f"/cases/{PAGED_URN}?page=2"))


def test_filtered_to_an_agency_only_requests_to_that_agency_are_shown(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded, agency="witness_care")
    assert reference in victim_client.get(f"/cases/{DEMO_CASE_URN}?source=witness_care").get_data(
        as_text=True
    )
    police = victim_client.get(f"/cases/{DEMO_CASE_URN}?source=police").get_data(as_text=True)
    assert "You made a complaint" not in police


def test_an_answered_review_is_its_outcome_update_and_not_a_second_entry(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    reference = make_request(seeded, kind=REVIEW, agency="cps")
    move(seeded, reference, ANSWERED, outcome="We looked again and the decision stands.", decision="upheld")
    titles = _titles(victim_client, f"/cases/{DEMO_CASE_URN}")
    assert "You asked for a review of a decision" in titles
    assert not any(title.startswith("Request for a review of a decision: Decision made") for title in titles)
    page = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"))
    assert "We looked again and the decision stands." in page  # the vrr-outcome update


def test_nobody_else_sees_the_victims_requests_on_the_timeline(
    seeded: Flask, victim_client: FlaskClient, officer_client: FlaskClient
) -> None:
    other = create_other_unit(seeded)
    with seeded.app_context(), db.job() as session:
        add_victim_to_case(session, DEMO_CASE_URN, other["victim_id"])
    theirs = make_request(seeded, victim_id=other["victim_id"])
    mine = make_request(seeded)
    assert {mine} <= _on_timeline(victim_client, f"/cases/{DEMO_CASE_URN}")
    assert theirs not in victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    officer_view = officer_client.get(f"/staff/victims/{demo_victim_id(seeded)}/cases/{DEMO_CASE_URN}")
    if officer_view.status_code == 200:
        assert "You made a complaint" not in officer_view.get_data(as_text=True)
    with seeded.app_context(), db.job() as session:
        assert session.scalar(select(VictimRequest.id).where(VictimRequest.reference == mine)) is not None
