"""Access rules, in one place: every read of victim data asks here first.

A victim sees only their own record; a witness care officer only cases of their unit (by force code);
an admin sees no victim data. Out of scope is NotFound (a 404), never a 403 that confirms existence.
Support-worker delegations are added by the delegation work.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import officer as officer_data
from portal.models import Case, Role, Victim
from portal.services.accounts import Actor
from portal.services.api_clients import ApiCaller
from portal.services.errors import NotFound


def case_for_actor(session: Session, actor: Actor, urn: str) -> Case:
    case = cases_data.get_case_by_urn(session, urn)
    if case is None:
        raise NotFound
    if actor.role == Role.VICTIM and actor.victim_id is not None:
        allowed = cases_data.victim_is_on_case(session, actor.victim_id, case.id)
    elif actor.role == Role.WITNESS_CARE_OFFICER:
        allowed = bool(actor.force_code) and case.force_code == actor.force_code
    else:
        allowed = False
    if not allowed:
        raise NotFound
    return case


def own_cases(session: Session, actor: Actor) -> Sequence[Case]:
    """The cases a victim is part of."""
    if actor.role != Role.VICTIM or actor.victim_id is None:
        raise NotFound
    return cases_data.cases_of_victim(session, actor.victim_id)


def api_client_covers_force(caller: ApiCaller, force_code: str) -> bool:
    """Police and witness care clients hold the cases of their own force; CPS and probation all forces."""
    return not caller.force_scoped or (caller.force_code is not None and caller.force_code == force_code)


def case_for_api_client(session: Session, caller: ApiCaller, urn: str) -> Case:
    """A case an agency API client may read and write. Another force's case looks like no case."""
    case = cases_data.get_case_by_urn(session, urn)
    if case is None or not api_client_covers_force(caller, case.force_code):
        raise NotFound
    return case


# --- Witness care officers: the victims on their unit's cases (the unit owns cases by force code). ---


def officer_force_code(actor: Actor) -> str:
    """The force code whose cases the officer's unit owns; NotFound for anyone who is not an officer."""
    if actor.role != Role.WITNESS_CARE_OFFICER or not actor.force_code:
        raise NotFound
    return actor.force_code


def victim_for_officer(session: Session, actor: Actor, victim_id: str) -> Victim:
    """A victim on at least one case of the officer's unit; anyone else is NotFound."""
    victim = officer_data.victim_on_force_case(session, victim_id, officer_force_code(actor))
    if victim is None:
        raise NotFound
    return victim


def officer_victim_ids(session: Session, actor: Actor) -> list[str]:
    """Every victim on a case of the officer's unit."""
    return officer_data.victim_ids_of_force(session, officer_force_code(actor))


def officer_cases_of_victim(session: Session, actor: Actor, victim_id: str) -> Sequence[Case]:
    """The victim's cases that the officer's unit owns (not their cases elsewhere)."""
    return officer_data.force_cases_of_victim(session, victim_id, officer_force_code(actor))
