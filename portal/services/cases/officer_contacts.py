"""A witness care officer's view and form of a case's named contacts: what a victim sees, role by role,
and where a change from the officer's form is saved (for that victim only, or for every victim on the
case). Changes go through `contacts.set_contacts`, which checks and audits them. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import case_contacts as contacts_data
from portal.models import Case, CaseContact, Victim
from portal.models.case_contacts import CONTACT_ROLES, VICTIM_LIAISON_OFFICER
from portal.services.cases.contacts import (
    ROLE_LABELS,
    ContactChange,
    ContactOutcome,
    NamedContact,
    _as_seen_by,
    _named,
    set_contacts,
)
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.preferences.reviews import record_staff_view


@dataclass(frozen=True)
class RoleContact:
    role: str
    role_label: LazyString
    # What the victim sees now, if anything.
    contact: NamedContact | None
    # Where a change from the officer's form is saved: for this victim only, or for every victim.
    for_victim_only: bool


@dataclass(frozen=True)
class OfficerContacts:
    victim_id: str
    victim_name: str
    urn: str
    offence: str
    roles: list[RoleContact]


def _for_victim_only(rows: Sequence[CaseContact], role: str) -> bool:
    """A change goes where the contact the victim sees is kept; a new Victim Liaison Officer is for this
    victim only (they work with each victim separately), any other new contact for every victim."""
    own = [row for row in rows if row.role == role]
    if any(row.victim_id is not None for row in own):
        return True
    if own:
        return False
    return role == VICTIM_LIAISON_OFFICER


def _officer_rows(
    session: Session, actor: Actor, victim_id: str, urn: str
) -> tuple[Victim, Case, Sequence[CaseContact]]:
    victim, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    return victim, case, contacts_data.contacts_for_case_and_victim(session, case.id, victim.id)


def officer_contacts(
    session: Session, actor: Actor, victim_id: str, urn: str, *, audit_view: bool = False
) -> OfficerContacts:
    """The named contacts a victim sees for one of the officer's unit's cases, role by role, and where a
    change would be saved. `audit_view`: record the view (the case page records its own)."""
    victim, case, rows = _officer_rows(session, actor, victim_id, urn)
    if audit_view:
        record_staff_view(session, actor, [victim_id], f"named contacts {case.urn}")
    return _by_role(victim, case, rows)


def contacts_of_checked(session: Session, victim: Victim, case: Case) -> OfficerContacts:
    """As `officer_contacts`, for a victim and case the caller has just checked are the officer's unit's
    (`access.case_of_victim_for_officer`): one statement."""
    return _by_role(victim, case, contacts_data.contacts_for_case_and_victim(session, case.id, victim.id))


def _by_role(victim: Victim, case: Case, rows: Sequence[CaseContact]) -> OfficerContacts:
    victim_id = victim.id
    seen = _as_seen_by(rows, victim_id)
    return OfficerContacts(
        victim_id=victim_id,
        victim_name=victim.full_name,
        urn=case.urn,
        offence=case.offence,
        roles=[
            RoleContact(
                role=role,
                role_label=ROLE_LABELS[role],
                contact=_named(seen[role]) if role in seen else None,
                for_victim_only=_for_victim_only(rows, role),
            )
            for role in CONTACT_ROLES
        ],
    )


def set_contacts_for_officer(
    session: Session, actor: Actor, victim_id: str, urn: str, changes: Sequence[ContactChange]
) -> list[ContactOutcome]:
    """A witness care officer sets or clears contacts of one of their unit's cases, from a victim's page:
    each is saved where the contact that victim sees is kept (see `_for_victim_only`). Raises
    InvalidContacts; NotFound outside the officer's unit."""
    _, case, rows = _officer_rows(session, actor, victim_id, urn)
    placed = [
        replace(change, victim_id=victim_id if _for_victim_only(rows, change.role) else None)
        for change in changes
    ]
    return set_contacts(
        session,
        case,
        placed,
        updated_by=actor.label,
        actor=actor,
        subject_victim_id=victim_id,
    )
