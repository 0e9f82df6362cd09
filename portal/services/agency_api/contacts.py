"""Named contacts through the agency API: police systems set the officer in the case, witness care and
CPS systems the witness care officer, probation systems the Victim Liaison Officer (services/cases/
contacts.py holds the rules). Requests reach here already shaped by the JSON Schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.models import Case, CaseContact
from portal.services.agency_api.ingest import ApiInputError
from portal.services.cases import contacts
from portal.services.common.actors import ApiCaller


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def contact_json(contact: CaseContact) -> dict[str, Any]:
    return {
        "role": contact.role,
        "role_label": str(contacts.ROLE_LABELS[contact.role]),
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "when_to_reach": contact.when_to_reach,
        "victim_id": contact.victim_id,
        "updated_at": _iso(contact.updated_at),
        "updated_by": contact.updated_by,
    }


def contacts_json(session: Session, case: Case) -> dict[str, Any]:
    """Every named contact of the case: for every victim (victim_id null) and for one victim."""
    return {
        "urn": case.urn,
        "contacts": [contact_json(contact) for contact in contacts.contacts_for_case(session, case)],
    }


def _message(problem: contacts.ContactProblem) -> str:
    where = "victim_id" if problem.index < 0 else f"contacts[{problem.index}].{problem.field}"
    return f"{where}: {problem.message}"


def _clearing_problems(items: list[dict[str, Any]]) -> list[str]:
    """A null name clears a contact, so nothing else may come with it; a blank name is a mistake."""
    problems = []
    for index, item in enumerate(items):
        name = item["name"]
        if name is None and any(item.get(key) for key in ("phone", "email", "when_to_reach")):
            problems.append(f"contacts[{index}]: to clear a contact, send only its role and a null name")
        elif name is not None and not name.strip():
            problems.append(f"contacts[{index}].name: must not be blank (send null to clear the contact)")
    return problems


def set_from_api(
    session: Session, caller: ApiCaller, case: Case, body: dict[str, Any]
) -> tuple[dict[str, Any], list[contacts.ContactOutcome]]:
    """Set or clear the contacts in `body` (a name of null clears one); the case's contacts now, and what
    changed. Raises ApiInputError naming each field at fault; nothing is written then."""
    victim_id = body.get("victim_id")
    changes = [
        contacts.ContactChange(
            role=item["role"],
            name=item["name"],
            phone=item.get("phone"),
            email=item.get("email"),
            when_to_reach=item.get("when_to_reach"),
            victim_id=victim_id,
        )
        for item in body["contacts"]
    ]
    problems = _clearing_problems(body["contacts"])
    if problems:
        raise ApiInputError(problems)
    try:
        outcomes = contacts.set_contacts(
            session,
            case,
            changes,
            updated_by=caller.name,
            agency=caller.agency,
            subject_victim_id=victim_id.lower() if victim_id else None,
        )
    except contacts.InvalidContacts as error:
        raise ApiInputError([_message(problem) for problem in error.problems]) from None
    return contacts_json(session, case), outcomes
