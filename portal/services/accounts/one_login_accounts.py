"""Victims' accounts and GOV.UK One Login: who a One Login signs in as, linking one to the account an
invitation creates (or, through an officer's recovery link, to the victim's existing account). Ending
sessions when One Login says its session ended, and an officer removing a link: one_login_sessions.

A One Login is linked only through a victim's open invitation, by the person holding it, after they have
signed in to One Login and confirmed the link; never by matching an email address. The account it makes
has no password and no portal second factor: One Login checks both (the portal asks for "Cl.Cm").

After an officer removes a victim's One Login the account has no way in but the officer's recovery link
(invitations.recover_second_factor, sent after checking who the person is). A victim's recovery link may
link a One Login to the same account, but only when it does not ask for the account's current password
(the account has none, or the officer recorded that it was forgotten): otherwise whoever holds the link
could skip a password the victim knows. Nor is the link alone enough: as on its password route, a
security code goes to a phone number or email address on record for the account (never to anything One
Login gave), and the One Login is linked only after the right code; wrong codes count on the invitation
and the account (setup.record_wrong_code). An account with no such channel is offered no One Login
through the link. Staff accounts are never linked (a staff invitation or a staff recovery link cannot be
used), and only a victim's account signs in with a One Login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import audit as audit_data
from portal.data import invitations as invitations_data
from portal.data import one_login as one_login_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import Invitation, InvitationKind, OneLoginIdentity, User
from portal.services.accounts import mfa
from portal.services.accounts import setup as account_setup
from portal.services.accounts import users as accounts
from portal.services.accounts.invitations import is_open
from portal.services.common import access, audit
from portal.services.common.errors import NotFound
from portal.services.common.roles import VICTIM

METHOD = "one_login"
VIA_INVITATION = "invitation"
VIA_RECOVERY = "recovery"
#: How the audit trail names One Login when it, not a person, ends a victim's sessions.
ONE_LOGIN_LABEL = "GOV.UK One Login"


class LinkError(ValueError):
    """`code`: "invitation" (not open, or not a victim's), "linked" (this One Login or the account is
    linked already), "email-taken" (another account signs in with the email), "no-email", "code" (a
    recovery link links only with a security code: link_recovery), "channel" (no code can go there)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Found:
    """Who a One Login signs in as: `user_id` when it may sign in; else `refused` ("locked", "inactive",
    "not-victim") for an account that may not, or neither when no account is linked to it."""

    user_id: int | None = None
    refused: str | None = None
    account_label: str | None = None


def _is_victim_account(user: User) -> bool:
    return user.victim_id is not None and access.is_victim(accounts.signed_in_user(user).actor)


def find_user(session: Session, subject: str) -> Found:
    """The account linked to this One Login `subject`, and whether it may sign in now: a locked or
    closed account is refused as at a password sign-in, and so is any account but a victim's."""
    identity = one_login_data.identity_for_subject(session, subject)
    if identity is None:
        return Found()
    user = users_data.get_user(session, identity.user_id)
    if user is None:
        return Found()
    label = user.display_name
    if not _is_victim_account(user):
        return Found(refused="not-victim", account_label=label)
    if not user.is_active:
        return Found(refused="inactive", account_label=label)
    if accounts.is_locked(user):
        return Found(refused="locked", account_label=label)
    return Found(user_id=user.id, account_label=label)


def record_refusal(session: Session, found: Found, subject: str) -> None:
    """Audit a One Login sign-in refused for the account it is linked to (see `find_user`)."""
    identity = one_login_data.identity_for_subject(session, subject)
    user = users_data.get_user(session, identity.user_id) if identity is not None else None
    audit.record(
        session,
        found.account_label or "unknown account",
        audit.SIGN_IN_FAILED,
        actor_user_id=user.id if user else None,
        subject_victim_id=user.victim_id if user else None,
        detail={"reason": found.refused or "unknown", "method": METHOD},
    )


def record_failed_callback(session: Session, reason: str) -> None:
    """Audit a One Login sign-in refused before anyone is known (a wrong state or nonce, a token that fails
    its checks): the reason only, never the token or code."""
    audit.record(
        session, "unknown account", audit.SIGN_IN_FAILED, detail={"reason": reason, "method": METHOD}
    )


def signed_in_there_before_exit(session: Session, user_id: int, auth_time: datetime | None) -> bool:
    """Whether the person's One Login session began before they last used "Exit this page" here: then it
    may be someone else holding their phone, whom One Login would let straight back in (its session lasts
    an hour, and ours ended as they left), and they must sign in to One Login again. A One Login that
    says nothing of when the person signed in there (no `auth_time`, which One Login always sends) is
    taken at its word. `auth_time` is in whole seconds: compared with the second they left in."""
    if auth_time is None:
        return False
    left = audit_data.latest_by_actor(session, user_id, audit.QUICK_EXIT)
    return left is not None and auth_time < left.replace(microsecond=0)


def record_stale_session(session: Session, user_id: int) -> None:
    """Audit a One Login sign-in turned back because One Login's session began before "Exit this page"."""
    user = users_data.get_user(session, user_id)
    if user is None:
        raise NotFound
    audit.record(
        session,
        user.display_name,
        audit.SIGN_IN_FAILED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"reason": "one-login-session-before-exit", "method": METHOD},
    )


def record_sign_in(session: Session, user_id: int, subject: str) -> None:
    """A linked victim signed in with One Login (before the blueprint starts their new session)."""
    user = users_data.get_user(session, user_id)
    identity = one_login_data.identity_for_subject(session, subject)
    if user is None or identity is None or identity.user_id != user.id:
        raise NotFound
    identity.last_sign_in_at = datetime.now(UTC)
    audit.record(
        session,
        user.display_name,
        audit.SIGN_IN,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"method": METHOD},
    )


# --- Linking through an invitation -------------------------------------------------------------------


def linkable_invitation(session: Session, invitation_id: int | None) -> Invitation | None:
    """The open invitation a One Login may be linked through: a victim's invitation (a victim without an
    account), or a victim's recovery link that may link one to their account (`_recovering_user`)."""
    if not invitation_id:
        return None
    invitation = invitations_data.get_invitation(session, int(invitation_id))
    if invitation is None or not is_open(invitation) or not invitation.victim_id:
        return None
    if invitation.kind == InvitationKind.VICTIM:
        return invitation
    if invitation.kind == InvitationKind.RECOVERY and _recovering_user(session, invitation) is not None:
        return invitation
    return None


def _recovering_user(session: Session, invitation: Invitation) -> User | None:
    """The victim's account a recovery link may link a One Login to: the link is a victim's, it does not
    ask for the account's current password (there is none, or the officer recorded it as forgotten), the
    account is not locked, and a security code can go to a channel on record for it (`code_channels`).
    None otherwise (a staff account never)."""
    if invitation.kind != InvitationKind.RECOVERY or invitation.role != VICTIM or not invitation.user_id:
        return None
    user = users_data.get_user(session, invitation.user_id)
    if (
        user is None
        or user.victim_id is None
        or user.victim_id != invitation.victim_id
        or not _is_victim_account(user)
        or accounts.is_locked(user)
        or not (invitation.password_forgotten or user.password_hash is None)
        or not code_channels(user)
    ):
        return None
    return user


def recovering_user(session: Session, invitation_id: int | None) -> User | None:
    """The account a One Login would be linked to through this open recovery link, if it may be."""
    invitation = linkable_invitation(session, invitation_id)
    return _recovering_user(session, invitation) if invitation is not None else None


def code_channels(user: User) -> tuple[str, ...]:
    """Where a recovery link's security code may go: the channels on record its password route offers
    after a forgotten password (a text to the victim's phone number, an email to the account's address),
    never an authenticator app and never anything One Login gave."""
    return tuple(method for method in mfa.allowed_methods(user) if method in (mfa.SMS, mfa.EMAIL))


def send_recovery_code(session: Session, invitation_id: int | None, channel: str) -> None:
    """Send a security code (the password route's own: mfa.SET_UP) to the account's `channel` on record,
    before a One Login is linked through a recovery link. Raises LinkError."""
    user = recovering_user(session, invitation_id)
    if user is None:
        raise LinkError("invitation")
    if channel not in code_channels(user):
        raise LinkError("channel")
    mfa.issue_code(session, user, mfa.SET_UP, channel)


@dataclass(frozen=True)
class LinkPlan:
    """What linking would do: the email the new account signs in with, or the problem that stops it
    ("email-taken", "no-email", "linked")."""

    email: str | None
    problem: str | None = None


def _invited_user(session: Session, invitation: Invitation) -> User | None:
    """The account this invitation already started (a password chosen, no second factor yet), if any."""
    if not invitation.user_id:
        return None
    user = users_data.get_user(session, invitation.user_id)
    if user is None or user.victim_id != invitation.victim_id or not _is_victim_account(user):
        raise LinkError("invitation")
    return user


def plan_link(
    session: Session, invitation: Invitation, *, subject: str, email: str | None, email_verified: bool
) -> LinkPlan:
    """The email the account will sign in with: the victim's own email on record if they have one, else
    the one One Login gave if One Login verified it. Never used to find an account to link to."""
    if one_login_data.identity_for_subject(session, subject) is not None:
        return LinkPlan(None, "linked")
    if invitation.kind == InvitationKind.RECOVERY:
        recovering = _recovering_user(session, invitation)
        if recovering is None:
            raise LinkError("invitation")
        if one_login_data.identity_for_user(session, recovering.id) is not None:
            return LinkPlan(None, "linked")
        return LinkPlan(recovering.email)
    started = _invited_user(session, invitation)
    if started is not None:
        if one_login_data.identity_for_user(session, started.id) is not None:
            return LinkPlan(None, "linked")
        return LinkPlan(started.email)
    victim = victims_data.get_victim(session, invitation.victim_id) if invitation.victim_id else None
    if victim is None:
        raise LinkError("invitation")
    chosen = (victim.email or "").strip() or ((email or "").strip() if email_verified else "")
    if not chosen:
        return LinkPlan(None, "no-email")
    if users_data.get_user_by_email(session, chosen) is not None:
        return LinkPlan(chosen, "email-taken")
    return LinkPlan(chosen)


def _planned(
    session: Session, invitation_id: int | None, *, subject: str, email: str | None, email_verified: bool
) -> tuple[Invitation, LinkPlan]:
    invitation = linkable_invitation(session, invitation_id)
    if invitation is None:
        raise LinkError("invitation")
    plan = plan_link(session, invitation, subject=subject, email=email, email_verified=email_verified)
    if plan.problem is not None or plan.email is None:
        raise LinkError(plan.problem or "no-email")
    return invitation, plan


def link_invitation(
    session: Session, invitation_id: int | None, *, subject: str, email: str | None, email_verified: bool
) -> int:
    """Create the invited victim's account (no password, no portal second factor), link the One Login
    `subject` to it, use up the invitation and audit both. Returns the account's id. Raises LinkError;
    LinkError("code") for a recovery link, which links only with a security code (link_recovery)."""
    invitation, plan = _planned(
        session, invitation_id, subject=subject, email=email, email_verified=email_verified
    )
    if invitation.kind == InvitationKind.RECOVERY:
        raise LinkError("code")
    user = _invited_user(session, invitation)
    if user is None:
        victim = victims_data.get_victim(session, invitation.victim_id) if invitation.victim_id else None
        if victim is None:
            raise LinkError("invitation")
        user = users_data.add_user(
            session,
            User(
                email=plan.email,
                display_name=victim.full_name,
                password_hash=None,
                role=VICTIM,
                victim_id=victim.id,
                mfa_method=None,
            ),
        )
    return _link(session, invitation, user, subject)


@dataclass(frozen=True)
class RecoveryLink:
    """What a security code given to link a One Login through a recovery link did: `user_id` once linked;
    else the code was wrong, and it may have ended the invitation or locked the account."""

    user_id: int | None
    invitation_ended: bool = False
    account_locked: bool = False


def link_recovery(
    session: Session,
    invitation_id: int | None,
    *,
    subject: str,
    email: str | None,
    email_verified: bool,
    channel: str,
    code: str,
) -> RecoveryLink:
    """Through a victim's recovery link, link the One Login `subject` to their existing account (no new
    account) once `code` is a right, live code sent to `channel` on record (send_recovery_code); use up
    the link and audit it. A wrong code counts on the invitation and the account as on the link's password
    route (setup.record_wrong_code: the link ends at its 5th). Raises LinkError."""
    invitation, _plan = _planned(
        session, invitation_id, subject=subject, email=email, email_verified=email_verified
    )
    user = _recovering_user(session, invitation)
    if user is None:
        raise LinkError("invitation")
    if channel not in code_channels(user) or not mfa.check_code(session, user, mfa.SET_UP, code, channel):
        wrong = account_setup.record_wrong_code(
            session, invitation, user, purpose=mfa.SET_UP, during="linking a GOV.UK One Login"
        )
        return RecoveryLink(None, wrong.invitation_ended, wrong.account_locked)
    return RecoveryLink(_link(session, invitation, user, subject))


def _link(session: Session, invitation: Invitation, user: User, subject: str) -> int:
    recovery = invitation.kind == InvitationKind.RECOVERY
    # A password chosen through this link before the person chose One Login instead, or one forgotten (a
    # recovery): it goes, so the account has one way in.
    user.password_hash = None
    user.totp_pending_secret = None
    user.mfa_method = None
    user.is_active = True
    now = datetime.now(UTC)
    one_login_data.add_identity(
        session,
        OneLoginIdentity(
            user_id=user.id,
            subject=subject,
            linked_at=now,
            linked_by_label=user.display_name[:200],
            linked_via=VIA_RECOVERY if recovery else VIA_INVITATION,
        ),
    )
    invitation.user_id = user.id
    invitation.used_at = now
    if not recovery:
        audit.record(
            session,
            user.display_name,
            audit.ACCOUNT_CREATED,
            actor_user_id=user.id,
            subject_victim_id=user.victim_id,
            detail={"invitation_id": invitation.id, "method": METHOD},
        )
    audit.record(
        session,
        user.display_name,
        audit.ONE_LOGIN_LINKED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"invitation_id": invitation.id, "via": VIA_RECOVERY if recovery else VIA_INVITATION},
    )
    return user.id
