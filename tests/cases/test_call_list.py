"""The call list (issue 15): the unit's victims to tell by phone or in person who have updates not told
yet, the oldest Code deadline first, with the number to call and their safe times; counted on the
officer's home page. On SQLite and PostgreSQL.

The fixture (unit of force 01; every victim on case 01CL0000126 unless said; updates from the police):

| victim       | preferences and needs                              | updates not told               | listed?        |
|--------------|----------------------------------------------------|--------------------------------|----------------|
| Pat Phone    | phone first, safe, number confirmed; weekdays 10-4 | 30 days old (overdue), 1 hour  | first          |
| Ian Interp   | email; an interpreter (Polish); phone not safe     | 10 days old (overdue)          | second         |
| Bea Signer   | email; British Sign Language                       | 1 hour old (not due)           | third          |
| Eve Email    | email only                                         | 30 days old                    | no             |
| Tom Told     | phone first                                        | opened in the portal           | no             |
| Otto Other   | phone first, on force 02's case                    | 30 days old                    | no (not ours)  |
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import OrganisationKind, Role, UpdateSeen
from tests.cases.test_recorded_contacts import a_call
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_organisation,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
)
from tests.support.pages import page_text, post_form
from tests.support.signing_in import sign_in

OFFICER = "cl-officer@example.test"
URN = "01CL0000126"
OTHER_URN = "02CL0000126"
PHONE_FIRST = {"channels": ["phone"], "safe": {"phone": True}}
EMAIL_ONLY = {"channels": ["email"], "safe": {"email": True}}


def build(app: Flask) -> dict[str, str]:
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Unit 01", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="01"
        )
        create_user(
            session,
            OFFICER,
            display_name="Olly Officer",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
        case = create_case(session, URN, offence="Assault")
        other = create_case(session, OTHER_URN, offence="Theft")
        ids: dict[str, str] = {}
        people = {
            "pat": ("Pat", "Phone", case, {**PHONE_FIRST, "phone": "07700900111", "safe_days": ["mon", "tue",
                    "wed", "thu", "fri"], "safe_from": "10am", "safe_to": "4pm"}),
            "ian": ("Ian", "Interp", case, {**EMAIL_ONLY, "email": "ian@example.com", "phone": "07700900222",
                    "interpreter_needed": True, "interpreter_language": "Polish"}),
            "bea": ("Bea", "Signer", case, {**EMAIL_ONLY, "email": "bea@example.com", "accessibility": ["bsl"]}),
            "eve": ("Eve", "Email", case, {**EMAIL_ONLY, "email": "eve@example.com"}),
            "tom": ("Tom", "Told", case, {**PHONE_FIRST, "phone": "07700900333"}),
            "otto": ("Otto", "Other", other, {**PHONE_FIRST, "phone": "07700900444"}),
        }  # fmt: skip
        for key, (given, family, target, prefs) in people.items():
            victim = create_victim(session, given, family, case=target)
            create_preferences_version(session, victim, prefs)
            ids[key] = victim.id
        create_contact_point(session, ids["pat"], "phone", "+447700900111")
        ages = {
            "pat": [30 * 24, 1],
            "ian": [10 * 24],
            "bea": [1],
            "eve": [30 * 24],
            "tom": [30 * 24],
            "otto": [30 * 24],
        }
        for key, hours in ages.items():
            target = other if key == "otto" else case
            for index, age in enumerate(hours):
                update = create_update(
                    session,
                    target,
                    "suspect-arrested",
                    agency="police",
                    agency_event_id=f"cl-{key}-{index}",
                    occurred_at=now - timedelta(hours=age),
                    victim_id=ids[key],
                    announce=False,
                )
                ids[f"{key}-{index}"] = update.id
        session.add(
            UpdateSeen(update_id=ids["tom-0"], victim_id=ids["tom"], seen_at=now - timedelta(days=29))
        )
    return ids


def cards(text: str) -> list[str]:
    """The call list's cards' text, in order (each starts with the victim's name)."""
    start = text.index("record each call.") + len("record each call.")
    body = text[start:]
    names = ["Pat Phone", "Ian Interp", "Bea Signer", "Eve Email", "Tom Told", "Otto Other"]
    found = sorted((body.index(name), name) for name in names if name in body)
    return [
        body[at : (found[i + 1][0] if i + 1 < len(found) else len(body))] for i, (at, _) in enumerate(found)
    ]


def test_the_call_list_names_who_to_call_oldest_deadline_first(app: Flask, client: FlaskClient) -> None:
    ids = build(app)
    assert sign_in(client, OFFICER).status_code == 302
    home = page_text(client.get("/staff"))
    assert "Victims to phone or see 3 victims" in home

    page = client.get("/staff/call-list")
    assert page.status_code == 200
    pat, ian, bea = cards(page_text(page))
    assert pat.startswith("Pat Phone") and ian.startswith("Ian Interp") and bea.startswith("Bea Signer")
    assert "Why Chose a phone call from an officer" in pat
    assert "Updates not told 2 updates" in pat and "Overdue" in pat
    assert "Phone 07700 900111" in pat and "not confirmed" not in pat
    assert "Safe days Monday, Tuesday, Wednesday, Thursday, Friday Safe times 10am to 4pm, UK time" in pat
    assert "Why Needs an interpreter (Polish)" in ian and "Phone Not confirmed safe to call" in ian
    assert "Why Needs British Sign Language" in bea and "Updates not told 1 update" in bea
    assert "Overdue" not in bea  # its deadline is still to come
    html = page.get_data(as_text=True)
    assert f'href="/staff/victims/{ids["pat"]}/cases/{URN}/told"' in html
    assert 'href="tel:07700900111"' in html

    # Pat is told of both updates by phone: off the list.
    told = post_form(
        client,
        f"/staff/victims/{ids['pat']}/cases/{URN}/told",
        a_call([ids["pat-0"], ids["pat-1"]], datetime.now(UTC) - timedelta(minutes=30)),
    )
    assert told.status_code == 302
    assert [card.split(" Case ")[0] for card in cards(page_text(client.get("/staff/call-list")))] == [
        "Ian Interp",
        "Bea Signer",
    ]
    assert "Victims to phone or see 2 victims" in page_text(client.get("/staff"))


def test_the_call_list_is_only_for_officers(app: Flask, client: FlaskClient) -> None:
    ids: dict[str, Any] = build(app)
    with app.app_context(), db.job() as session:
        create_user(session, "pat@example.test", display_name="Pat", role=Role.VICTIM, victim_id=ids["pat"])
    assert sign_in(client, "pat@example.test").status_code == 302
    assert client.get("/staff/call-list").status_code in (403, 404)
