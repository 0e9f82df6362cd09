"""Contacts recorded by officers (issue 15): an officer records that a victim was told of updates by phone,
in person, at court or by a letter delivered by hand, and that is when they were told, in the officer's
pages, the timeliness report and the communications API. Only the unit's victims and cases. On SQLite and
PostgreSQL.

The fixture (unit of force 01, officer Wendy; Rita on case 01RC0000126, standard rights):

| update      | type                 | agency had it  | told                                |
|-------------|----------------------|----------------|-------------------------------------|
| recent      | suspect-arrested     | 2 hours ago    | not yet (deadline 5 working days on)|
| old         | suspect-interviewed  | 30 days ago    | not yet (overdue)                   |
| opened      | investigation-update | 3 days ago     | opened in the portal 2 days ago     |

Otto is on force 02's case 02RC0000126 (another unit's), with one update.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import operations as operations_data
from portal.data import retention as retention_data
from portal.extensions import db
from portal.models import AuditEvent, OrganisationKind, RecordedContact, Role, UpdateSeen
from portal.services.agency_api import clients as api_clients
from portal.services.common.audit import CONTACT_RECORDED
from tests.support.agency_client import AgencyClient
from tests.support.builders import create_case, create_organisation, create_update, create_user, create_victim
from tests.support.pages import page_text, post_form
from tests.support.signing_in import sign_in

LONDON = ZoneInfo("Europe/London")
OFFICER = "rc-officer@example.test"
URN = "01RC0000126"
OTHER_URN = "02RC0000126"


def build(app: Flask) -> dict[str, Any]:
    """The fixture above; returns the ids and an agency API key of force 01's police."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Unit 01", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="01"
        )
        create_user(
            session,
            OFFICER,
            display_name="Wendy Witness-Care",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
        case = create_case(session, URN, offence="Assault")
        other = create_case(session, OTHER_URN, offence="Theft")
        rita = create_victim(session, "Rita", "Ring", case=case, phone="07700900123")
        otto = create_victim(session, "Otto", "Other", case=other)

        def update(target: Any, key: str, kind: str, ago: timedelta, victim_id: str) -> str:
            return create_update(
                session,
                target,
                kind,
                agency="police",
                agency_event_id=key,
                occurred_at=now - ago,
                victim_id=victim_id,
                announce=False,
            ).id

        ids = {
            "rita": rita.id,
            "otto": otto.id,
            "recent": update(case, "rc-recent", "suspect-arrested", timedelta(hours=2), rita.id),
            "old": update(case, "rc-old", "suspect-interviewed", timedelta(days=30), rita.id),
            "opened": update(case, "rc-opened", "investigation-update", timedelta(days=3), rita.id),
            "elsewhere": update(other, "rc-elsewhere", "suspect-arrested", timedelta(hours=2), otto.id),
        }
        session.add(UpdateSeen(update_id=ids["opened"], victim_id=rita.id, seen_at=now - timedelta(days=2)))
        key = api_clients.create_client(
            session, name="Police 01", agency="police", force_code="01", created_by="tests"
        ).key
    return {**ids, "api_key": key}


def record_url(victim_id: str, urn: str = URN) -> str:
    return f"/staff/victims/{victim_id}/cases/{urn}/told"


def when_fields(moment: datetime) -> dict[str, str]:
    """The date and time boxes for `moment`, as the officer types them (UK time)."""
    local = moment.astimezone(LONDON)
    return {
        "told-on-day": str(local.day),
        "told-on-month": str(local.month),
        "told-on-year": str(local.year),
        "told_time": local.strftime("%H:%M"),
    }


def a_call(update_ids: list[str], moment: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "updates": update_ids,
        "method": "phone",
        "by_label": "Wendy Witness-Care",
        "note": "Explained the arrest.\nShe asked about bail.",
        **when_fields(moment),
        **changes,
    }


@pytest.fixture
def fixture(app: Flask, client: FlaskClient) -> dict[str, Any]:
    ids = build(app)
    assert sign_in(client, OFFICER).status_code == 302
    return ids


def test_an_officer_records_a_phone_call_about_two_updates(
    app: Flask, client: FlaskClient, fixture: dict[str, Any]
) -> None:
    page = client.get(record_url(fixture["rita"]))
    assert page.status_code == 200
    text = page_text(page)
    # Not told yet: checkboxes; already told (opened in the portal): behind "Show updates already told".
    not_told = text[
        text.index("Which updates did you tell them about?") : text.index("Show updates already told")
    ]
    assert "Someone has been arrested" in not_told and "The suspect has been interviewed" in not_told
    assert "Show updates already told (1)" in text and "An update on the investigation" in text
    assert 'value="Wendy Witness-Care"' in page.get_data(as_text=True)  # who told them: the officer

    told_at = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    response = post_form(
        client, record_url(fixture["rita"]), a_call([fixture["recent"], fixture["old"]], told_at)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/victims/{fixture['rita']}/cases/{URN}"
    assert "Recorded: 2 updates now count as told." in page_text(client.get(response.headers["Location"]))

    with app.app_context(), db.job() as session:
        contact = session.scalars(select(RecordedContact)).one()
        assert (contact.method, contact.told_at, contact.by_label) == ("phone", told_at, "Wendy Witness-Care")
        assert contact.note == "Explained the arrest.\nShe asked about bail."
        assert {link.update_id for link in contact.updates} == {fixture["recent"], fixture["old"]}
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_victim_id == fixture["rita"])
        ).all()
    recorded = [e for e in events if e.action == CONTACT_RECORDED]
    assert (
        len(recorded) == 1 and recorded[0].detail["updates"] == 2 and recorded[0].detail["method"] == "phone"
    )
    assert any(e.detail.get("what") == f"updates on case {URN}" for e in events)  # the form's page: a view

    # Both are now told: the form lists them among those already told, with the contact recorded.
    text = page_text(client.get(record_url(fixture["rita"])))
    assert "They have been told about every update on this case." in text
    assert "Show updates already told (3)" in text
    recorded_part = text[text.index("Contacts recorded before") :]
    assert "By phone" in recorded_part and "Explained the arrest. She asked about bail." in recorded_part
    # The case page: the recent update told on time, the old one late.
    case_page = page_text(client.get(f"/staff/victims/{fixture['rita']}/cases/{URN}"))
    assert case_page.count("Told on time") == 2  # the recent update by phone, the opened one in the portal
    assert case_page.count("Told late") == 1


PROBLEMS = {
    "no update": ({"updates": []}, "Select the updates you told the victim about"),
    "no way": ({"method": None}, "Select how you told the victim"),
    "nobody": ({"by_label": "  "}, "Enter who told the victim"),
    "no time": ({"told_time": ""}, "Enter the time you told the victim, like 9am or 14:30"),
    "not a time": (
        {"told_time": "25:00"},
        "The time you told the victim must be a real time, like 9am or 14:30",
    ),
    "part of a date": ({"told-on-month": ""}, "The date you told the victim must include a month"),
    "not a date": (
        {"told-on-day": "31", "told-on-month": "2"},
        "The date you told the victim must be a real date",
    ),
    "tomorrow": ("tomorrow", "The date you told the victim must be today or in the past"),
    "before the update": ("before", "The date you told the victim must be the same as or after"),
}


@pytest.mark.parametrize("problem", PROBLEMS, ids=list(PROBLEMS))
def test_a_problem_is_shown_and_nothing_typed_is_lost(
    app: Flask, client: FlaskClient, fixture: dict[str, Any], problem: str
) -> None:
    change, message = PROBLEMS[problem]
    now = datetime.now(UTC)
    if change == "tomorrow":
        change = when_fields(now + timedelta(days=1, hours=1))
    elif change == "before":  # the old update happened 30 days ago
        change = when_fields(now - timedelta(days=31))
    data = a_call([fixture["old"]], now - timedelta(minutes=5), **change)
    response = post_form(client, record_url(fixture["rita"]), data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(html)
    assert text.startswith("Error:") or "<title>Error:" in html
    assert text.count(message) == 2  # in the error summary and by the field
    assert "Explained the arrest.\nShe asked about bail." in html  # the note is kept
    if change.get("updates") != []:
        assert f'value="{fixture["old"]}" checked' in html  # the update chosen is still chosen
    if "method" not in change:
        assert 'value="phone" checked' in html
    with app.app_context(), db.job() as session:
        assert session.scalars(select(RecordedContact)).all() == []


def past_deadline_untold(app: Flask) -> int:
    """The metric the "updates past their deadline untold" alert reads."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        return operations_data.count_updates_past_deadline_untold(session, now.astimezone(LONDON).date(), now)


def test_the_timeliness_report_counts_a_call_recorded_within_the_deadline(
    app: Flask, client: FlaskClient, fixture: dict[str, Any]
) -> None:
    assert past_deadline_untold(app) == 1  # the old update
    before = page_text(client.get("/staff/timeliness"))
    # The opened update on time; the old one overdue; the recent one not due yet.
    assert (
        "50.0% of victims were told on time (1 of 2 whose deadline has passed or who have been told)"
        in before
    )
    told_at = datetime.now(UTC) - timedelta(hours=1)
    response = post_form(
        client, record_url(fixture["rita"]), a_call([fixture["recent"], fixture["old"]], told_at)
    )
    assert response.status_code == 302
    after = page_text(client.get("/staff/timeliness"))
    # The recent one told by phone within its deadline: on time; the old one: late, no longer overdue.
    assert (
        "66.7% of victims were told on time (2 of 3 whose deadline has passed or who have been told)" in after
    )
    assert "Police All event types 3 2 1 0 0 66.7%" in after
    assert past_deadline_untold(app) == 0


def test_the_communications_api_says_when_and_how_the_victim_was_told(
    app: Flask, client: FlaskClient, fixture: dict[str, Any]
) -> None:
    told_at = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    assert post_form(
        client, record_url(fixture["rita"]), a_call([fixture["recent"]], told_at, method="in-person")
    )
    api = app.test_client()
    response = api.get(
        f"/api/v1/cases/{URN}/communications",
        headers=AgencyClient("http://localhost", fixture["api_key"]).headers(),
    )
    assert response.status_code == 200
    entries = {entry["update"]["id"]: entry for entry in response.get_json()["communications"]}
    recent = entries[fixture["recent"]]
    assert recent["told_at"] == told_at.isoformat().replace("+00:00", "Z")
    assert recent["told_by"] == "in-person"
    assert recent["met_code_deadline"] is True
    assert recent["deliveries"] == [
        {
            "channel": "in-person",
            "to": "victim",
            "status": "recorded",
            "queued_at": None,
            "sent_at": None,
            "delivered_at": told_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    assert entries[fixture["old"]]["told_at"] is None  # not the one recorded


def test_another_units_victim_case_or_update_is_not_found(
    app: Flask, client: FlaskClient, fixture: dict[str, Any]
) -> None:
    told_at = datetime.now(UTC) - timedelta(hours=1)
    for url in (
        record_url(fixture["otto"], OTHER_URN),  # another unit's victim and case
        record_url(fixture["rita"], OTHER_URN),  # our victim, another unit's case (she is not on it)
        record_url(fixture["otto"], URN),  # a victim who is not on our case
        record_url("00000000-0000-0000-0000-000000000000"),
    ):
        assert client.get(url).status_code == 404, url
        token_page = record_url(fixture["rita"])
        response = post_form(client, url, a_call([fixture["recent"]], told_at), page=token_page)
        assert response.status_code == 404, url
    # Another unit's update, slipped into our victim's form.
    response = post_form(client, record_url(fixture["rita"]), a_call([fixture["elsewhere"]], told_at))
    assert response.status_code == 404
    with app.app_context(), db.job() as session:
        assert session.scalars(select(RecordedContact)).all() == []


def test_a_victim_or_support_worker_cannot_record(app: Flask, client: FlaskClient) -> None:
    ids = build(app)
    with app.app_context(), db.job() as session:
        create_user(
            session, "rita@example.test", display_name="Rita", role=Role.VICTIM, victim_id=ids["rita"]
        )
    assert sign_in(client, "rita@example.test").status_code == 302
    assert client.get(record_url(ids["rita"])).status_code in (403, 404)
    assert client.get("/staff/call-list").status_code in (403, 404)


def test_the_date_in_an_error_is_in_welsh_for_a_welsh_reader(
    client: FlaskClient, fixture: dict[str, Any]
) -> None:
    client.get(f"/language/cy?next={record_url(fixture['rita'])}")
    data = a_call([fixture["old"]], datetime.now(UTC) - timedelta(days=31))
    html = post_form(client, record_url(fixture["rita"]), data).get_data(as_text=True)
    assert '<html lang="cy"' in html
    happened = (datetime.now(UTC) - timedelta(days=30)).astimezone(LONDON)
    welsh = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
             "Tachwedd", "Rhagfyr")[happened.month - 1]  # fmt: skip
    text = page_text(html)
    assert f"{happened.day} {welsh} {happened.year}" in text
    assert happened.strftime("%B") not in text  # no English month name, in the message or anywhere else


def test_erasing_the_victim_removes_the_note_and_keeps_when_they_were_told(
    app: Flask, client: FlaskClient, fixture: dict[str, Any]
) -> None:
    told_at = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    assert (
        post_form(client, record_url(fixture["rita"]), a_call([fixture["recent"]], told_at)).status_code
        == 302
    )
    with app.app_context(), db.job() as session:
        removed = retention_data.clear_victim(session, fixture["rita"], datetime.now(UTC))
        assert removed["notes of contacts recorded"] == 1
    with app.app_context(), db.job() as session:
        contact = session.scalars(select(RecordedContact)).one()
        assert (contact.note, contact.told_at) == (None, told_at)
