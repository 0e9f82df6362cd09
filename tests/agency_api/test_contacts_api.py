"""Named contacts through the agency API, over real HTTP with JWTs: PUT sets, replaces and clears;
each agency sets only its own roles; another force's case looks like no case; every problem names its
field; calls and changes are audited; the demo data is what the reference shows; schemathesis finds
nothing wrong with either operation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy import func, select

from portal.api import examples
from portal.extensions import db
from portal.models import AuditEvent
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.agency_api.test_schemathesis import CHECKS, NEGATIVE_EXAMPLES, POSITIVE_EXAMPLES, _fuzz
from tests.support.agency_client import AgencyClient

CONTACTS = f"/api/v1/cases/{DEMO_CASE_URN}/contacts"
OFFICER = {
    "role": "officer-in-case",
    "name": "DS Kim Lee",
    "phone": "01632 960 999",
    "email": "kim.lee@example.police.uk",
    "when_to_reach": "Monday to Friday, 8am to 4pm",
}


def _put(client: AgencyClient, body: Any, urn: str = DEMO_CASE_URN) -> requests.Response:
    return client.request("PUT", f"/api/v1/cases/{urn}/contacts", json=body)


def _get(client: AgencyClient, urn: str = DEMO_CASE_URN) -> requests.Response:
    return client.request("GET", f"/api/v1/cases/{urn}/contacts")


def _by_role(payload: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [contact for contact in payload["contacts"] if contact["role"] == role]


def _messages(response: requests.Response) -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == 400
    assert {error["error"] for error in body["errors"]} == {"ValidationError"}
    return [error["message"] for error in body["errors"]]


def test_police_set_replace_and_clear_the_officer_in_the_case(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    response = _put(police, {"contacts": [OFFICER]})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    [officer] = _by_role(response.json(), "officer-in-case")
    assert officer == {
        **OFFICER,
        "role_label": "Officer in the case",
        "phone": "+441632960999",
        "victim_id": None,
        "updated_at": officer["updated_at"],
        "updated_by": "Demo police",
    }
    # The other roles are kept as they were (the demo data's).
    assert [c["name"] for c in _by_role(response.json(), "witness-care-officer")] == ["Olive Officer"]
    # Setting again replaces: still one officer in the case, with only what was sent this time.
    replaced = _put(police, {"contacts": [{"role": "officer-in-case", "name": "DC Sam Patel"}]})
    assert replaced.status_code == 200, replaced.text
    [officer] = _by_role(replaced.json(), "officer-in-case")
    assert (officer["name"], officer["phone"], officer["email"], officer["when_to_reach"]) == (
        "DC Sam Patel",
        None,
        None,
        None,
    )
    assert _get(police).json() == replaced.json()
    # A null name clears it; clearing again is not an error.
    for _ in range(2):
        cleared = _put(police, {"contacts": [{"role": "officer-in-case", "name": None}]})
        assert cleared.status_code == 200, cleared.text
        assert _by_role(cleared.json(), "officer-in-case") == []
    assert _by_role(_get(agency("cps")).json(), "officer-in-case") == []


def test_a_contact_for_one_victim_wins_over_the_cases_for_them(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    from portal.services.cases import contacts

    witness_care = agency("witness_care")
    response = _put(
        witness_care,
        {
            "victim_id": DEMO_VICTIM_ID.upper(),
            "contacts": [{"role": "witness-care-officer", "name": "Wendy Ward", "phone": "07700 900 111"}],
        },
    )
    assert response.status_code == 200, response.text
    officers = _by_role(response.json(), "witness-care-officer")
    assert [(c["name"], c["victim_id"]) for c in officers] == [
        ("Olive Officer", None),
        ("Wendy Ward", DEMO_VICTIM_ID),
    ]
    with seeded.app_context(), db.job() as session:
        from portal.models import Case

        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        seen = contacts.named_contacts(session, case.id, DEMO_VICTIM_ID)
    assert [(c.role, c.name) for c in seen] == [
        ("officer-in-case", "DC Sam Patel"),
        ("witness-care-officer", "Wendy Ward"),
        ("victim-liaison-officer", "Jordan Ellis"),
    ]
    # A victim who is not on this case is named as the problem.
    stranger = _put(
        witness_care,
        {"victim_id": str(uuid.uuid4()), "contacts": [{"role": "witness-care-officer", "name": "W"}]},
    )
    assert _messages(stranger) == ["victim_id: is not a victim on this case"]


@pytest.mark.parametrize(
    ("agency_name", "role", "set_by"),
    [
        ("police", "witness-care-officer", "witness_care, cps"),
        ("police", "victim-liaison-officer", "probation"),
        ("cps", "officer-in-case", "police"),
        ("witness_care", "victim-liaison-officer", "probation"),
        ("probation", "officer-in-case", "police"),
    ],
)
def test_an_agency_cannot_set_another_agencys_role(
    agency: Callable[[str], AgencyClient], agency_name: str, role: str, set_by: str
) -> None:
    client = agency(agency_name)
    before = _get(client).json()
    for name in ("Pat Person", None):  # neither set nor clear
        refused = _put(client, {"contacts": [{"role": role, "name": name}]})
        assert _messages(refused) == [
            f"contacts[0].role: {agency_name} cannot set {role} (it is set by: {set_by})"
        ]
    assert _get(client).json() == before


def test_each_agency_sets_its_own_roles(agency: Callable[[str], AgencyClient]) -> None:
    for agency_name, role in (
        ("police", "officer-in-case"),
        ("cps", "witness-care-officer"),
        ("witness_care", "witness-care-officer"),
        ("probation", "victim-liaison-officer"),
    ):
        response = _put(
            agency(agency_name), {"contacts": [{"role": role, "name": f"Named by {agency_name}"}]}
        )
        assert response.status_code == 200, response.text
        assert f"Named by {agency_name}" in [c["name"] for c in _by_role(response.json(), role)]


def test_another_forces_case_looks_like_no_case(
    agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    before = _get(agency("police")).json()
    for client in (new_client("police", force_code="02"), new_client("witness_care", force_code="02")):
        for response in (
            _put(client, {"contacts": [OFFICER]}),
            _get(client),
            _put(client, {"contacts": [OFFICER]}, urn="01ZZ9999999"),  # no such case: the same answer
            _get(client, urn="01ZZ9999999"),
        ):
            assert response.status_code == 404, response.text
            assert response.json()["errors"][0]["error"] == "NotFoundError"
    assert _get(agency("police")).json() == before
    # The CPS and probation work across every force.
    assert _get(agency("cps")).status_code == 200 and _get(agency("probation")).status_code == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"contacts": [{**OFFICER, "phone": "12345"}]},
            [
                "contacts[0].phone: Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            ],
        ),
        (
            {"contacts": [{**OFFICER, "email": "kim.lee@"}]},
            ["contacts[0].email: Enter an email address in the correct format, like name@example.com"],
        ),
        (
            {"contacts": [{**OFFICER, "when_to_reach": "x" * 201}]},
            ["contacts[0].when_to_reach: must be 200 characters or fewer"],
        ),
        (
            {"contacts": [{**OFFICER, "name": "x" * 101}]},
            ["contacts[0].name: must be 100 characters or fewer"],
        ),
        (
            {"contacts": [{**OFFICER, "name": "DS Kim\nLee"}]},
            ["contacts[0].name: Remove tabs, line breaks and other control characters"],
        ),
        (
            {"contacts": [{**OFFICER, "name": "  "}]},
            ["contacts[0].name: must not be blank (send null to clear the contact)"],
        ),
        (
            {"contacts": [{**OFFICER, "name": None}]},
            ["contacts[0]: to clear a contact, send only its role and a null name"],
        ),
        ({"contacts": [{"role": "officer-in-case"}]}, ["contacts[0].name: is required"]),
        (
            {"contacts": [{**OFFICER, "role": "family-liaison-officer"}]},
            [
                "contacts[0].role: must be one of: officer-in-case, witness-care-officer, victim-liaison-officer"
            ],
        ),
        (
            {"contacts": [{**OFFICER, "mobile": "07700900123"}]},
            ["contacts[0].mobile: is not a field this accepts (unknown fields are refused)"],
        ),
        ({"contacts": []}, ["contacts: must have at least 1 items"]),
        ({"victim_id": "not-a-uuid", "contacts": [OFFICER]}, ["victim_id: is not a valid uuid"]),
        ({"contacts": [OFFICER, OFFICER]}, ["contacts[1].role: officer-in-case appears more than once"]),
        (
            {"contacts": [{**OFFICER, "name": "", "phone": "12"}]},
            [
                "contacts[0].name: must be at least 1 characters",
            ],
        ),
    ],
)
def test_problems_name_the_field_and_change_nothing(
    agency: Callable[[str], AgencyClient], body: dict[str, Any], expected: list[str]
) -> None:
    police = agency("police")
    before = _get(police).json()
    assert _messages(_put(police, body)) == expected
    assert _get(police).json() == before


def test_several_problems_are_all_listed(agency: Callable[[str], AgencyClient]) -> None:
    body = {
        "contacts": [
            {"role": "officer-in-case", "name": "DS Kim Lee", "phone": "0", "email": "nobody"},
            {"role": "witness-care-officer", "name": "Olive Officer"},
        ]
    }
    assert _messages(_put(agency("police"), body)) == [
        "contacts[0].phone: Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "contacts[0].email: Enter an email address in the correct format, like name@example.com",
        "contacts[1].role: police cannot set witness-care-officer (it is set by: witness_care, cps)",
    ]


def test_not_json_is_refused(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    response = police.request("PUT", CONTACTS, data="contacts", headers={"Content-Type": "text/plain"})
    assert (
        response.status_code == 415 and response.json()["errors"][0]["error"] == "UnsupportedMediaTypeError"
    )
    broken = police.request("PUT", CONTACTS, data="{", headers={"Content-Type": "application/json"})
    assert _messages(broken) == ["body: is not valid JSON (JSONDecodeError)"]


def test_calls_and_changes_are_audited_without_contact_details(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    from portal.services.cases.contacts import CONTACTS_CHANGED

    police, probation = agency("police"), agency("probation")
    with seeded.app_context(), db.job() as session:
        before = session.scalar(select(func.max(AuditEvent.id))) or 0
    assert _put(police, {"contacts": [OFFICER]}).status_code == 200
    vlo = {"victim_id": DEMO_VICTIM_ID, "contacts": [{"role": "victim-liaison-officer", "name": None}]}
    assert _put(probation, vlo).status_code == 200
    assert _put(police, {"contacts": [{"role": "witness-care-officer", "name": "X"}]}).status_code == 400
    assert _get(police).status_code == 200
    with seeded.app_context(), db.job() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)
        ).all()
    calls = [
        (e.actor_label, e.action, e.detail["status_code"], e.subject_victim_id)
        for e in events
        if e.action.startswith("api.")
    ]
    assert calls == [
        ("Demo police", "api.set_contacts", 200, None),
        ("Demo probation", "api.set_contacts", 200, DEMO_VICTIM_ID),
        ("Demo police", "api.set_contacts", 400, None),
        ("Demo police", "api.read_contacts", 200, None),
    ]
    api_events = [e for e in events if e.action.startswith("api.")]
    assert api_events[0].detail["changes"] == [{"role": "officer-in-case", "change": "set"}]
    changes = [
        (e.actor_label, e.subject_victim_id, e.detail["changes"])
        for e in events
        if e.action == CONTACTS_CHANGED
    ]
    assert changes == [
        ("Demo police", None, [{"role": "officer-in-case", "for": "every victim", "change": "set"}]),
        (
            "Demo probation",
            DEMO_VICTIM_ID,
            [{"role": "victim-liaison-officer", "for": "one victim", "change": "cleared"}],
        ),
    ]
    everything = json.dumps([e.detail for e in events])
    for personal in ("Kim", "Lee", "960", "example.police.uk"):
        assert personal not in everything


def test_the_demo_data_is_what_the_reference_shows(agency: Callable[[str], AgencyClient]) -> None:
    payload = _get(agency("probation")).json()
    assert [{**c, "updated_at": None} for c in payload["contacts"]] == [
        {**c, "updated_at": None} for c in examples.CONTACTS_RESPONSE["contacts"]
    ]
    assert payload["urn"] == DEMO_CASE_URN


def test_the_reference_page_explains_who_sets_which_contact(api_site: str) -> None:
    html = requests.get(f"{api_site}/api/v1/docs", timeout=10).text
    for words in (
        "Set the named contacts of a case",
        "Read the named contacts of a case",
        "/api/v1/cases/{urn}/contacts",
        "Named contacts: who sets which",
        "victim-liaison-officer",
    ):
        assert words in html, words


OPERATIONS = [("/api/v1/cases/{urn}/contacts", "PUT"), ("/api/v1/cases/{urn}/contacts", "GET")]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_no_broken_response(
    api_site: str, path: str, method: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{api_site}/api/v1/openapi.json")
    operation = schema[path][method]
    demo = {"urn": DEMO_CASE_URN}
    positive = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=demo),
    )
    negative = operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=demo)
    http = requests.Session()
    _fuzz(api_site, http, positive, POSITIVE_EXAMPLES, CHECKS)
    _fuzz(api_site, http, negative, NEGATIVE_EXAMPLES, [*CHECKS, negative_data_rejection])
