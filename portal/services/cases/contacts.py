"""Named contacts for a case: who a victim can reach about it, how and when. The officer in the case
(set by the police), the witness care officer (set by witness care or the CPS) and the Victim Liaison
Officer (set by probation); a witness care officer can set any of them in the portal.

A contact is for every victim on the case, or for one victim (a Victim Liaison Officer works with each
victim separately); for that victim it wins over the case's. Setting a contact replaces it; a contact
with no name clears it. Every way in (the agency API, the officer's form) goes through `set_contacts`,
which checks every change before it writes any, and audits what changed. Nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import case_contacts as contacts_data
from portal.data import cases as cases_data
from portal.models import Case, CaseContact
from portal.models.case_contacts import (
    ALL_VICTIMS,
    CONTACT_ROLES,
    OFFICER_IN_CASE,
    VICTIM_LIAISON_OFFICER,
    WITNESS_CARE_OFFICER,
)
from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.preferences.rules import display_phone, normalise_email, normalise_phone

__all__ = [
    "CONTACTS_CHANGED",
    "CONTACT_ROLES",
    "OFFICER_IN_CASE",
    "ROLE_LABELS",
    "SET_BY",
    "VICTIM_LIAISON_OFFICER",
    "WITNESS_CARE_OFFICER",
    "ContactChange",
    "ContactOutcome",
    "ContactProblem",
    "InvalidContacts",
    "NamedContact",
    "contacts_for_case",
    "named_contacts",
    "set_contacts",
]

ROLE_LABELS: dict[str, LazyString] = {
    OFFICER_IN_CASE: _l("Officer in the case"),
    WITNESS_CARE_OFFICER: _l("Witness care officer"),
    VICTIM_LIAISON_OFFICER: _l("Victim Liaison Officer"),
}
#: Which agencies' API clients set each role. A witness care officer in the portal may set any.
SET_BY: dict[str, tuple[str, ...]] = {
    OFFICER_IN_CASE: ("police",),
    WITNESS_CARE_OFFICER: ("witness_care", "cps"),
    VICTIM_LIAISON_OFFICER: ("probation",),
}
#: The audit action for a change to a case's named contacts.
CONTACTS_CHANGED = audit.CASE_CONTACTS_CHANGED

MAX_NAME = 100
MAX_WHEN = 200

SET = "set"
CLEARED = "cleared"
UNCHANGED = "unchanged"

_NAME_REQUIRED: dict[str, LazyString] = {
    OFFICER_IN_CASE: _l("Enter the name of the officer in the case"),
    WITNESS_CARE_OFFICER: _l("Enter the name of the witness care officer"),
    VICTIM_LIAISON_OFFICER: _l("Enter the name of the Victim Liaison Officer"),
}
_NAME_TOO_LONG = _l("The name must be %(n)d characters or fewer", n=MAX_NAME)
_WHEN_TOO_LONG = _l("When to reach them must be %(n)d characters or fewer", n=MAX_WHEN)
_CONTROL_CHARACTERS = _l("Remove tabs, line breaks and other control characters")
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class NamedContact:
    """One named contact, as a victim reads it."""

    role: str
    role_label: LazyString
    name: str
    # As the victim reads it: UK numbers in national format ("01632 960201").
    phone: str | None
    email: str | None
    when_to_reach: str | None
    updated_at: datetime
    # None: for every victim on the case; otherwise only for this victim.
    victim_id: str | None = None
    updated_by: str | None = None

    @property
    def phone_href(self) -> str | None:
        """A tel: link for the phone number (tel:+441632960201), or None."""
        if not self.phone:
            return None
        try:
            return "tel:" + normalise_phone(self.phone)
        except ValueError:
            return None


@dataclass(frozen=True)
class ContactChange:
    """What to set for one role. No name (None or blank, with nothing else given) clears the contact.
    `victim_id` None: for every victim on the case."""

    role: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    when_to_reach: str | None = None
    victim_id: str | None = None


@dataclass(frozen=True)
class ContactProblem:
    """Why a change cannot be made: `index` is its place in the changes given, `field` the field at
    fault ("role", "name", "phone", "email", "when_to_reach" or "victim_id")."""

    index: int
    role: str
    field: str
    message: str


class InvalidContacts(ValueError):
    """One or more changes cannot be made; nothing was written."""

    def __init__(self, problems: Sequence[ContactProblem]) -> None:
        super().__init__("; ".join(f"{p.index}.{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class ContactOutcome:
    role: str
    victim_id: str | None
    change: str  # "set", "cleared" or "unchanged"


def _named(contact: CaseContact) -> NamedContact:
    return NamedContact(
        role=contact.role,
        role_label=ROLE_LABELS[contact.role],
        name=contact.name,
        phone=display_phone(contact.phone) or None,
        email=contact.email,
        when_to_reach=contact.when_to_reach,
        updated_at=contact.updated_at,
        victim_id=contact.victim_id,
        updated_by=contact.updated_by,
    )


def _role_order(contact: CaseContact) -> tuple[int, bool, str, int]:
    return (CONTACT_ROLES.index(contact.role), contact.victim_id is not None, contact.victim_key, contact.id)


def _as_seen_by(rows: Sequence[CaseContact], victim_id: str) -> dict[str, CaseContact]:
    """For each role, the contact this victim sees: their own, else the case's."""
    seen: dict[str, CaseContact] = {}
    for row in rows:
        if row.victim_id is None:
            seen.setdefault(row.role, row)
        elif row.victim_id == victim_id:
            seen[row.role] = row
    return seen


def named_contacts(session: Session, case_id: int, victim_id: str) -> list[NamedContact]:
    """The named contacts this victim sees for the case: the case's and the victim's own, the victim's
    winning for a role; officer in the case, witness care officer, Victim Liaison Officer. The caller has
    already checked that the victim may be shown the case."""
    seen = _as_seen_by(contacts_data.contacts_for_case_and_victim(session, case_id, victim_id), victim_id)
    return [_named(seen[role]) for role in CONTACT_ROLES if role in seen]


def contacts_for_case(session: Session, case: Case) -> list[CaseContact]:
    """Every contact of the case, for every victim and for one: by role, the case's first."""
    return sorted(contacts_data.contacts_for_case(session, case.id), key=_role_order)


# --- Setting and clearing ---------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_text(
    index: int, role: str, field: str, value: str, limit: int, too_long: LazyString
) -> list[ContactProblem]:
    if len(value) > limit:
        return [ContactProblem(index, role, field, str(too_long))]
    if _CONTROL.search(value):
        return [ContactProblem(index, role, field, str(_CONTROL_CHARACTERS))]
    return []


def _check_role(
    index: int, change: ContactChange, agency: str | None, seen: set[tuple[str, str | None]]
) -> list[ContactProblem]:
    role = change.role
    if role not in CONTACT_ROLES:
        return [ContactProblem(index, role, "role", f"must be one of: {', '.join(CONTACT_ROLES)}")]
    key = (role, change.victim_id)
    if key in seen:
        return [ContactProblem(index, role, "role", f"{role} appears more than once")]
    seen.add(key)
    if agency is not None and agency not in SET_BY[role]:
        allowed = ", ".join(SET_BY[role])
        return [ContactProblem(index, role, "role", f"{agency} cannot set {role} (it is set by: {allowed})")]
    return []


def _cleaned(index: int, change: ContactChange) -> tuple[ContactChange, list[ContactProblem]]:
    """The change with its values normalised (phone in E.164, blanks as None), and its problems."""
    role = change.role
    name, phone, email, when = (
        _text(change.name),
        _text(change.phone),
        _text(change.email),
        _text(change.when_to_reach),
    )
    if not name and not (phone or email or when):
        return replace(change, name=None, phone=None, email=None, when_to_reach=None), []
    problems = []
    if not name:
        problems.append(ContactProblem(index, role, "name", str(_NAME_REQUIRED[role])))
    problems += _check_text(index, role, "name", name, MAX_NAME, _NAME_TOO_LONG)
    if phone:
        try:
            phone = normalise_phone(phone)  # a number to call: any valid phone, not only a mobile
        except ValueError as error:
            problems.append(ContactProblem(index, role, "phone", str(error)))
    if email:
        try:
            email = normalise_email(email)
        except ValueError as error:
            problems.append(ContactProblem(index, role, "email", str(error)))
    problems += _check_text(index, role, "when_to_reach", when, MAX_WHEN, _WHEN_TOO_LONG)
    cleaned = replace(change, name=name, phone=phone or None, email=email or None, when_to_reach=when or None)
    return cleaned, problems


def _check_victims(session: Session, case: Case, changes: Sequence[ContactChange]) -> list[ContactProblem]:
    problems = []
    for victim_id in dict.fromkeys(c.victim_id for c in changes if c.victim_id is not None):
        if not cases_data.is_victim_on_case(session, victim_id, case.id):
            problems.append(ContactProblem(-1, "", "victim_id", "is not a victim on this case"))
    return problems


def _validated(
    session: Session, case: Case, changes: Sequence[ContactChange], agency: str | None
) -> list[ContactChange]:
    """Every change checked and normalised; InvalidContacts listing every problem if any has one."""
    changes = [replace(c, victim_id=c.victim_id.lower() if c.victim_id else None) for c in changes]
    problems = _check_victims(session, case, changes)
    seen: set[tuple[str, str | None]] = set()
    cleaned = []
    for index, change in enumerate(changes):
        role_problems = _check_role(index, change, agency, seen)
        if role_problems:
            problems += role_problems
            continue
        clean, change_problems = _cleaned(index, change)
        problems += change_problems
        cleaned.append(clean)
    if problems:
        raise InvalidContacts(problems)
    return cleaned


def _apply(session: Session, case: Case, change: ContactChange, updated_by: str, now: datetime) -> str:
    key = change.victim_id or ALL_VICTIMS
    existing = contacts_data.get_contact(session, case.id, change.role, key)
    if change.name is None:
        if existing is None:
            return UNCHANGED
        contacts_data.delete_contact(session, existing)
        return CLEARED
    values = {
        "name": change.name,
        "phone": change.phone,
        "email": change.email,
        "when_to_reach": change.when_to_reach,
    }
    if existing is None:
        contacts_data.add_contact(
            session,
            CaseContact(
                case_id=case.id,
                role=change.role,
                victim_id=change.victim_id,
                victim_key=key,
                updated_at=now,
                updated_by=updated_by[:200],
                **values,
            ),
        )
        return SET
    if all(getattr(existing, field) == value for field, value in values.items()):
        return UNCHANGED
    for field, value in values.items():
        setattr(existing, field, value)
    existing.updated_at = now
    existing.updated_by = updated_by[:200]
    session.flush()
    return SET


def set_contacts(
    session: Session,
    case: Case,
    changes: Sequence[ContactChange],
    *,
    updated_by: str,
    agency: str | None = None,
    actor: Actor | None = None,
    subject_victim_id: str | None = None,
) -> list[ContactOutcome]:
    """Set or clear named contacts of `case` (which the caller has scoped), all or nothing.

    `agency`: an agency API client's agency, which may set only its own roles (SET_BY); None for a
    witness care officer in the portal. `updated_by`: the client's or the officer's name. Raises
    InvalidContacts listing every problem. What changed is audited (CONTACTS_CHANGED), with `actor`'s id
    and role when an officer made it."""
    cleaned = _validated(session, case, changes, agency)
    cases_data.lock_case(session, case.id)  # concurrent changes to a case's contacts, one at a time
    now = datetime.now(UTC)
    outcomes = [
        ContactOutcome(change.role, change.victim_id, _apply(session, case, change, updated_by, now))
        for change in cleaned
    ]
    changed = [o for o in outcomes if o.change != UNCHANGED]
    if changed:
        audit.record(
            session,
            updated_by,
            CONTACTS_CHANGED,
            actor_user_id=actor.user_id if actor else None,
            subject_victim_id=subject_victim_id,
            detail={
                "urn": case.urn,
                "by": actor.role if actor else (f"{agency} API client" if agency else "system"),
                "changes": [
                    {
                        "role": o.role,
                        "for": "one victim" if o.victim_id else "every victim",
                        "change": o.change,
                    }
                    for o in changed
                ],
            },
        )
    return outcomes
