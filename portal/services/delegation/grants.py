"""Delegations: a victim lets a support worker (or their organisation) see or do what the victim chose,
until a date the victim chose; the worker accepts; the victim can stop it at any time, the worker can
step back, and a witness care officer can stop it for safeguarding. It also ends on its end date.

Every change is audited (`delegation-granted`, `delegation-changed`, `delegation-revoked`, with the
delegation id in the detail) and the victim is told (services/messaging/notices.py, and a banner on
their next page: services/delegation/views.py). Access itself is checked in services/common/access.py
on every request; nothing here caches it. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import delegations as delegations_data
from portal.data import users as users_data
from portal.models import Delegation, Organisation, OrganisationKind, User
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation import rules
from portal.services.delegation.rules import InvalidDelegation
from portal.services.messaging.notices import tell_victim

SYSTEM_LABEL = "Victims' portal"


# --- Status ---------------------------------------------------------------------------------------


def status_of(delegation: Delegation, now: datetime | None = None) -> str:
    """The status now, from the timestamps: an ending by someone first, then the end date, then whether
    the worker has accepted and the start has come."""
    now = now or datetime.now(UTC)
    if delegation.revoked_at is not None:
        return rules.REVOKED
    if delegation.suspended_at is not None:
        return rules.SUSPENDED
    if delegation.stepped_back_at is not None:
        return rules.STEPPED_BACK
    if delegation.declined_at is not None:
        return rules.DECLINED
    if delegation.ends_at <= now:
        return rules.EXPIRED
    if delegation.accepted_at is None:
        return rules.PENDING
    if delegation.starts_at > now:
        return rules.NOT_STARTED
    return rules.ACTIVE


def ended_at(delegation: Delegation) -> datetime | None:
    """When it stopped, whoever stopped it; the end date if it simply ran out (or None while live)."""
    for moment in (
        delegation.revoked_at,
        delegation.suspended_at,
        delegation.stepped_back_at,
        delegation.declined_at,
    ):
        if moment is not None:
            return moment
    return None


def grantee_label(
    delegation: Delegation, users: dict[int, User], organisations: dict[int, Organisation]
) -> str:
    """ "Sunny Supporter (Demo Victim Support)" for a worker, the organisation's name for an organisation."""
    if delegation.grantee_user_id is not None:
        user = users.get(delegation.grantee_user_id)
        if user is None:
            return "A support worker"
        return f"{user.display_name} ({user.organisation.name})" if user.organisation else user.display_name
    organisation = organisations.get(delegation.grantee_organisation_id or 0)
    return organisation.name if organisation else "A support organisation"


def labels_for(session: Session, delegations: Iterable[Delegation]) -> dict[int, str]:
    """delegation id -> who it is for, in two queries."""
    rows = list(delegations)
    users = users_data.users_by_id(session, [d.grantee_user_id for d in rows])
    organisations = users_data.organisations_by_id(session, [d.grantee_organisation_id for d in rows])
    return {d.id: grantee_label(d, users, organisations) for d in rows}


def worker_label(session: Session, actor: Actor) -> str:
    """The worker's name with their organisation, as it appears in the victim's history."""
    organisation = (
        users_data.get_organisation(session, actor.organisation_id) if actor.organisation_id else None
    )
    return f"{actor.label} ({organisation.name})" if organisation else actor.label


# --- Choosing who ---------------------------------------------------------------------------------

NO_SUCH_WORKER = _l(
    "There is no support worker with this email address in this service. Check it, or choose their "
    "organisation instead"
)
EMAIL_MISSING = _l("Enter their work email address")
ORGANISATION_MISSING = _l("Select their organisation")


@dataclass(frozen=True)
class WorkerChoice:
    """The support worker a victim named: their account id and how they are shown to the victim."""

    id: int
    label: str


def find_worker(session: Session, email: str) -> WorkerChoice:
    """An active support worker's account by work email; InvalidDelegation if there is none."""
    if not (email or "").strip():
        raise InvalidDelegation({"email": str(EMAIL_MISSING)})
    user = users_data.get_user_by_email(session, email)
    if user is None or not access.can_hold_delegation(user):
        raise InvalidDelegation({"email": str(NO_SUCH_WORKER)})
    label = f"{user.display_name} ({user.organisation.name})" if user.organisation else user.display_name
    return WorkerChoice(user.id, label)


def support_organisations(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every support organisation a victim can choose."""
    return [
        (org.id, org.name) for org in users_data.list_organisations(session, OrganisationKind.SUPPORT_SERVICE)
    ]


def _check_organisation(session: Session, organisation_id: int | None) -> Organisation:
    organisation = users_data.get_organisation(session, organisation_id) if organisation_id else None
    if organisation is None or organisation.kind != OrganisationKind.SUPPORT_SERVICE:
        raise InvalidDelegation({"organisation": str(ORGANISATION_MISSING)})
    return organisation


def _check_worker(session: Session, user_id: int) -> User:
    user = users_data.get_user(session, user_id)
    if user is None or not access.can_hold_delegation(user):
        raise InvalidDelegation({"email": str(NO_SUCH_WORKER)})
    return user


# --- Granting -------------------------------------------------------------------------------------


def _grant(
    session: Session,
    *,
    victim_id: str,
    actor: Actor,
    worker_user_id: int | None,
    organisation_id: int | None,
    scopes: Iterable[str],
    last_day: date | None,
    source: str,
    consent_note: str | None,
    now: datetime,
) -> Delegation:
    if (worker_user_id is None) == (organisation_id is None):
        raise InvalidDelegation({"email": str(NO_SUCH_WORKER)})
    if worker_user_id is not None:
        _check_worker(session, worker_user_id)
    else:
        _check_organisation(session, organisation_id)
    chosen = rules.check_scopes(scopes)
    last = rules.check_end_date(last_day, now)
    if source not in rules.SOURCES:
        raise ValueError(f"source must be one of {rules.SOURCES}")
    delegation = delegations_data.add_delegation(
        session,
        Delegation(
            victim_id=victim_id,
            grantee_user_id=worker_user_id,
            grantee_organisation_id=organisation_id,
            scopes=chosen,
            starts_at=now,
            ends_at=rules.ends_at_for(last),
            granted_by_user_id=actor.user_id,
            granted_by_label=actor.label[:200],
            source=source,
            consent_note=(consent_note or "").strip() or None,
            # The victim knows about what they did themselves; an officer's record is shown to them.
            victim_seen_status=rules.PENDING if source == rules.SOURCE_VICTIM_ONLINE else None,
            created_at=now,
        ),
    )
    audit.record_for_actor(
        session,
        actor,
        audit.DELEGATION_GRANTED,
        subject_victim_id=victim_id,
        detail={
            "delegation_id": delegation.id,
            "scopes": chosen,
            "ends_on": last.isoformat(),
            "source": source,
            "to": "organisation" if organisation_id else "support worker",
        },
    )
    tell_victim(session, victim_id, now=now)
    return delegation


def grant_by_victim(
    session: Session,
    actor: Actor,
    *,
    worker_user_id: int | None = None,
    organisation_id: int | None = None,
    scopes: Iterable[str],
    last_day: date | None,
    now: datetime | None = None,
) -> Delegation:
    """The victim asks a worker (or an organisation) to help them, online."""
    return _grant(
        session,
        victim_id=access.own_victim_id(actor),
        actor=actor,
        worker_user_id=worker_user_id,
        organisation_id=organisation_id,
        scopes=scopes,
        last_day=last_day,
        source=rules.SOURCE_VICTIM_ONLINE,
        consent_note=None,
        now=now or datetime.now(UTC),
    )


CONSENT_NOTE_MISSING = _l("Enter what the victim said when they gave their permission")
SOURCE_MISSING = _l("Select how the victim told you")


def record_by_officer(
    session: Session,
    actor: Actor,
    victim_id: str,
    *,
    worker_user_id: int | None = None,
    organisation_id: int | None = None,
    scopes: Iterable[str],
    last_day: date | None,
    source: str,
    consent_note: str,
    now: datetime | None = None,
) -> Delegation:
    """An officer records the permission a victim gave by phone or in person (victim on the unit's cases)."""
    access.victim_for_officer(session, actor, victim_id)
    if source not in (rules.SOURCE_OFFICER_BY_PHONE, rules.SOURCE_OFFICER_IN_PERSON):
        raise InvalidDelegation({"source": str(SOURCE_MISSING)})
    if not (consent_note or "").strip():
        raise InvalidDelegation({"consent_note": str(CONSENT_NOTE_MISSING)})
    return _grant(
        session,
        victim_id=victim_id,
        actor=actor,
        worker_user_id=worker_user_id,
        organisation_id=organisation_id,
        scopes=scopes,
        last_day=last_day,
        source=source,
        consent_note=consent_note,
        now=now or datetime.now(UTC),
    )


# --- Changes --------------------------------------------------------------------------------------


def _changed(session: Session, actor: Actor | None, delegation: Delegation, change: str, action: str) -> None:
    detail = {"delegation_id": delegation.id, "change": change}
    if actor is None:
        audit.record(session, SYSTEM_LABEL, action, subject_victim_id=delegation.victim_id, detail=detail)
    else:
        audit.record_for_actor(session, actor, action, subject_victim_id=delegation.victim_id, detail=detail)
    session.flush()
    tell_victim(session, delegation.victim_id)


def accept(session: Session, actor: Actor, delegation_id: int, *, now: datetime | None = None) -> Delegation:
    delegation = access.pending_delegation_for_worker(session, actor, delegation_id)
    delegation.accepted_at = now or datetime.now(UTC)
    delegation.accepted_by_user_id = actor.user_id
    _changed(session, actor, delegation, "accepted", audit.DELEGATION_CHANGED)
    return delegation


def decline(session: Session, actor: Actor, delegation_id: int, *, now: datetime | None = None) -> Delegation:
    delegation = access.pending_delegation_for_worker(session, actor, delegation_id)
    delegation.declined_at = now or datetime.now(UTC)
    delegation.declined_by_user_id = actor.user_id
    _changed(session, actor, delegation, "declined", audit.DELEGATION_CHANGED)
    return delegation


def step_back(session: Session, actor: Actor, victim_id: str, *, now: datetime | None = None) -> int:
    """The worker stops helping this victim: every delegation through which they reach the victim ends
    (for an organisation's, it ends for the whole organisation). Returns how many ended."""
    access.delegation_for_worker(session, actor, victim_id, None)  # NotFound outside an active grant
    now = now or datetime.now(UTC)
    ended = 0
    for delegation in delegations_data.active_delegations_for_worker(
        session, actor.user_id, actor.organisation_id, now, victim_id
    ):
        delegation.stepped_back_at = now
        delegation.stepped_back_by_user_id = actor.user_id
        _changed(session, actor, delegation, "stepped-back", audit.DELEGATION_CHANGED)
        ended += 1
    return ended


def revoke(session: Session, actor: Actor, delegation_id: int, *, now: datetime | None = None) -> Delegation:
    """The victim stops it (pending or in force). Effective on the worker's very next request."""
    delegation = access.delegation_for_victim(session, actor, delegation_id)
    now = now or datetime.now(UTC)
    if status_of(delegation, now) not in rules.LIVE_STATUSES:
        raise NotFound
    delegation.revoked_at = now
    delegation.revoked_by_user_id = actor.user_id
    delegation.revoked_by_label = actor.label[:200]
    delegation.victim_seen_status = rules.REVOKED
    _changed(session, actor, delegation, "revoked", audit.DELEGATION_REVOKED)
    return delegation


REASON_MISSING = _l("Enter why you are stopping their access")


def suspend(
    session: Session,
    actor: Actor,
    victim_id: str,
    delegation_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> Delegation:
    """A witness care officer stops a delegation for safeguarding, with a reason (kept for officers)."""
    delegation = access.delegation_for_officer(session, actor, victim_id, delegation_id)
    now = now or datetime.now(UTC)
    if status_of(delegation, now) not in rules.LIVE_STATUSES:
        raise NotFound
    if not (reason or "").strip():
        raise InvalidDelegation({"reason": str(REASON_MISSING)})
    delegation.suspended_at = now
    delegation.suspended_reason = reason.strip()
    delegation.suspended_by_user_id = actor.user_id
    delegation.suspended_by_label = actor.label[:200]
    _changed(session, actor, delegation, "suspended", audit.DELEGATION_CHANGED)
    return delegation


def announce_expired(session: Session, *, now: datetime | None = None) -> int:
    """Tell each victim whose delegation reached its end date (once each). Access already ended at
    `ends_at` without this: it only sends the message. Run by `flask support expire-delegations`."""
    now = now or datetime.now(UTC)
    told = 0
    for delegation in delegations_data.expired_delegations_not_notified(session, now):
        delegation.expiry_notified_at = now
        _changed(session, None, delegation, "expired", audit.DELEGATION_CHANGED)
        told += 1
    return told
