"""The victim's joined-up view through the Flask test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import UpdateSeen, Victim
from portal.services.cases import records as case_records
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from tests.support.builders import create_case, create_update, create_user, create_victim
from tests.support.pages import csrf_from, page_text
from tests.support.signing_in import sign_in


def _add_other_victim_case(app: Flask) -> None:
    with app.app_context(), db.job() as session:
        case = create_case(session, "02CD1111125", offence="Theft")
        other = create_victim(session, "Pat", "Placeholder", case=case, email="pat@demo.example")
        create_user(
            session,
            "pat@demo.example",
            display_name="Pat",
            role="victim",
            victim_id=other.id,
            password=None,
            mfa_method=None,
        )


def test_wrong_password_shows_error_summary_and_keeps_email(seeded: Flask, client: FlaskClient) -> None:
    response = sign_in(client, "victim@demo.example", "not-the-password")
    body = page_text(response, markup=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body
    assert 'value="victim@demo.example"' in body
    assert "not-the-password" not in body
    assert "<title>Error:" in body


def test_empty_sign_in_names_each_missing_field(seeded: Flask, client: FlaskClient) -> None:
    response = sign_in(client, "", "")
    body = page_text(response, markup=True)
    assert "Enter your email address" in body
    assert "Enter your password" in body


def test_your_cases_lists_each_case_with_latest_update_and_next_hearing(
    seeded: Flask, client: FlaskClient
) -> None:
    response = sign_in(client, "victim@demo.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases")
    body = page_text(client.get("/cases"), markup=True)
    assert "Your cases" in body
    assert DEMO_CASE_URN in body and EARLIER_CASE_URN in body
    # The appeal hearing in January 2027 is still to come; the burglary case has none.
    assert "18 January 2027 at 10am, Exampletown Crown Court" in body
    assert "No hearing arranged" in body
    assert body.index("Assault") < body.index("Burglary")


def test_timeline_merges_all_four_sources_newest_first(victim_client: FlaskClient) -> None:
    body = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"), markup=True)
    for label in ("Police", "Crown Prosecution Service", "Witness Care", "Probation Service"):
        assert f">{label}<" in body.replace("> ", ">").replace(" <", "<"), label
    assert len(re.findall(r'class="moj-timeline__item" id="update-', body)) == 16
    # The demo victim's own requests on the case are entries too, in time with the updates.
    dates = re.findall(r'<time datetime="([^"]+)"', body)
    assert len(dates) == 16 + len(re.findall(r'id="request-change-', body))
    assert dates == sorted(dates, reverse=True)


def test_out_of_order_update_is_placed_by_when_it_happened(seeded: Flask, victim_client: FlaskClient) -> None:
    create_update(
        seeded,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id="late-arrival",
        occurred_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
        received_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
    )
    dates = re.findall(
        r'<time datetime="([^"]+)"', page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"), markup=True)
    )
    assert dates == sorted(dates, reverse=True)
    assert "2026-03-10T09:00:00+00:00" in dates


def test_filter_by_source_shows_only_that_source(victim_client: FlaskClient) -> None:
    body = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}?source=probation"), markup=True)
    assert len(re.findall(r'class="moj-timeline__item"', body)) == 3
    assert 'aria-current="page">Probation Service (3)' in body
    assert "Crown Prosecution Service</strong>" not in body


def test_unknown_source_filter_shows_everything(victim_client: FlaskClient) -> None:
    body = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}?source=nonsense"), markup=True)
    assert len(re.findall(r'class="moj-timeline__item"', body)) == 16


def test_updates_are_marked_new_until_seen_and_the_seen_time_is_recorded(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    assert "16 new updates" in page_text(victim_client.get("/cases"), markup=True)
    first = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"), markup=True)
    assert first.count(">New<") + first.count("> New <") >= 16
    with seeded.app_context():
        seen = db.session.scalars(select(UpdateSeen)).all()
        assert len(seen) == 16
        first_seen = {s.update_id: s.seen_at for s in seen}
    second = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}"), markup=True)
    assert ">New<" not in second.replace("> ", ">").replace(" <", "<")
    with seeded.app_context():
        again = {s.update_id: s.seen_at for s in db.session.scalars(select(UpdateSeen))}
    assert again == first_seen  # the first time seen is kept


def test_another_victims_case_is_not_found(seeded: Flask, victim_client: FlaskClient) -> None:
    _add_other_victim_case(seeded)
    # Both pages at the same instant: each shows when the session will time out (to the second, for the
    # countdown), which would differ between two requests a second apart.
    with time_machine.travel(datetime.now(UTC), tick=False):
        other = victim_client.get("/cases/02CD1111125")
        missing = victim_client.get("/cases/99ZZ9999999")
    assert other.status_code == 404 and missing.status_code == 404
    assert "Theft" not in page_text(other, markup=True)

    def strip(response: Any, path: str) -> str:
        # The page links back to its own address (the language toggle returns there): the one thing the
        # person asking already knows, so it is taken out before comparing.
        return re.sub(
            r"Reference: [0-9a-f]+|nonce=\"[^\"]+\"|value=\"[^\"]+\"",
            "",
            page_text(response, markup=True).replace(quote(path, safe=""), "").replace(path, ""),
        )

    assert strip(other, "/cases/02CD1111125") == strip(missing, "/cases/99ZZ9999999")


def test_signed_out_visitor_is_sent_to_sign_in(seeded: Flask, client: FlaskClient) -> None:
    response = client.get(f"/cases/{DEMO_CASE_URN}")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_staff_cannot_use_the_victim_pages(admin_client: FlaskClient) -> None:
    assert admin_client.get("/cases").status_code == 404


def test_case_with_no_updates_has_a_clear_empty_state(seeded: Flask, victim_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == "victim@demo.example"))
        case = create_case(session, "01EF2222226", offence="Criminal damage")
        case_records.add_victim(session, case, victim)
    assert "No updates yet" in page_text(victim_client.get("/cases"), markup=True)
    assert "There are no updates about this case yet" in page_text(
        victim_client.get("/cases/01EF2222226"), markup=True
    )


def test_victim_pages_offer_exit_this_page(victim_client: FlaskClient) -> None:
    for path in ("/cases", f"/cases/{DEMO_CASE_URN}", "/", "/sign-in"):
        assert "govuk-exit-this-page" in victim_client.get(path, follow_redirects=True).get_data(
            as_text=True
        ), path


def test_sign_in_redirects_only_to_our_own_paths(seeded: Flask, client: FlaskClient) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        # Email and password, then the second factor (the next= survives it), then home, not elsewhere.
        response = sign_in(client, "victim@demo.example", next_path=target)
        assert response.headers["Location"] == "/cases", target
        client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/cases").get_data(as_text=True))})


def test_the_agencys_own_message_is_shown_as_theirs(seeded: Flask, victim_client: FlaskClient) -> None:
    create_update(
        seeded,
        DEMO_CASE_URN,
        "vlo-contact",
        agency="probation",
        agency_event_id="with-message",
        occurred_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        message="Your liaison officer will call you on Tuesday morning.",
        announce=False,
    )
    body = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}?source=probation"), markup=True)
    assert "Message from Probation Service" in body
    assert "Your liaison officer will call you on Tuesday morning." in body


def test_every_page_has_the_govuk_header_phase_banner_and_footer(seeded: Flask, client: FlaskClient) -> None:
    """They are rendered once per process and language: the second page, and a signed-in one, still have
    them whole, with the footer's links."""
    pages = [client.get("/sign-in").get_data(as_text=True)]
    sign_in(client, "victim@demo.example")
    pages += [client.get(path).get_data(as_text=True) for path in ("/cases", f"/cases/{DEMO_CASE_URN}")]
    for html in pages:
        assert 'class="govuk-header"' in html and 'href="https://www.gov.uk"' in html
        assert "This is a new service." in html and "govuk-phase-banner" in html
        assert 'class="govuk-footer"' in html and "Staying safe online" in html
        assert html.count("<header") == 1 and html.count('class="govuk-footer"') == 1


def _sign_out_token(html: str) -> str:
    form = html[html.index('action="/sign-out"') :]
    return re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]


def test_the_navigation_is_shared_but_each_sign_out_form_carries_its_own_token(seeded: Flask) -> None:
    """The navigation is rendered once and reused; the sign-out form's CSRF token is each session's own."""
    first, second = seeded.test_client(), seeded.test_client()
    sign_in(first, "victim@demo.example")
    sign_in(second, "victim@demo.example")
    first_page, second_page = (
        first.get("/cases").get_data(as_text=True),
        second.get("/cases").get_data(as_text=True),
    )
    assert ">Your cases<" in first_page and "govuk-service-navigation__item--active" in first_page
    mine, theirs = _sign_out_token(first_page), _sign_out_token(second_page)
    assert mine != theirs and "@@" not in mine
    # Another session's token does not sign this one out; its own does.
    assert first.post("/sign-out", data={"csrf_token": theirs}).status_code == 400
    assert first.post("/sign-out", data={"csrf_token": mine}).status_code == 302
    assert first.get("/cases").status_code == 302  # signed out: back to sign in
