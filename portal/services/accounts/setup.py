"""Using an invitation: create a password, choose and confirm a second factor, or add the new case to the
account of a victim who already has one (issue 14, finding 11).

The link alone proves nothing about who opened it. A case joins an existing account only after a code
sent to where the invitation went (the email address or mobile number it records, `sent_to`), so whoever
is signed in must also hold that phone or inbox; the account's other channels (its sign-in email, and
its text-message second factor) are then told, in words that give nothing away. An invitation that went
by letter cannot be confirmed that way: the case is not added online.

Wrong codes, setting up a second factor or adding a case, are counted on the server: on the invitation
(it stops working after invitations.MAX_WRONG_CODES) and on the account, towards the same lockout as
wrong passwords. Never in the browser's session, so a replayed cookie gives no new tries.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import cases as cases_data
from portal.data import invitations as invitations_data
from portal.data import sign_in_codes as sign_in_codes_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import Invitation, InvitationKind, User
from portal.services.accounts import mfa
from portal.services.accounts import users as accounts
from portal.services.accounts.invitations import MAX_WRONG_CODES, InvitationError, hash_token, is_open
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.common.roles import VICTIM
from portal.services.preferences.rules import normalise_phone

# The purpose of a code sent to where an invitation went, before its case joins an existing account. The
# code's HMAC also covers the invitation's id, so it adds only that invitation's case.
ADD_CASE = "add-case"


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
    # A recovery link for an account whose password the person still knows: they enter it (the link alone
    # does not let anyone set up a second factor on someone else's account).
    asks_current_password: bool = False
    # A recovery where the password was forgotten too: a victim confirms the new second factor with a
    # code to a phone number or email address on record; an authenticator app is not offered.
    code_to_channel_on_record: bool = False


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
        asks_current_password=_asks_current_password(invitation, user),
        code_to_channel_on_record=invitation.kind == InvitationKind.RECOVERY
        and bool(invitation.password_forgotten),
    )


def _asks_current_password(invitation: Invitation, user: User | None) -> bool:
    return (
        invitation.kind == InvitationKind.RECOVERY
        and not invitation.password_forgotten
        and user is not None
        and user.password_hash is not None
    )


def confirm_current_password(session: Session, invitation: Invitation, password: str) -> User | None:
    """A recovery link's holder proves they know the account's password. A wrong one counts towards the
    account's lockout, as at sign-in, and is audited; the account is returned only when it was right."""
    user = users_data.get_user(session, invitation.user_id) if invitation.user_id else None
    if user is None or not _asks_current_password(invitation, user):
        return None
    if accounts.check_password(session, user.id, password):
        return user
    audit.record(
        session,
        user.display_name,
        audit.PASSWORD_CONFIRMED_FAILED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"invitation_id": invitation.id},
    )
    if accounts.is_locked(user):
        invitation.cancelled_at = invitation.cancelled_at or datetime.now(UTC)
        audit.record(
            session,
            user.display_name,
            audit.ACCOUNT_LOCKED,
            actor_user_id=user.id,
            subject_victim_id=user.victim_id,
        )
    return None


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
        if _asks_current_password(invitation, user):  # the link alone cannot replace a known password
            raise InvitationError("current-password")
        accounts.set_password(user, password)
        mfa.reset_second_factor(user)
    return user


def user_for(session: Session, invitation: Invitation) -> User | None:
    """The account being set up, unless it is locked (too many wrong passwords or codes)."""
    user = users_data.get_user(session, invitation.user_id) if invitation.user_id else None
    return None if user is None or accounts.is_locked(user) else user


@dataclass(frozen=True)
class WrongCode:
    """What a wrong code did: `invitation_ended` (its 5th), `account_locked` (the account's 10th)."""

    invitation_ended: bool
    account_locked: bool


def record_wrong_code(
    session: Session, invitation: Invitation, user: User, *, purpose: str, during: str
) -> WrongCode:
    """Count a wrong code (for `purpose`: mfa.SET_UP or ADD_CASE) on the invitation and on the account,
    on the server, and audit it. At 5 the invitation stops working (cancelled, the codes for `purpose`
    used up); the account locks as for wrong passwords, and then every session of it ends."""
    count = invitations_data.add_failed_code(session, invitation)
    locked = accounts.count_wrong_code(session, user, during, invitation_id=invitation.id)
    ended = count >= MAX_WRONG_CODES
    if ended:
        now = datetime.now(UTC)
        invitation.cancelled_at = invitation.cancelled_at or now
        sign_in_codes_data.use_all_sign_in_codes(session, user.id, purpose, now)
        audit.record(
            session,
            user.display_name,
            audit.INVITATION_CANCELLED,
            actor_user_id=user.id,
            subject_victim_id=invitation.victim_id,
            detail={"invitation_id": invitation.id, "reason": "too many wrong security codes"},
        )
    return WrongCode(invitation_ended=ended, account_locked=locked)


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


# --- A victim who already has an account adds the invited case -------------------------------------


@dataclass(frozen=True)
class InvitedDestination:
    """Where the invitation went, as the page may show it: the channel ("sms" or "email") and the last 3
    digits of the number or the email address with most letters hidden."""

    channel: str
    masked: str


def invited_destination(invitation: Invitation) -> InvitedDestination | None:
    """Where a code to add the invited case goes: where the invitation went. None for a letter (no code
    can go by post): such a case is not added online."""
    if invitation.channel not in (mfa.SMS, mfa.EMAIL) or not invitation.sent_to:
        return None
    return InvitedDestination(invitation.channel, mfa.mask(invitation.channel, invitation.sent_to))


def _add_case_state(session: Session, actor: Actor, invitation_id: int) -> tuple[Invitation, User, str]:
    """The open victim invitation, the signed-in victim's account and their own record's id. NotFound
    for anyone but a victim, and for an invitation that is not open or is not a victim's."""
    victim_id = access.own_victim_id(actor)
    invitation = get_open(session, invitation_id)
    user = users_data.get_user(session, actor.user_id)
    if (
        invitation is None
        or invitation.kind != InvitationKind.VICTIM
        or not invitation.victim_id
        or user is None
        or user.victim_id != victim_id
    ):
        raise NotFound
    return invitation, user, victim_id


def _case_code_hash(user: User, invitation: Invitation, code: str) -> str:
    return mfa.hash_code(
        user.id, f"{ADD_CASE}:{invitation.id}", code, channel=invitation.channel, sent_to=invitation.sent_to
    )


def send_case_code(session: Session, actor: Actor, invitation_id: int) -> None:
    """Send a code to where the invitation went (at most 5 live, as for every code). NotFound when the
    invitation went by letter."""
    invitation, user, _victim_id = _add_case_state(session, actor, invitation_id)
    if invited_destination(invitation) is None:
        raise NotFound
    mfa.issue_code_to(
        session, user, ADD_CASE, invitation.channel, invitation.sent_to, bound_to=str(invitation.id)
    )


def _check_case_code(session: Session, user: User, invitation: Invitation, code: str) -> bool:
    """True once for a right, live code sent for this invitation to where it went."""
    code = mfa.normalise_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    now = datetime.now(UTC)
    expected = _case_code_hash(user, invitation, code)
    matched = False
    for row in sign_in_codes_data.live_sign_in_codes_for_user(session, user.id, ADD_CASE, now):
        matched = (
            row.channel == invitation.channel and hmac.compare_digest(row.code_hash, expected)
        ) or matched
    if matched:
        sign_in_codes_data.use_all_sign_in_codes(session, user.id, ADD_CASE, now)
    return matched


@dataclass(frozen=True)
class AddCase:
    """The outcome of a code given to add a case: `added`, or why not: a wrong code, which may have ended
    the invitation or locked the account."""

    added: bool
    invitation_ended: bool = False
    account_locked: bool = False


def accept_case(session: Session, actor: Actor, invitation_id: int, code: str = "") -> AddCase:
    """A signed-in victim gives the code sent to where the invitation went: the invited record's cases
    move onto their account, the link is used up and the account's other channels are told. A wrong
    code counts on the invitation and the account (record_wrong_code). NotFound for anyone but a victim,
    and for an invitation that is not open, not a victim's, or went by letter."""
    invitation, user, victim_id = _add_case_state(session, actor, invitation_id)
    if invited_destination(invitation) is None:
        raise NotFound
    if not _check_case_code(session, user, invitation, code):
        wrong = record_wrong_code(
            session, invitation, user, purpose=ADD_CASE, during="adding a case to an account"
        )
        return AddCase(
            added=False, invitation_ended=wrong.invitation_ended, account_locked=wrong.account_locked
        )
    added = 0
    invited_victim_id = invitation.victim_id
    if invited_victim_id is not None and invited_victim_id != victim_id:
        added = cases_data.move_victim_cases(session, invited_victim_id, victim_id)
    invitation.used_at = datetime.now(UTC)
    invitation.user_id = actor.user_id
    audit.record_for_actor(
        session,
        actor,
        audit.CASE_ADDED_TO_ACCOUNT,
        subject_victim_id=victim_id,
        detail={"invitation_id": invitation.id, "cases_added": added, "confirmed_by": invitation.channel},
    )
    _tell_other_channels(session, user, invitation)
    return AddCase(added=True)


def _same_destination(channel: str, one: str, other: str) -> bool:
    if channel == mfa.SMS:
        try:
            return normalise_phone(one) == normalise_phone(other)
        except ValueError:
            return re.sub(r"\D", "", one) == re.sub(r"\D", "", other)
    return one.strip().casefold() == other.strip().casefold()


def _tell_other_channels(session: Session, user: User, invitation: Invitation) -> None:
    """Tell the account's sign-in email, and its text-message second factor, that a case was added,
    unless that is where the code just went. Discreet: no offence, reference, agency or name."""
    channels: list[tuple[str, str]] = []
    if user.email:
        channels.append((mfa.EMAIL, user.email))
    phone = mfa.destination(user, mfa.SMS) if user.mfa_method == mfa.SMS else None
    if phone:
        channels.append((mfa.SMS, phone))
    # Discreet, like every message we send: the words do not say that there is a case.
    body = gettext(
        "Something was added to your GOV.UK account. If this was not you, contact the people who invited "
        "you to use your GOV.UK account straight away."
    )
    for channel, recipient in channels:
        if channel == invitation.channel and _same_destination(channel, recipient, invitation.sent_to):
            continue
        outbox.enqueue(
            session,
            channel=channel,
            recipient=recipient,
            subject=gettext("A change to your GOV.UK account") if channel == mfa.EMAIL else None,
            body=body,
            correlation=f"case-added:{invitation.id}",
        )
