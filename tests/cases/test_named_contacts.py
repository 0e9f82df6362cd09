"""Named contacts for a case (services/cases/contacts.py): the case's contacts and a victim's own, the
victim's winning for a role; setting replaces, a contact with no name clears; every value checked with
the project's rules before anything is written; each agency sets only its own roles; changes audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import AuditEvent, Case, CaseContact
from portal.services.cases import contacts
from portal.services.cases.contacts import (
    OFFICER_IN_CASE,
    VICTIM_LIAISON_OFFICER,
    WITNESS_CARE_OFFICER,
    ContactChange,
    InvalidContacts,
)
from portal.services.preferences.rules import EMAIL_FORMAT, PHONE_FORMAT
from tests.support.builders import create_case, create_victim


@dataclass(frozen=True)
class World:
    case_id: int
    urn: str
    victim_a: str
    victim_b: str
    stranger: str


@pytest.fixture
def world(app: Flask) -> World:
    """A case of force 01 with two victims, and a victim on another case."""
    with app.app_context(), db.job() as session:
        case = create_case(session, "01CT1000126", offence="Robbery")
        other = create_case(session, "01CT2000126", offence="Theft")
        a = create_victim(session, "Ada", "Alpha", case=case)
        b = create_victim(session, "Ben", "Beta", case=case)
        stranger = create_victim(session, "Cal", "Gamma", case=other)
        return World(case.id, case.urn, a.id, b.id, stranger.id)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context(), db.job() as session:
        yield session


def _set(
    session: Session,
    world: World,
    *changes: ContactChange,
    by: str = "Tests",
    agency: str | None = None,
    subject_victim_id: str | None = None,
) -> list[str]:
    case = session.get(Case, world.case_id)
    assert case is not None
    outcomes = contacts.set_contacts(
        session, case, list(changes), updated_by=by, agency=agency, subject_victim_id=subject_victim_id
    )
    return [outcome.change for outcome in outcomes]


def _problems(error: pytest.ExceptionInfo[InvalidContacts]) -> list[tuple[int, str, str]]:
    return [(p.index, p.field, p.message) for p in error.value.problems]


def _rows(session: Session) -> list[CaseContact]:
    return list(session.scalars(select(CaseContact).order_by(CaseContact.id)))


def test_a_victim_sees_the_cases_contacts_and_their_own_in_role_order(session: Session, world: World) -> None:
    _set(
        session,
        world,
        ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", "01632 960 512", victim_id=world.victim_a),
        ContactChange(WITNESS_CARE_OFFICER, "Olive Officer", when_to_reach="Monday to Friday, 9am to 5pm"),
        ContactChange(OFFICER_IN_CASE, "DC Sam Patel", "01632 960 201", "sam.patel@example.police.uk"),
        ContactChange(OFFICER_IN_CASE, "DS Kim Lee", "01632 960 999", victim_id=world.victim_b),
    )
    seen_by_a = contacts.named_contacts(session, world.case_id, world.victim_a)
    assert [(c.role, str(c.role_label), c.name) for c in seen_by_a] == [
        (OFFICER_IN_CASE, "Officer in the case", "DC Sam Patel"),
        (WITNESS_CARE_OFFICER, "Witness care officer", "Olive Officer"),
        (VICTIM_LIAISON_OFFICER, "Victim Liaison Officer", "Jordan Ellis"),
    ]
    officer = seen_by_a[0]
    assert officer.phone == "01632 960201" and officer.phone_href == "tel:+441632960201"
    assert officer.email == "sam.patel@example.police.uk" and officer.when_to_reach is None
    assert officer.victim_id is None and officer.updated_by == "Tests"
    assert isinstance(officer.updated_at, datetime) and officer.updated_at.tzinfo is not None
    assert seen_by_a[1].when_to_reach == "Monday to Friday, 9am to 5pm" and seen_by_a[1].phone is None
    assert seen_by_a[2].victim_id == world.victim_a
    # Ben has his own officer in the case, which wins over the case's, and no Victim Liaison Officer.
    seen_by_b = contacts.named_contacts(session, world.case_id, world.victim_b)
    assert [(c.role, c.name) for c in seen_by_b] == [
        (OFFICER_IN_CASE, "DS Kim Lee"),
        (WITNESS_CARE_OFFICER, "Olive Officer"),
    ]
    # Ada's and Ben's own contacts are theirs alone: for anyone else, only the case's.
    assert contacts.named_contacts(session, world.case_id, world.stranger) == [
        c for c in seen_by_a if c.victim_id is None
    ]


def test_no_contacts_yet_is_an_empty_list(session: Session, world: World) -> None:
    assert contacts.named_contacts(session, world.case_id, world.victim_a) == []


def test_setting_replaces_the_contact_and_a_missing_name_clears_it(session: Session, world: World) -> None:
    assert _set(session, world, ContactChange(OFFICER_IN_CASE, "DC Sam Patel", "01632 960 201")) == ["set"]
    first = _rows(session)[0].updated_at
    assert _set(session, world, ContactChange(OFFICER_IN_CASE, " DC Sam Patel ", "+44 1632 960201")) == [
        "unchanged"
    ]
    assert _rows(session)[0].updated_at == first  # the same values: nothing changed
    assert _set(
        session,
        world,
        ContactChange(OFFICER_IN_CASE, "DS Kim Lee", email="kim.lee@example.police.uk"),
        by="Demo police",
    ) == ["set"]
    [row] = _rows(session)
    assert (row.name, row.phone, row.email, row.updated_by) == (
        "DS Kim Lee",
        None,
        "kim.lee@example.police.uk",
        "Demo police",
    )
    # Clearing: no name (None, or every field blank, as the officer's form sends it).
    assert _set(session, world, ContactChange(OFFICER_IN_CASE, None)) == ["cleared"]
    assert _rows(session) == []
    assert _set(session, world, ContactChange(OFFICER_IN_CASE, "  ", " ", "", "")) == ["unchanged"]
    # A victim's own contact is cleared on its own; the case's stays.
    _set(
        session,
        world,
        ContactChange(WITNESS_CARE_OFFICER, "Olive Officer"),
        ContactChange(WITNESS_CARE_OFFICER, "Wendy Ward", victim_id=world.victim_a.upper()),
    )
    assert _set(session, world, ContactChange(WITNESS_CARE_OFFICER, None, victim_id=world.victim_a)) == [
        "cleared"
    ]
    assert [c.name for c in contacts.named_contacts(session, world.case_id, world.victim_a)] == [
        "Olive Officer"
    ]


def test_every_problem_is_listed_with_its_field_and_nothing_is_written(
    session: Session, world: World
) -> None:
    with pytest.raises(InvalidContacts) as error:
        _set(
            session,
            world,
            ContactChange(OFFICER_IN_CASE, "", phone="01632 960 201"),
            ContactChange(WITNESS_CARE_OFFICER, "x" * 101, phone="12345", email="not-an-email"),
            ContactChange(VICTIM_LIAISON_OFFICER, "Jordan\tEllis", when_to_reach="y" * 201),
        )
    assert _problems(error) == [
        (0, "name", "Enter the name of the officer in the case"),
        (1, "name", "The name must be 100 characters or fewer"),
        (1, "phone", str(PHONE_FORMAT)),
        (1, "email", str(EMAIL_FORMAT)),
        (2, "name", "Remove tabs, line breaks and other control characters"),
        (2, "when_to_reach", "When to reach them must be 200 characters or fewer"),
    ]
    assert _rows(session) == []


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("01632 960 201", "+441632960201"),  # a landline: any number to call will do, not only a mobile
        ("07700 900 982", "+447700900982"),
        ("+44 (0)20 7946 0018", "+442079460018"),
        ("0808 157 0192", "+448081570192"),
    ],
)
def test_phone_numbers_are_kept_in_e164(session: Session, world: World, phone: str, stored: str) -> None:
    _set(
        session, world, ContactChange(OFFICER_IN_CASE, "DC Sam Patel", phone, " Sam.Patel@Example.Police.UK ")
    )
    [row] = _rows(session)
    assert row.phone == stored and row.email == "Sam.Patel@example.police.uk"


def test_each_agency_sets_only_its_own_roles(session: Session, world: World) -> None:
    with pytest.raises(InvalidContacts) as error:
        _set(
            session,
            world,
            ContactChange(WITNESS_CARE_OFFICER, "Olive Officer"),
            ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", victim_id=world.victim_a),
            agency="police",
        )
    assert _problems(error) == [
        (0, "role", "police cannot set witness-care-officer (it is set by: witness_care, cps)"),
        (1, "role", "police cannot set victim-liaison-officer (it is set by: probation)"),
    ]
    assert _set(session, world, ContactChange(OFFICER_IN_CASE, "DC Sam Patel"), agency="police") == ["set"]
    assert _set(session, world, ContactChange(WITNESS_CARE_OFFICER, "Olive Officer"), agency="cps") == ["set"]
    assert _set(session, world, ContactChange(WITNESS_CARE_OFFICER, "Wendy Ward"), agency="witness_care") == [
        "set"
    ]
    vlo = ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", victim_id=world.victim_a)
    assert _set(session, world, vlo, agency="probation") == ["set"]
    with pytest.raises(InvalidContacts):
        _set(session, world, ContactChange(OFFICER_IN_CASE, None), agency="probation")  # clearing too


def test_a_victim_not_on_the_case_a_repeated_role_or_an_unknown_role_is_refused(
    session: Session, world: World
) -> None:
    with pytest.raises(InvalidContacts) as error:
        _set(
            session,
            world,
            ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", victim_id=world.stranger),
            ContactChange(OFFICER_IN_CASE, "DC Sam Patel"),
            ContactChange(OFFICER_IN_CASE, "DS Kim Lee"),
            ContactChange("family-liaison-officer", "Pat Person"),
        )
    assert _problems(error) == [
        (-1, "victim_id", "is not a victim on this case"),
        (2, "role", "officer-in-case appears more than once"),
        (
            3,
            "role",
            "must be one of: officer-in-case, witness-care-officer, victim-liaison-officer",
        ),
    ]
    # The same role for the case and for one victim is two contacts, not a repeat.
    assert _set(
        session,
        world,
        ContactChange(OFFICER_IN_CASE, "DC Sam Patel"),
        ContactChange(OFFICER_IN_CASE, "DS Kim Lee", victim_id=world.victim_a),
    ) == ["set", "set"]


def test_changes_are_audited_without_contact_details(session: Session, world: World) -> None:
    _set(
        session,
        world,
        ContactChange(OFFICER_IN_CASE, "DC Sam Patel", "01632 960 201", "sam.patel@example.police.uk"),
        ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", victim_id=world.victim_a),
        by="Demo police",
        subject_victim_id=world.victim_a,
    )
    _set(
        session,
        world,
        ContactChange(OFFICER_IN_CASE, "DC Sam Patel", "01632 960 201", "sam.patel@example.police.uk"),
    )
    _set(session, world, ContactChange(OFFICER_IN_CASE, None), by="Demo police", agency="police")
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == contacts.CONTACTS_CHANGED).order_by(AuditEvent.id)
    ).all()
    assert len(events) == 2  # nothing changed the second time: nothing to audit
    assert (events[0].actor_label, events[0].subject_victim_id) == ("Demo police", world.victim_a)
    assert events[0].detail["urn"] == world.urn
    assert events[0].detail["changes"] == [
        {"role": OFFICER_IN_CASE, "for": "every victim", "change": "set"},
        {"role": VICTIM_LIAISON_OFFICER, "for": "one victim", "change": "set"},
    ]
    assert events[1].detail["by"] == "police API client"
    assert events[1].detail["changes"] == [
        {"role": OFFICER_IN_CASE, "for": "every victim", "change": "cleared"}
    ]
    everything = json.dumps([e.detail for e in events])
    for detail in ("Patel", "1632", "example.police.uk", "Jordan"):
        assert detail not in everything


def test_a_victims_own_contacts_follow_them_when_their_records_are_merged(
    session: Session, world: World
) -> None:
    """The same person added twice by agencies, joined at account set-up: Ada's own Victim Liaison Officer
    moves to the record she keeps; where both records had one for the role, the one set last wins."""
    from portal.data import cases as cases_data

    _set(session, world, ContactChange(OFFICER_IN_CASE, "DS Kim Lee", victim_id=world.victim_b))
    _set(
        session,
        world,
        ContactChange(VICTIM_LIAISON_OFFICER, "Jordan Ellis", victim_id=world.victim_a),
        ContactChange(OFFICER_IN_CASE, "DC Newer Officer", victim_id=world.victim_a),
    )
    cases_data.move_victim_cases(session, world.victim_a, world.victim_b)
    seen = contacts.named_contacts(session, world.case_id, world.victim_b)
    assert [(c.role, c.name) for c in seen] == [
        (OFFICER_IN_CASE, "DC Newer Officer"),
        (VICTIM_LIAISON_OFFICER, "Jordan Ellis"),
    ]
    assert all(row.victim_id != world.victim_a for row in _rows(session))
