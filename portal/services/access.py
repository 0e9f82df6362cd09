"""Access rules, in one place: every read of victim data asks here first.

A victim sees only their own record; a witness care officer only cases of their unit (by force code);
an admin sees no victim data. Out of scope is NotFound (a 404), never a 403 that confirms existence.
Support-worker delegations are added by the delegation work.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.models import Case, Role
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
