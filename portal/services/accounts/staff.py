"""Admins' work on staff accounts and organisations: list, revoke, end sessions, reset a second factor;
witness care units and support organisations. Admins only (anyone else: NotFound)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import invitations as invitations_data
from portal.data import users as users_data
from portal.models import Invitation, Organisation, OrganisationKind, User
from portal.services.accounts import invitations
from portal.services.accounts import users as accounts
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound

WITNESS_CARE_UNIT = OrganisationKind.WITNESS_CARE_UNIT.value
SUPPORT_SERVICE = OrganisationKind.SUPPORT_SERVICE.value
ORGANISATION_KINDS: tuple[str, ...] = (WITNESS_CARE_UNIT, SUPPORT_SERVICE)


class OrganisationError(ValueError):
    """`code`: "force-code" (a unit needs a 2-digit force code) or "kind"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StaffRow:
    user: User
    status: str  # "active", "invited", "locked" or "revoked"
    open_invitation: Invitation | None


def _status(user: User, open_invitation: Invitation | None) -> str:
    if not user.is_active:
        return "revoked"
    if not user.mfa_method:
        return "invited"
    if accounts.is_locked(user):
        return "locked"
    return "active"


def _row(session: Session, user: User) -> StaffRow:
    open_ones = [
        i for i in invitations_data.open_invitations_for_user(session, user.id) if invitations.is_open(i)
    ]
    open_invitation = open_ones[0] if open_ones else None
    return StaffRow(user=user, status=_status(user, open_invitation), open_invitation=open_invitation)


def list_staff(session: Session, actor: Actor) -> list[StaffRow]:
    access.require_admin(actor)
    return [_row(session, user) for user in users_data.list_staff_users(session)]


def get_staff(session: Session, actor: Actor, user_id: int) -> StaffRow:
    return _row(session, access.staff_user_for_admin(session, actor, user_id))


def revoke(session: Session, actor: Actor, user_id: int) -> None:
    """Close the account: it cannot sign in, and every session ends now."""
    row = get_staff(session, actor, user_id)
    if row.user.id == actor.user_id:
        raise NotFound  # an admin cannot lock themselves out
    row.user.is_active = False
    accounts.bump_generation(row.user)
    now = datetime.now(UTC)
    for invitation in invitations_data.open_invitations_for_user(session, row.user.id):
        invitation.cancelled_at = now
    audit.record_for_actor(session, actor, audit.ACCOUNT_REVOKED, detail={"user_id": row.user.id})


def sign_out_everywhere(session: Session, actor: Actor, user_id: int) -> None:
    row = get_staff(session, actor, user_id)
    accounts.bump_generation(row.user)
    audit.record_for_actor(session, actor, audit.SIGNED_OUT_EVERYWHERE, detail={"user_id": row.user.id})


def reset_second_factor(
    session: Session, actor: Actor, user_id: int, how_checked: str, *, password_forgotten: bool = False
) -> None:
    row = get_staff(session, actor, user_id)
    if not row.user.is_active:
        raise NotFound
    invitations.recover_second_factor(
        session, actor, row.user, how_checked=how_checked, password_forgotten=password_forgotten
    )


def resend_invitation(session: Session, actor: Actor, user_id: int) -> None:
    row = get_staff(session, actor, user_id)
    pending = list(invitations_data.open_invitations_for_user(session, row.user.id))
    if not pending or not row.user.is_active:
        raise NotFound
    invitations.resend(session, actor, pending[0].id)


# --- Organisations ---


def organisations(session: Session, actor: Actor, kind: str | None = None) -> list[Organisation]:
    access.require_admin(actor)
    return list(users_data.list_organisations(session, kind))


def organisation_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, kind) of every organisation, for choosing a staff member's organisation."""
    return [(o.id, o.name, o.kind) for o in users_data.list_organisations(session)]


def get_organisation(session: Session, actor: Actor, organisation_id: int) -> Organisation:
    access.require_admin(actor)
    organisation = users_data.get_organisation(session, organisation_id)
    if organisation is None:
        raise NotFound
    return organisation


def _check(kind: str, force_code: str | None) -> str | None:
    if kind not in ORGANISATION_KINDS:
        raise OrganisationError("kind")
    if kind == WITNESS_CARE_UNIT:
        code = (force_code or "").strip()
        if not re.fullmatch(r"\d{2}", code):
            raise OrganisationError("force-code")
        return code
    return None


#: A witness care unit's target for answering victims' secure messages, in working days (issue 15).
MESSAGE_REPLY_DAYS_RANGE = (1, 20)


def _reply_days(kind: str, days: int | None) -> int | None:
    """A unit's reply target (None: the default); support organisations answer no messages."""
    if kind != WITNESS_CARE_UNIT or days is None:
        return None
    low, high = MESSAGE_REPLY_DAYS_RANGE
    if not low <= days <= high:
        raise OrganisationError("message-reply-days")
    return days


def create_organisation(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: str,
    force_code: str | None,
    message_reply_days: int | None = None,
) -> Organisation:
    access.require_admin(actor)
    organisation = users_data.add_organisation(
        session,
        Organisation(
            name=name.strip(),
            kind=kind,
            force_code=_check(kind, force_code),
            message_reply_days=_reply_days(kind, message_reply_days),
        ),
    )
    audit.record_for_actor(
        session, actor, audit.ORGANISATION_CREATED, detail={"organisation_id": organisation.id, "kind": kind}
    )
    return organisation


def update_organisation(
    session: Session,
    actor: Actor,
    organisation_id: int,
    *,
    name: str,
    force_code: str | None,
    message_reply_days: int | None = None,
) -> Organisation:
    organisation = get_organisation(session, actor, organisation_id)
    organisation.name = name.strip()
    organisation.force_code = _check(organisation.kind, force_code)
    organisation.message_reply_days = _reply_days(organisation.kind, message_reply_days)
    audit.record_for_actor(
        session, actor, audit.ORGANISATION_CHANGED, detail={"organisation_id": organisation.id}
    )
    return organisation
