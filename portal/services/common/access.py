"""Access rules, in one place: every read of victim data asks here first.

A victim sees only their own record; a witness care officer only cases of their unit (by force code);
an admin sees no victim data; a support worker only what an active delegation grants, scope by scope,
read from the database on every call (so a revocation or an expiry counts on the very next request).
Out of scope is NotFound (a 404), never a 403 that confirms existence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import delegations as delegations_data
from portal.data import officer as officer_data
from portal.models import Case, Delegation, Role, Victim
from portal.services.common.actors import Actor, ApiCaller
from portal.services.common.errors import NotFound


def case_for_actor(session: Session, actor: Actor, urn: str) -> Case:
    if actor.role == Role.VICTIM and actor.victim_id is not None:
        victims_case = cases_data.get_case_of_victim(session, urn, actor.victim_id)  # one query
        if victims_case is None:
            raise NotFound
        return victims_case
    case = cases_data.get_case_by_urn(session, urn)
    if case is None:
        raise NotFound
    if actor.role == Role.WITNESS_CARE_OFFICER:
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


# --- Support workers: only what an active delegation grants (see services/delegations.py). ---


def delegation_for_worker(session: Session, actor: Actor, victim_id: str, scope: str | None) -> Delegation:
    """The delegation through which this support worker may use `scope` for this victim now: granted to
    them or to their organisation, accepted, started, not ended, revoked, stepped back or suspended.
    `scope` None: any active delegation (the client's name only). Anything else is NotFound."""
    if actor.role != Role.SUPPORT_WORKER:
        raise NotFound
    now = datetime.now(UTC)
    for delegation in delegations_data.active_for_worker(
        session, actor.user_id, actor.organisation_id, now, victim_id
    ):
        if scope is None or scope in (delegation.scopes or []):
            return delegation
    raise NotFound


def worker_scopes(session: Session, actor: Actor, victim_id: str) -> set[str]:
    """Every scope the worker holds for this victim now, across their active delegations (NotFound if none)."""
    if actor.role != Role.SUPPORT_WORKER:
        raise NotFound
    active = delegations_data.active_for_worker(
        session, actor.user_id, actor.organisation_id, datetime.now(UTC), victim_id
    )
    if not active:
        raise NotFound
    return {scope for delegation in active for scope in delegation.scopes or []}


def case_for_worker(session: Session, actor: Actor, victim_id: str, urn: str) -> tuple[Case, Delegation]:
    """A case of the victim's, for a worker allowed to see the victim's updates."""
    delegation = delegation_for_worker(session, actor, victim_id, "see-updates")
    case = cases_data.get_case_by_urn(session, urn)
    if case is None or not cases_data.victim_is_on_case(session, victim_id, case.id):
        raise NotFound
    return case, delegation


def pending_delegation_for_worker(session: Session, actor: Actor, delegation_id: int) -> Delegation:
    """A request waiting for this worker (or their organisation) to accept or decline."""
    if actor.role != Role.SUPPORT_WORKER:
        raise NotFound
    pending = delegations_data.pending_for_worker(
        session, actor.user_id, actor.organisation_id, datetime.now(UTC)
    )
    for delegation in pending:
        if delegation.id == delegation_id:
            return delegation
    raise NotFound


def delegation_for_victim(session: Session, actor: Actor, delegation_id: int) -> Delegation:
    """One of the victim's own delegations."""
    if actor.role != Role.VICTIM or actor.victim_id is None:
        raise NotFound
    delegation = delegations_data.get(session, delegation_id)
    if delegation is None or delegation.victim_id != actor.victim_id:
        raise NotFound
    return delegation


def delegation_for_officer(session: Session, actor: Actor, victim_id: str, delegation_id: int) -> Delegation:
    """A delegation of a victim on one of the officer's unit's cases."""
    victim_for_officer(session, actor, victim_id)
    delegation = delegations_data.get(session, delegation_id)
    if delegation is None or delegation.victim_id != victim_id:
        raise NotFound
    return delegation
