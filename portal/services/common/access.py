"""Access rules, in one place: every decision on whether someone may see or act on a victim, a case, a
message or an account is made here, and no other service compares roles.

A victim sees only their own record; a witness care officer only cases of their unit (by force code);
an admin sees no victim data, only staff accounts, the invitations that are not victims' and the audit
trail with every victim pseudonymised; a support
worker only what an active delegation grants, scope by scope, read from the database on every call (so a
revocation or an expiry counts on the very next request), and copies of the victim's messages only under
a delegation with "receive-copies"; an agency API client only its agency's cases (police and witness
care: its force's) and the victims on them.
Out of scope is NotFound (a 404), never a 403 that confirms existence.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.data import accessible_formats as accessible_formats_data
from portal.data import cases as cases_data
from portal.data import communications as communications_data
from portal.data import delegations as delegations_data
from portal.data import invitations as invitations_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import (
    AccessibleFormatTask,
    Case,
    CaseUpdate,
    CaseVictim,
    Communication,
    Delegation,
    Invitation,
    InvitationKind,
    Role,
    User,
    Victim,
)
from portal.models.delegations import RECEIVE_COPIES, SEE_UPDATES
from portal.services.common import audit
from portal.services.common.actors import Actor, ApiCaller
from portal.services.common.errors import NotFound

# --- Roles: who may use a kind of service at all ----------------------------------------------------


def require_role(actor: Actor, *roles: str) -> None:
    """NotFound unless the actor has one of `roles`."""
    if actor.role not in roles:
        raise NotFound


def require_admin(actor: Actor) -> None:
    """Admins only (staff accounts, organisations, staff invitations)."""
    require_role(actor, Role.ADMIN)


def require_support_worker(actor: Actor) -> None:
    require_role(actor, Role.SUPPORT_WORKER)


def is_victim(actor: Actor) -> bool:
    """Signed in as a victim: their own pages, never staff pages."""
    return actor.role == Role.VICTIM


# --- Victims: their own record and cases --------------------------------------------------------------


def own_victim_id(actor: Actor) -> str:
    """The victim record of a signed-in victim, the only one they may see; NotFound for anyone else."""
    if actor.role != Role.VICTIM or actor.victim_id is None:
        raise NotFound
    return actor.victim_id


def case_for_actor(session: Session, actor: Actor, urn: str) -> Case:
    """A case by URN: a victim's own case, or a case of an officer's unit."""
    if actor.role == Role.VICTIM and actor.victim_id is not None:
        victims_case = cases_data.get_case_by_urn_for_victim(session, urn, actor.victim_id)  # one query
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
    return cases_data.cases_for_victim(session, own_victim_id(actor))


# --- Agency API clients: their agency's cases (police and witness care: their force's) -------------


def api_client_covers_force(caller: ApiCaller, force_code: str) -> bool:
    """Police and witness care clients hold the cases of their own force; CPS and probation all forces."""
    return not caller.force_scoped or (caller.force_code is not None and caller.force_code == force_code)


def case_for_api_client(session: Session, caller: ApiCaller, urn: str) -> Case:
    """A case an agency API client may read and write. Another force's case looks like no case."""
    case = cases_data.get_case_by_urn(session, urn)
    if case is None or not api_client_covers_force(caller, case.force_code):
        raise NotFound
    return case


def case_and_victims_for_api_client(
    session: Session, caller: ApiCaller, urn: str
) -> tuple[Case, list[tuple[CaseVictim, bool]]]:
    """`case_for_api_client`, with the case's victims (each with whether they ever gave a delegation),
    read in the same statement."""
    case, links = cases_data.case_with_victims_by_urn(session, urn)
    if case is None or not api_client_covers_force(caller, case.force_code):
        raise NotFound
    return case, links


def case_victim_for_api_client(session: Session, case: Case, victim_id: str) -> CaseVictim:
    """A victim's place on a case the client may read (`case` from `case_for_api_client`): a victim who is
    not on that case (or an id that is not an id) is NotFound."""
    link = cases_data.get_case_victim(session, case.id, victim_id.lower())
    if link is None:
        raise NotFound
    return link


# --- Witness care officers: the victims on their unit's cases (the unit owns cases by force code). ---


def officer_force_code(actor: Actor) -> str:
    """The force code whose cases the officer's unit owns; NotFound for anyone who is not an officer."""
    if actor.role != Role.WITNESS_CARE_OFFICER or not actor.force_code:
        raise NotFound
    return actor.force_code


def victim_for_officer(session: Session, actor: Actor, victim_id: str) -> Victim:
    """A victim on at least one case of the officer's unit; anyone else is NotFound."""
    victim = victims_data.get_victim_on_force_case(session, victim_id, officer_force_code(actor))
    if victim is None:
        raise NotFound
    return victim


def officer_victim_ids(session: Session, actor: Actor) -> list[str]:
    """Every victim on a case of the officer's unit."""
    return victims_data.victim_ids_for_force(session, officer_force_code(actor))


def officer_cases_of_victim(session: Session, actor: Actor, victim_id: str) -> Sequence[Case]:
    """The victim's cases that the officer's unit owns (not their cases elsewhere)."""
    return cases_data.cases_for_victim_in_force(session, victim_id, officer_force_code(actor))


def case_of_victim_for_officer(
    session: Session, actor: Actor, victim_id: str, urn: str
) -> tuple[Victim, Case]:
    """A victim on the officer's unit's cases and one of the unit's cases that they are on."""
    victim = victim_for_officer(session, actor, victim_id)
    case = case_for_actor(session, actor, urn)
    if not cases_data.is_victim_on_case(session, victim_id, case.id):
        raise NotFound
    return victim, case


# Messages follow what they are about. A message about an update (a case update, a digest line, a
# fallback, a copy to a support worker) belongs to that update's case: an officer sees it only when the
# case is their unit's, even though the victim is also on one of the unit's cases. A message about no
# update (an invitation, a sign-in or confirmation code, a notice about preferences or delegations)
# follows the victim: an officer sees it when the victim is on one of the unit's cases
# (`victim_for_officer`).


def officer_communications_of_victim(
    session: Session, actor: Actor, victim_id: str
) -> Sequence[tuple[Communication, OutboundMessage, CaseUpdate | None]]:
    """The victim's messages an officer may see (the rule above), newest first, with their updates."""
    victim_for_officer(session, actor, victim_id)
    return communications_data.communications_for_victim_in_force(
        session, victim_id, officer_force_code(actor)
    )


def officer_accessible_format_tasks(
    session: Session, actor: Actor, *, done: bool
) -> Sequence[tuple[AccessibleFormatTask, Victim, Case, CaseUpdate]]:
    """Accessible format tasks on the unit's cases (open, or done), with their victim, case and update."""
    return accessible_formats_data.tasks_in_force(session, officer_force_code(actor), done=done)


def officer_accessible_format_tasks_received(
    session: Session, actor: Actor, start: datetime, end: datetime
) -> Sequence[AccessibleFormatTask]:
    """The unit's accessible format tasks about updates the agency had in [start, end)."""
    return accessible_formats_data.tasks_in_force_received_between(
        session, officer_force_code(actor), start, end
    )


def officer_open_accessible_format_task_count(session: Session, actor: Actor) -> int:
    """How many accessible format tasks on the unit's cases are still to do."""
    return accessible_formats_data.count_open_in_force(session, officer_force_code(actor))


def accessible_format_task_for_officer(session: Session, actor: Actor, task_id: int) -> AccessibleFormatTask:
    """A task on one of the unit's cases; another unit's, or none, is NotFound."""
    task = accessible_formats_data.task_in_force(session, task_id, officer_force_code(actor))
    if task is None:
        raise NotFound
    return task


def officer_failed_communications(
    session: Session, actor: Actor, statuses: Sequence[str]
) -> Sequence[tuple[Communication, OutboundMessage, Victim]]:
    """Messages in `statuses` to the victims on the unit's cases that the officer may see (the rule
    above), newest first, with the victim."""
    force_code = officer_force_code(actor)
    return communications_data.failed_communications_in_force(
        session, officer_victim_ids(session, actor), statuses, force_code
    )


# --- Accounts and invitations -------------------------------------------------------------------------


def staff_user_for_admin(session: Session, actor: Actor, user_id: int) -> User:
    """A staff account (officer, support worker or admin), for an admin; a victim's account is NotFound."""
    require_admin(actor)
    user = users_data.get_user(session, user_id)
    if user is None or user.role == Role.VICTIM:
        raise NotFound
    return user


def invitation_for_actor(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    """An invitation the actor may resend or cancel: an admin, any but a victim's invitation to join (staff
    and second-factor recovery ones); an officer, one about a victim on the unit's cases."""
    invitation = invitations_data.get_invitation(session, invitation_id)
    if invitation is None:
        raise NotFound
    if actor.role == Role.ADMIN and invitation.kind != InvitationKind.VICTIM:
        return invitation
    if invitation.victim_id is None:
        raise NotFound
    victim_for_officer(session, actor, invitation.victim_id)
    return invitation


# --- Support workers: only what an active delegation grants (see services/delegation). ---------------


def can_hold_delegation(user: User | None) -> bool:
    """Whether a victim's delegation can reach this account: an active support worker's, nobody else's."""
    return user is not None and user.is_active and user.role == Role.SUPPORT_WORKER


def delegation_for_worker(session: Session, actor: Actor, victim_id: str, scope: str | None) -> Delegation:
    """The delegation through which this support worker may use `scope` for this victim now: granted to
    them or to their organisation, accepted, started, not ended, revoked, stepped back or suspended.
    `scope` None: any active delegation (the client's name only). Anything else is NotFound."""
    require_support_worker(actor)
    now = datetime.now(UTC)
    for delegation in delegations_data.active_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, now, victim_id
    ):
        if scope is None or scope in (delegation.scopes or []):
            return delegation
    raise NotFound


def worker_scopes(session: Session, actor: Actor, victim_id: str) -> set[str]:
    """Every scope the worker holds for this victim now, across their active delegations (NotFound if none)."""
    require_support_worker(actor)
    active = delegations_data.active_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, datetime.now(UTC), victim_id
    )
    if not active:
        raise NotFound
    return {scope for delegation in active for scope in delegation.scopes or []}


def case_for_worker(session: Session, actor: Actor, victim_id: str, urn: str) -> tuple[Case, Delegation]:
    """A case of the victim's, for a worker allowed to see the victim's updates."""
    delegation = delegation_for_worker(session, actor, victim_id, SEE_UPDATES)
    case = cases_data.get_case_by_urn(session, urn)
    if case is None or not cases_data.is_victim_on_case(session, victim_id, case.id):
        raise NotFound
    return case, delegation


def pending_delegation_for_worker(session: Session, actor: Actor, delegation_id: int) -> Delegation:
    """A request waiting for this worker (or their organisation) to accept or decline."""
    require_support_worker(actor)
    pending = delegations_data.pending_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, datetime.now(UTC)
    )
    for delegation in pending:
        if delegation.id == delegation_id:
            return delegation
    raise NotFound


def delegation_for_victim(session: Session, actor: Actor, delegation_id: int) -> Delegation:
    """One of the victim's own delegations."""
    victim_id = own_victim_id(actor)
    delegation = delegations_data.get_delegation(session, delegation_id)
    if delegation is None or delegation.victim_id != victim_id:
        raise NotFound
    return delegation


def delegation_for_officer(session: Session, actor: Actor, victim_id: str, delegation_id: int) -> Delegation:
    """A delegation of a victim on one of the officer's unit's cases."""
    victim_for_officer(session, actor, victim_id)
    delegation = delegations_data.get_delegation(session, delegation_id)
    if delegation is None or delegation.victim_id != victim_id:
        raise NotFound
    return delegation


def copy_recipients(
    session: Session, victim_id: str, now: datetime | None = None
) -> list[tuple[Delegation, User]]:
    """Who may have a copy of the victim's notifications now: for each delegation in force with
    "receive-copies", the worker it names, or for an organisation the worker who accepted for it (while
    still an active support worker there)."""
    now = now or datetime.now(UTC)
    found = []
    for delegation in delegations_data.active_delegations_for_victim(session, victim_id, now):
        if RECEIVE_COPIES not in (delegation.scopes or []):
            continue
        user_id = delegation.grantee_user_id or delegation.accepted_by_user_id
        user = users_data.get_user(session, user_id) if user_id is not None else None
        if user is None or not can_hold_delegation(user):
            continue
        if delegation.grantee_organisation_id not in (None, user.organisation_id):
            continue
        found.append((delegation, user))
    return found


# --- Admins: the audit trail without victim information ----------------------------------------------
# An admin sees no victim data, and the audit trail is full of it: victims act (they sign in) and are
# acted on (an officer opens their case). An admin sees each victim as a pseudonym, "V-" and 8 hex digits
# of an HMAC-SHA256 of the victim's id under SECRET_KEY: stable (the same victim is the same token on
# every search, so an incident can be followed), meaningless without the key, and resolvable by an
# officer of the victim's unit (victim_for_officer_by_pseudonym). URNs in what was viewed become "case "
# tokens the same way, and free text an officer wrote about a victim is left out. Rotating SECRET_KEY
# changes every token.

VICTIM_PSEUDONYM_PREFIX = "V-"
CASE_PSEUDONYM_PREFIX = "C-"
_URN_IN_TEXT = re.compile(r"\b\d{2}[A-Z]{2}\d{7}\b")
_PSEUDONYM = re.compile(r"(?:V-)?([0-9A-F]{8})")
# Detail an officer types about a victim (how they checked a victim's identity): never shown to an admin.
_FREE_TEXT_ABOUT_VICTIMS = frozenset({"identity_checked_by"})
_LEFT_OUT = "(left out: about a victim)"


def _token(kind: str, value: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:8].upper()


def victim_pseudonym(victim_id: str) -> str:
    """The victim's token in the admin's audit trail, e.g. "V-3F9A2C1B" (needs an app context)."""
    return VICTIM_PSEUDONYM_PREFIX + _token("victim-pseudonym", victim_id)


def case_pseudonym(urn: str) -> str:
    """A case's token in the admin's audit trail, e.g. "C-09B1D2E7" (needs an app context)."""
    return CASE_PSEUDONYM_PREFIX + _token("case-pseudonym", urn.upper())


@dataclass(frozen=True)
class AdminAuditRow:
    """An audit event as an admin sees it: `victim` is the pseudonym of the victim it was about; a victim
    who acted is `actor_label` "Victim V-..." with no user id."""

    at: datetime
    action: str
    actor_label: str
    actor_user_id: int | None
    victim: str | None
    request_id: str | None
    detail: dict[str, Any]
    occurrences: int = 1


def _detail_for_admin(value: Any) -> Any:
    if isinstance(value, str):
        return _URN_IN_TEXT.sub(lambda match: f"case {case_pseudonym(match.group(0))}", value)
    if isinstance(value, Mapping):
        return {key: _detail_item_for_admin(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_detail_for_admin(item) for item in value]
    return value


def _detail_item_for_admin(key: str, value: Any) -> Any:
    if key in _FREE_TEXT_ABOUT_VICTIMS:
        return _LEFT_OUT
    if key == "urn" and isinstance(value, str) and value:  # whatever its form, a case's own reference
        return case_pseudonym(value.strip())
    return _detail_for_admin(value)


def audit_rows_for_admin(
    session: Session, actor: Actor, rows: Sequence[audit.AuditRow]
) -> list[AdminAuditRow]:
    """Audit events for an admin's search, every victim in them pseudonymised (see above)."""
    require_admin(actor)
    victims_acting = {
        user.id: user.victim_id
        for user in users_data.users_by_id(session, (row.actor_user_id for row in rows)).values()
        if user.role == Role.VICTIM
    }
    shown = []
    for row in rows:
        actor_label, actor_user_id = row.actor_label, row.actor_user_id
        if actor_user_id is not None and actor_user_id in victims_acting:
            victim_id = victims_acting[actor_user_id]
            actor_label = f"Victim {victim_pseudonym(victim_id)}" if victim_id else "A victim"
            actor_user_id = None
        shown.append(
            AdminAuditRow(
                at=row.at,
                action=row.action,
                actor_label=actor_label,
                actor_user_id=actor_user_id,
                victim=victim_pseudonym(row.subject_victim_id) if row.subject_victim_id else None,
                request_id=row.request_id,
                detail=_detail_for_admin(row.detail),
                occurrences=row.occurrences,
            )
        )
    return shown


def audit_search_email_for_admin(session: Session, actor: Actor, email: str) -> str | None:
    """The email address an admin may search the audit trail by: a staff account's, or one that is nobody's
    (the search finds nothing). A victim's is None: whether a victim has an account is victim information."""
    require_admin(actor)
    user = users_data.get_user_by_email(session, email)
    return None if user is not None and user.role == Role.VICTIM else email


def victim_for_officer_by_pseudonym(session: Session, actor: Actor, pseudonym: str) -> Victim:
    """The victim behind an audit-trail pseudonym ("V-3F9A2C1B", or just the 8 hex digits), for an officer
    of a unit the victim has a case with; NotFound for anyone else or a token that is nobody's."""
    match = _PSEUDONYM.fullmatch(pseudonym.strip().upper())
    if match is None:
        raise NotFound
    wanted = VICTIM_PSEUDONYM_PREFIX + match.group(1)
    for victim_id in officer_victim_ids(session, actor):
        if hmac.compare_digest(victim_pseudonym(victim_id), wanted):
            return victim_for_officer(session, actor, victim_id)
    raise NotFound
