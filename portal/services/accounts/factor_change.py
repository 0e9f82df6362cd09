"""Changing the second factor while signed in (SECURITY.md item 5; issue 14, finding 5).

The password alone is not enough. The person confirms their password (in the last 10 minutes), then
their current second factor: a code sent to the current phone or email address (purpose "check") or one
from the current authenticator app. The new factor is confirmed with a code sent to it (a code confirms
only the phone number or email address it was sent to) or from the new app. Every wrong code counts
towards the account's lockout, the same counter as wrong passwords; when the account locks, every session
ends. Once the factor has changed: the old channel is told, every code sent before stops working and
every session of the account ends (the blueprint carries on in the current one).

Someone who no longer has their second factor cannot change it here: an officer (an admin, for staff)
checks who they are and resets it (invitations.recover_second_factor), which sends a link to set one up.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.models import User
from portal.services.accounts import mfa
from portal.services.accounts import users as accounts
from portal.services.common import audit


@dataclass(frozen=True)
class Outcome:
    """`ok` when the code was right; `locked` when a wrong one locked the account (every session ended)."""

    ok: bool
    locked: bool = False


def sends_code(user: User) -> bool:
    """Whether checking this user's current factor needs a code sent (not for an authenticator app)."""
    return user.mfa_method in (mfa.SMS, mfa.EMAIL)


def send_check_code(session: Session, user: User) -> None:
    """A code to the current phone or email address, to check it is them before the change."""
    if user.mfa_method in (mfa.SMS, mfa.EMAIL):
        mfa.issue_code(session, user, mfa.CHECK, user.mfa_method)


def check_current(session: Session, user: User, code: str) -> Outcome:
    if mfa.check_second_factor(session, user, mfa.CHECK, code):
        return Outcome(ok=True)
    return _wrong_code(session, user, "checking the current second factor")


def choose(session: Session, user: User, method: str) -> None:
    """Start setting up `method`: a new app secret to scan, or a code sent to the new channel."""
    if method == mfa.TOTP:
        mfa.begin_totp_set_up(user)
    else:
        mfa.issue_code(session, user, mfa.SET_UP, method)


def confirm(session: Session, user: User, method: str, code: str) -> Outcome:
    """The code from the new factor: if right, it becomes the second factor, the old channel is told, no
    code sent before works and every session ends (bump the session generation)."""
    old_method = user.mfa_method
    old_sent_to = mfa.destination(user, old_method) if old_method else None
    if method == mfa.TOTP:
        ok = mfa.confirm_totp_set_up(user, code)
    else:
        ok = mfa.confirm_code_set_up(session, user, method, code)
    if not ok:
        return _wrong_code(session, user, "confirming a new second factor")
    mfa.expire_all_codes(session, user)
    mfa.tell_old_channel(session, user, old_method, old_sent_to)
    accounts.bump_generation(user)
    audit.record(
        session,
        user.display_name,
        audit.SECOND_FACTOR_CHANGED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"method": method, "previous_method": old_method},
    )
    return Outcome(ok=True)


def _wrong_code(session: Session, user: User, during: str) -> Outcome:
    return Outcome(ok=False, locked=accounts.count_wrong_code(session, user, during))
