"""What the victim and the witness care officer see of delegations: every one, past and present, with its
status and every view or change made under it (read from the audit trail), and the banner that tells the
victim, once, about a change somebody else made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import audit as audit_data
from portal.data import delegations as delegations_data
from portal.data import victims as victims_data
from portal.models import Delegation
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.delegation import rules
from portal.services.delegation.grants import ended_at, labels_for, status_of

# The audit action written when a support worker changes something under a delegation.
CHANGED_BY_SUPPORT_WORKER = "support.change_preferences"
ACTIVITY_ACTIONS = (audit.VICTIM_DATA_VIEWED, "support.view_victim", CHANGED_BY_SUPPORT_WORKER)


@dataclass(frozen=True)
class Activity:
    at: datetime
    who: str
    kind: str  # "view" or "change"
    what: str


@dataclass(frozen=True)
class DelegationRow:
    id: int
    victim_id: str
    who: str
    status: str
    status_label: str
    status_class: str
    scopes: tuple[str, ...]
    scope_labels: tuple[str, ...]  # as the victim reads them ("your")
    staff_scope_labels: tuple[str, ...]  # as officers read them ("their")
    created_at: datetime
    last_day: date
    ended_at: datetime | None
    granted_by_label: str
    source_label: str
    live: bool
    activity: tuple[Activity, ...] = ()


def activity_by_delegation(session: Session, victim_id: str) -> dict[int, list[Activity]]:
    """Every view or change recorded under each of the victim's delegations, newest first."""
    found: dict[int, list[Activity]] = {}
    for event in audit_data.audit_events_for_victim(session, victim_id, ACTIVITY_ACTIONS, limit=2000):
        detail = event.detail or {}
        delegation_id = detail.get("delegation_id")
        if not isinstance(delegation_id, int):
            continue
        kind = "change" if event.action == CHANGED_BY_SUPPORT_WORKER else "view"
        found.setdefault(delegation_id, []).append(
            Activity(at=event.at, who=event.actor_label, kind=kind, what=str(detail.get("what") or ""))
        )
    return found


def _rows(
    session: Session,
    delegations: Sequence[Delegation],
    now: datetime,
    activity: dict[int, list[Activity]] | None = None,
) -> list[DelegationRow]:
    labels = labels_for(session, delegations)
    rows = []
    for delegation in delegations:
        status = status_of(delegation, now)
        rows.append(
            DelegationRow(
                id=delegation.id,
                victim_id=delegation.victim_id,
                who=labels[delegation.id],
                status=status,
                status_label=str(rules.STATUS_LABELS[status]),
                status_class=rules.STATUS_TAG_CLASSES[status],
                scopes=tuple(delegation.scopes or ()),
                scope_labels=tuple(str(rules.SCOPE_LABELS[s]) for s in delegation.scopes or ()),
                staff_scope_labels=tuple(str(rules.WORKER_SCOPE_LABELS[s]) for s in delegation.scopes or ()),
                created_at=delegation.created_at,
                last_day=rules.last_day_of(delegation.ends_at),
                ended_at=ended_at(delegation) or (delegation.ends_at if status == rules.EXPIRED else None),
                granted_by_label=delegation.granted_by_label,
                source_label=str(rules.SOURCE_LABELS.get(delegation.source, delegation.source)),
                live=status in rules.LIVE_STATUSES,
                activity=tuple((activity or {}).get(delegation.id, ())),
            )
        )
    return rows


# --- The victim: "People helping you" -----------------------------------------------------------


def victim_overview(session: Session, actor: Actor, now: datetime | None = None) -> list[DelegationRow]:
    """Every delegation the victim gave, newest first, each with every view and change made under it."""
    victim_id = access.own_victim_id(actor)
    return _rows(
        session,
        delegations_data.delegations_for_victim(session, victim_id),
        now or datetime.now(UTC),
        activity_by_delegation(session, victim_id),
    )


def victim_detail(
    session: Session, actor: Actor, delegation_id: int, now: datetime | None = None
) -> DelegationRow:
    delegation = access.delegation_for_victim(session, actor, delegation_id)
    activity = activity_by_delegation(session, delegation.victim_id)
    return _rows(session, [delegation], now or datetime.now(UTC), activity)[0]


NOTICES = {
    rules.PENDING: _l(
        "A witness care officer recorded that you asked %(who)s to help you. They can see nothing until "
        "they accept. If you did not ask for this, stop it now."
    ),
    rules.ACTIVE: _l("%(who)s accepted your request and can now help you."),
    rules.DECLINED: _l("%(who)s did not accept your request to help you."),
    rules.STEPPED_BACK: _l("%(who)s stepped back and can no longer see your information."),
    rules.SUSPENDED: _l(
        "A witness care officer stopped %(who)s from seeing your information, to keep it safe."
    ),
    rules.EXPIRED: _l("The help you gave permission for from %(who)s has ended: the end date has passed."),
}


def take_notices(session: Session, actor: Actor, now: datetime | None = None) -> list[str]:
    """The changes to the victim's delegations made by someone else since the victim last saw them, as
    banner texts; each is returned once (it is marked as seen)."""
    victim_id = access.own_victim_id(actor)
    now = now or datetime.now(UTC)
    changed = []
    for delegation in delegations_data.delegations_for_victim(session, victim_id):
        status = status_of(delegation, now)
        if status != delegation.victim_seen_status:
            changed.append((delegation, status))
    if not changed:
        return []
    labels = labels_for(session, [delegation for delegation, _ in changed])
    texts = []
    for delegation, status in changed:
        delegation.victim_seen_status = status
        template = NOTICES.get(status)
        if template is not None:
            texts.append(str(template % {"who": labels[delegation.id]}))
    session.flush()
    return texts


# --- The witness care officer --------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerDelegation:
    row: DelegationRow
    consent_note: str | None
    suspended_reason: str | None
    suspended_by_label: str | None


def officer_victim_delegations(
    session: Session, actor: Actor, victim_id: str, now: datetime | None = None
) -> tuple[str, list[OfficerDelegation]]:
    """The victim's name and every delegation they gave (victim on the officer's unit's cases)."""
    victim = access.victim_for_officer(session, actor, victim_id)
    audit.record_view(session, actor, victim_id, "people helping the victim")
    delegations = delegations_data.delegations_for_victim(session, victim_id)
    rows = _rows(session, delegations, now or datetime.now(UTC))
    return victim.full_name, [
        OfficerDelegation(row, d.consent_note, d.suspended_reason, d.suspended_by_label)
        for row, d in zip(rows, delegations, strict=True)
    ]


def officer_victim_name(session: Session, actor: Actor, victim_id: str) -> str:
    """The name of a victim on the officer's unit's cases (NotFound otherwise)."""
    return access.victim_for_officer(session, actor, victim_id).full_name


@dataclass(frozen=True)
class UnitDelegation:
    row: DelegationRow
    victim_name: str


def unit_delegations(session: Session, actor: Actor, now: datetime | None = None) -> list[UnitDelegation]:
    """Delegations in force or waiting, of victims on the unit's cases: who can see what."""
    force_code = access.officer_force_code(actor)
    now = now or datetime.now(UTC)
    delegations = [
        d
        for d in delegations_data.delegations_for_force(session, force_code)
        if status_of(d, now) in rules.LIVE_STATUSES
    ]
    victims = victims_data.victims_by_id(session, {d.victim_id for d in delegations})
    return [
        UnitDelegation(row, victims[row.victim_id].full_name)
        for row in _rows(session, delegations, now)
        if row.victim_id in victims
    ]
