"""What a support worker sees and does under the delegations they hold: their clients, the requests
waiting for them, and for each client only what the victim granted (services/common/access.py checks
each scope on every request). Every view is audited with the delegation's id, so the victim sees it on
their "People helping you" page; changes to preferences are versioned with the worker's name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import delegations as delegations_data
from portal.data import victims as victims_data
from portal.models import Case, Delegation
from portal.services.cases import timeline
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation import rules
from portal.services.delegation.grants import worker_label
from portal.services.delegation.views import CHANGED_BY_SUPPORT_WORKER
from portal.services.preferences import labels as preference_labels
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import SOURCE_SUPPORT_WORKER


@dataclass(frozen=True)
class Client:
    victim_id: str
    name: str
    scopes: frozenset[str]
    scope_labels: tuple[str, ...]
    last_day: date


@dataclass(frozen=True)
class Invitation:
    id: int
    victim_name: str
    scope_labels: tuple[str, ...]
    last_day: date
    for_organisation: bool
    recorded_by_officer: bool


def _scope_labels(scopes: set[str] | frozenset[str] | list[str]) -> tuple[str, ...]:
    return tuple(str(rules.WORKER_SCOPE_LABELS[scope]) for scope in rules.SCOPES if scope in scopes)


def worker_home(
    session: Session, actor: Actor, now: datetime | None = None
) -> tuple[list[Client], list[Invitation]]:
    """ "Your clients" (only delegations in force now) and "Your invitations" (waiting for an answer)."""
    access.require_support_worker(actor)
    now = now or datetime.now(UTC)
    active = delegations_data.active_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, now
    )
    pending = delegations_data.pending_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, now
    )
    victims = victims_data.victims_by_id(session, {d.victim_id for d in (*active, *pending)})
    by_victim: dict[str, list[Delegation]] = {}
    for delegation in active:
        by_victim.setdefault(delegation.victim_id, []).append(delegation)
    clients = []
    for victim_id, held in by_victim.items():
        scopes = frozenset(scope for d in held for scope in d.scopes or [])
        clients.append(
            Client(
                victim_id=victim_id,
                name=victims[victim_id].full_name,
                scopes=scopes,
                scope_labels=_scope_labels(scopes),
                last_day=rules.last_day_of(max(d.ends_at for d in held)),
            )
        )
    clients.sort(key=lambda client: client.name.lower())
    invitations = [
        Invitation(
            id=d.id,
            victim_name=victims[d.victim_id].full_name,
            scope_labels=_scope_labels(d.scopes or []),
            last_day=rules.last_day_of(d.ends_at),
            for_organisation=d.grantee_organisation_id is not None,
            recorded_by_officer=d.source != rules.SOURCE_VICTIM_ONLINE,
        )
        for d in pending
    ]
    return clients, invitations


def invitation(session: Session, actor: Actor, delegation_id: int) -> Invitation:
    """One request waiting for this worker's answer."""
    delegation = access.pending_delegation_for_worker(session, actor, delegation_id)
    _, invitations = worker_home(session, actor)
    for item in invitations:
        if item.id == delegation.id:
            return item
    raise NotFound  # pragma: no cover - the access check found it a moment ago


def _view(session: Session, actor: Actor, delegation: Delegation, what: str) -> None:
    """A support worker looked at the victim's information: audited with the delegation's id."""
    audit.record_for_actor(
        session,
        actor,
        audit.VICTIM_DATA_VIEWED,
        subject_victim_id=delegation.victim_id,
        detail={"what": what, "delegation_id": delegation.id},
    )


@dataclass(frozen=True)
class ClientPage:
    client: Client
    cases: list[Case]


def client_page(session: Session, actor: Actor, victim_id: str, now: datetime | None = None) -> ClientPage:
    """The client's name and what the worker may do; their cases only if they may see updates."""
    first = access.delegation_for_worker(session, actor, victim_id, None)
    scopes = access.worker_scopes(session, actor, victim_id)
    now = now or datetime.now(UTC)
    held = delegations_data.active_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, now, victim_id
    )
    victim = victims_data.get_victim(session, victim_id)
    if victim is None:  # pragma: no cover - a delegation always has its victim
        raise NotFound
    cases: list[Case] = []
    if rules.SEE_UPDATES in scopes:
        delegation = access.delegation_for_worker(session, actor, victim_id, rules.SEE_UPDATES)
        cases = list(cases_data.cases_for_victim(session, victim_id))
        _view(session, actor, delegation, "list of cases")
    client = Client(
        victim_id=victim_id,
        name=victim.full_name,
        scopes=frozenset(scopes),
        scope_labels=_scope_labels(scopes),
        last_day=rules.last_day_of(max((d.ends_at for d in held), default=first.ends_at)),
    )
    return ClientPage(client=client, cases=cases)


def client_name(session: Session, actor: Actor, victim_id: str) -> str:
    access.delegation_for_worker(session, actor, victim_id, None)
    victim = victims_data.get_victim(session, victim_id)
    if victim is None:  # pragma: no cover
        raise NotFound
    return victim.full_name


def client_case(
    session: Session, actor: Actor, victim_id: str, urn: str, source: str | None, page: int | None = None
) -> tuple[str, timeline.StaffCasePage]:
    """The client's name, and one page of one of their cases as they see it with where things stand
    (never their named contacts), from one reading of the case after one check of the delegation.
    Nothing is marked as seen by the client. NotFound when `page` is past the last page."""
    case, delegation = access.case_for_worker(session, actor, victim_id, urn)
    found = timeline.support_case_page(session, case, victim_id, source, page)
    _view(session, actor, delegation, f"updates on case {case.urn}")
    victim = victims_data.get_victim(session, victim_id)  # the client whose delegation was just checked
    if victim is None:  # pragma: no cover - a delegation always has its victim
        raise NotFound
    return victim.full_name, found


@dataclass(frozen=True)
class PreferencesPage:
    name: str
    contact_rows: list[preference_labels.SummaryRow]
    needs_rows: list[preference_labels.SummaryRow]
    can_change: bool


def client_preferences(session: Session, actor: Actor, victim_id: str) -> PreferencesPage:
    delegation = access.delegation_for_worker(session, actor, victim_id, rules.SEE_PREFERENCES)
    prefs = preferences.current_preferences(session, victim_id)
    _view(session, actor, delegation, "contact preferences and needs")
    return PreferencesPage(
        name=client_name(session, actor, victim_id),
        contact_rows=preference_labels.contact_rows(prefs),
        needs_rows=preference_labels.needs_rows(prefs),
        can_change=rules.CHANGE_PREFERENCES in access.worker_scopes(session, actor, victim_id),
    )


def document_to_change(session: Session, actor: Actor, victim_id: str) -> tuple[str, dict[str, Any]]:
    """The answers a worker may change, as they stand (for the form)."""
    delegation = access.delegation_for_worker(session, actor, victim_id, rules.CHANGE_PREFERENCES)
    document, _ = preferences.base_document(session, victim_id)
    _view(session, actor, delegation, "needs, to change them")
    return client_name(session, actor, victim_id), {
        key: document[key] for key in rules.WORKER_CHANGEABLE_KEYS
    }


def change_for_client(
    session: Session, actor: Actor, victim_id: str, changes: Mapping[str, Any]
) -> int | None:
    """Record the worker's changes as a new version (source "support worker", the worker's name in the
    history). Only the answers a worker may change are taken. Returns the new version number, or None if
    nothing changed. Raises InvalidPreferences."""
    delegation = access.delegation_for_worker(session, actor, victim_id, rules.CHANGE_PREFERENCES)
    allowed = {key: value for key, value in changes.items() if key in rules.WORKER_CHANGEABLE_KEYS}
    before = preferences.current_preferences(session, victim_id).version
    version = preferences.record_preferences(
        session,
        victim_id,
        allowed,
        actor=actor,
        actor_label=worker_label(session, actor),
        source=SOURCE_SUPPORT_WORKER,
    )
    if version.version == before:
        return None
    audit.record_for_actor(
        session,
        actor,
        CHANGED_BY_SUPPORT_WORKER,
        subject_victim_id=victim_id,
        detail={
            "delegation_id": delegation.id,
            "what": "needs and how often they hear from us",
            "version": version.version,
            "answers_changed": len(version.changed_fields or []),
        },
    )
    return version.version
