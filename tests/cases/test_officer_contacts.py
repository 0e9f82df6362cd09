"""Named contacts on the witness care officer's pages: the case page lists them with "Change" links; the
question page sets, replaces and clears them (all empty clears), shows GOV.UK errors and keeps what was
typed; only the unit's own cases (anything else is a 404); every change audited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Case, CaseContact
from portal.services.cases import contacts
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.pages import page_text, post_form
from tests.support.records import count, user_by_email
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in

CASE_PAGE = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
FORM = f"{CASE_PAGE}/contacts"
ROLES = ("officer_in_case", "witness_care_officer", "victim_liaison_officer")


def _form(**values: str) -> dict[str, str]:
    """Every field of the form, empty unless given."""
    data = {f"{role}_{field}": "" for role in ROLES for field in ("name", "phone", "email", "when_to_reach")}
    return {**data, **values}


def _seen(app: Flask) -> list[tuple[str, str, str | None, str | None, str | None]]:
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        return [
            (c.role, c.name, c.phone, c.email, c.when_to_reach)
            for c in contacts.named_contacts(session, case.id, DEMO_VICTIM_ID)
        ]


def test_the_case_page_lists_the_named_contacts_with_change_links(officer_client: FlaskClient) -> None:
    response = officer_client.get(CASE_PAGE)
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Named contacts Officer in the case DC Sam Patel 01632 960201 sam.patel@example.police.uk "
        "Monday to Friday, 8am to 6pm Change Officer in the case"
    ) in text
    assert "Victim Liaison Officer Jordan Ellis 01632 960512" in text and "For Sam Sample only" in text
    html = page_text(response, markup=True)
    assert f'href="{FORM}#victim-liaison-officer"' in html
    assert 'href="tel:+441632960201"' in html


def test_the_officer_sets_replaces_and_clears_contacts(seeded: Flask, officer_client: FlaskClient) -> None:
    form = officer_client.get(FORM)
    assert form.status_code == 200
    html = page_text(form, markup=True)
    assert 'value="DC Sam Patel"' in html and 'value="Jordan Ellis"' in html  # what the victim sees now
    text = page_text(form)
    assert "For everyone on this case." in text and "For Sam Sample only." in text
    done = post_form(
        officer_client,
        FORM,
        _form(
            officer_in_case_name="DS Kim Lee",
            officer_in_case_phone="020 7946 0018",
            officer_in_case_email="kim.lee@example.police.uk",
            officer_in_case_when_to_reach="Weekdays, 8am to 4pm",
            victim_liaison_officer_name="Jordan Ellis",
            victim_liaison_officer_phone="01632 960 777",
        ),
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(CASE_PAGE)
    assert "Named contacts saved." in page_text(officer_client.get(CASE_PAGE))
    assert _seen(seeded) == [
        (
            "officer-in-case",
            "DS Kim Lee",
            "020 7946 0018",
            "kim.lee@example.police.uk",
            "Weekdays, 8am to 4pm",
        ),
        ("victim-liaison-officer", "Jordan Ellis", "01632 960777", None, None),
    ]
    with seeded.app_context(), db.job() as session:
        case_id = session.scalar(select(Case.id).where(Case.urn == DEMO_CASE_URN))
        rows = session.scalars(select(CaseContact).where(CaseContact.case_id == case_id)).all()
        officer_row = next(r for r in rows if r.role == "officer-in-case")
        vlo_row = next(r for r in rows if r.role == "victim-liaison-officer")
        # Each change went where the contact Sam sees is kept: the case's, and Sam's own.
        assert (officer_row.victim_id, officer_row.phone, officer_row.updated_by) == (
            None,
            "+442079460018",
            "Olive Officer",
        )
        assert vlo_row.victim_id == DEMO_VICTIM_ID
        assert not [r for r in rows if r.role == "witness-care-officer"]  # cleared: every field empty
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == contacts.CONTACTS_CHANGED)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one()
        assert event.actor_user_id == user_by_email(seeded, "officer@demo.example").id
        assert event.subject_victim_id == DEMO_VICTIM_ID
        assert event.detail["by"] == "witness_care_officer"
        assert {(c["role"], c["change"]) for c in event.detail["changes"]} == {
            ("officer-in-case", "set"),
            ("witness-care-officer", "cleared"),
            ("victim-liaison-officer", "set"),
        }
    text = page_text(officer_client.get(CASE_PAGE))
    assert "Witness care officer Not given yet" in text


def test_errors_are_shown_the_govuk_way_and_what_was_typed_is_kept(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    before = _seen(seeded)
    response = post_form(
        officer_client,
        FORM,
        _form(
            officer_in_case_name="DC Sam Patel",
            officer_in_case_phone="12345",
            officer_in_case_email="sam.patel@",
            witness_care_officer_phone="01632 960 345",
            victim_liaison_officer_name="Jordan Ellis",
            victim_liaison_officer_when_to_reach="x" * 201,
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    for message in (
        "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "Enter an email address in the correct format, like name@example.com",
        "Enter the name of the witness care officer",
        "When to reach them must be 200 characters or fewer",
    ):
        assert text.count(message) == 2, message  # in the summary and by the field
    html = page_text(response, markup=True)
    assert "<title>Error: Named contacts" in html
    for href in (
        "#officer_in_case_phone",
        "#officer_in_case_email",
        "#witness_care_officer_name",
        "#victim_liaison_officer_when_to_reach",
    ):
        assert f'href="{href}"' in html, href
    assert 'value="12345"' in html and 'value="sam.patel@"' in html and 'value="01632 960 345"' in html
    assert "govuk-input--error" in html
    assert _seen(seeded) == before  # nothing was saved


def test_another_units_case_is_404(seeded: Flask, client: FlaskClient) -> None:
    other = create_other_unit(seeded)
    sign_in(client, "officer@demo.example")
    other_form = f"/staff/victims/{other['victim_id']}/cases/{other['urn']}/contacts"
    assert client.get(other_form).status_code == 404
    assert (
        post_form(client, other_form, _form(officer_in_case_name="DS Kim Lee"), page=FORM).status_code == 404
    )
    # Nor the unit's own victim through another unit's case, nor a victim on another case of the unit.
    assert client.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{other['urn']}/contacts").status_code == 404
    assert (
        client.get(f"/staff/victims/{other['victim_id']}/cases/{DEMO_CASE_URN}/contacts").status_code == 404
    )
    with seeded.app_context(), db.job() as session:
        other_case = session.scalar(select(Case.id).where(Case.urn == other["urn"]))
    assert count(seeded, CaseContact, CaseContact.case_id == other_case) == 0


@pytest.mark.parametrize("email", ["victim@demo.example", "support@demo.example", "admin@demo.example"])
def test_only_officers_open_the_form(seeded: Flask, client: FlaskClient, email: str) -> None:
    sign_in(client, email)
    assert client.get(FORM).status_code == 404
