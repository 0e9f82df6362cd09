"""Using an invitation: create a password, choose and confirm a second factor, or add the new case to the
account of a victim who already has one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import invitations as invitations_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import Invitation, InvitationKind, User
from portal.services.accounts import mfa
from portal.services.accounts import users as accounts
from portal.services.accounts.invitations import InvitationError, hash_token, is_open
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.common.roles import VICTIM


@dataclass(frozen=True)
class SetUp:
    """What the set-up pages need to know about the invitation being used."""

    invitation_id: int
    kind: str
    role: str
    user_id: int | None
    # The email the account signs in with, when already known (staff, recovery, a victim's email).
    email: str | None
    # A different account already uses the victim's email: they should sign in and add the case.
    has_other_account: bool
    needs_password: bool


def find_by_token(session: Session, token: str) -> Invitation | None:
    invitation = invitations_data.get_invitation_by_token_hash(session, hash_token(token))
    return invitation if invitation is not None and is_open(invitation) else None


def get_open(session: Session, invitation_id: int | None) -> Invitation | None:
    if not invitation_id:
        return None
    invitation = invitations_data.get_invitation(session, int(invitation_id))
    return invitation if invitation is not None and is_open(invitation) else None


def describe(session: Session, invitation: Invitation) -> SetUp:
    user = users_data.get_user(session, invitation.user_id) if invitation.user_id else None
    email = user.email if user else None
    other = False
    if invitation.kind == InvitationKind.VICTIM and user is None and invitation.victim_id:
        victim = victims_data.get_victim(session, invitation.victim_id)
        email = victim.email if victim else None
        if email:
            other = users_data.get_user_by_email(session, email) is not None
    return SetUp(
        invitation_id=invitation.id,
        kind=invitation.kind,
        role=invitation.role,
        user_id=user.id if user else None,
        email=email,
        has_other_account=other,
        needs_password=True,
    )


def set_password(session: Session, invitation: Invitation, password: str, email: str | None = None) -> User:
    """Create (victims) or complete (staff, recovery) the account's password. Raises PasswordProblem or
    InvitationError("email-taken")."""
    user = users_data.get_user(session, invitation.user_id) if invitation.user_id else None
    if user is None:
        if invitation.kind != InvitationKind.VICTIM or not invitation.victim_id:
            raise NotFound
        victim = victims_data.get_victim(session, invitation.victim_id)
        if victim is None:
            raise NotFound
        sign_in_email = (victim.email or email or "").strip()
        if not sign_in_email:
            raise InvitationError("no-contact")
        if users_data.get_user_by_email(session, sign_in_email) is not None:
            raise InvitationError("email-taken")
        user = User(
            email=sign_in_email,
            display_name=victim.full_name,
            password_hash=None,
            role=VICTIM,
            victim_id=victim.id,
            mfa_method=None,
        )
        accounts.set_password(user, password, end_sessions=False)
        users_data.add_user(session, user)
        invitation.user_id = user.id
    else:
        accounts.set_password(user, password)
        mfa.reset_second_factor(user)
    return user


def user_for(session: Session, invitation: Invitation) -> User | None:
    return users_data.get_user(session, invitation.user_id) if invitation.user_id else None


def finish(session: Session, invitation: Invitation, user: User) -> None:
    """The second factor is confirmed: the link is used up and the account is ready."""
    invitation.used_at = datetime.now(UTC)
    user.is_active = True
    accounts.complete_sign_in(user)
    action = (
        audit.SECOND_FACTOR_SET_UP if invitation.kind == InvitationKind.RECOVERY else audit.ACCOUNT_CREATED
    )
    audit.record(
        session,
        user.display_name,
        action,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"invitation_id": invitation.id, "method": user.mfa_method},
    )


def accept_case(session: Session, actor: Actor, invitation_id: int) -> int:
    """A signed-in victim accepts an invitation sent to another record of theirs: the cases move onto
    their account. Returns how many cases were added."""
    invitation = get_open(session, invitation_id)
    victim_id = access.own_victim_id(actor)
    if invitation is None or invitation.kind != InvitationKind.VICTIM or not invitation.victim_id:
        raise NotFound
    added = 0
    if invitation.victim_id != victim_id:
        added = cases_data.move_victim_cases(session, invitation.victim_id, victim_id)
    invitation.used_at = datetime.now(UTC)
    invitation.user_id = actor.user_id
    audit.record_for_actor(
        session,
        actor,
        audit.CASE_ADDED_TO_ACCOUNT,
        subject_victim_id=victim_id,
        detail={"invitation_id": invitation.id, "cases_added": added},
    )
    return added
