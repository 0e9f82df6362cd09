"""Signing in and the signed-in user as the rest of the portal sees it.

Sign-in is two steps: `authenticate` checks the email and password (with the per-account lockout), then
`portal.services.accounts.mfa` checks the second factor. Only then does the blueprint call `login_user`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, object_session

from portal.data import users as users_data
from portal.models import User
from portal.services.accounts.passwords import check_new_password, hash_password, verify_password
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.roles import must_use_totp

MAX_FAILED_SIGN_INS = 10
LOCKOUT = timedelta(hours=1)


class SignedInUser:
    """What Flask-Login holds for the request. The session id carries the session generation, so
    bumping the generation in the database ends every session at once."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.role = user.role
        self.display_name = user.display_name
        self.email = user.email
        self.victim_id = user.victim_id
        self.organisation_id = user.organisation_id
        self.organisation_name = user.organisation.name if user.organisation else None
        self.force_code = user.organisation.force_code if user.organisation else None
        self.session_generation = user.session_generation
        self.mfa_method = user.mfa_method
        self.quick_exit_explained = user.quick_exit_explained_at is not None
        #: Read with the user on each request (`load_signed_in_user`), for a victim's pages: their
        #: preferences document (None: none recorded, or not read) and whether they may have changes
        #: to their delegations to be told of (True when not read).
        self.preferences_document: dict[str, Any] | None = None
        self.may_have_delegation_notices = True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    @property
    def actor(self) -> Actor:
        return Actor(
            user_id=self.id,
            role=self.role,
            victim_id=self.victim_id,
            organisation_id=self.organisation_id,
            force_code=self.force_code,
            label=self.display_name,
        )

    @property
    def is_victim(self) -> bool:
        return access.is_victim(self.actor)


def load_signed_in_user(session: Session, session_user_id: str) -> SignedInUser | None:
    try:
        raw_id, raw_generation = session_user_id.split(":", 1)
        user_id, generation = int(raw_id), int(raw_generation)
    except ValueError:
        return None
    found = users_data.user_for_request(session, user_id)
    if found is None:
        return None
    user, document, delegated = found
    if not user.is_active or user.session_generation != generation:
        return None
    signed_in = SignedInUser(user)
    signed_in.preferences_document = document
    signed_in.may_have_delegation_notices = delegated
    return signed_in


def signed_in_user(user: User) -> SignedInUser:
    return SignedInUser(user)


@dataclass(frozen=True)
class SignInAttempt:
    """The outcome of checking an email and password. `user` is set only when both are right and the
    account may sign in; `outcome` ("ok", "unknown", "wrong-password", "locked", "inactive", "not-set-up")
    is for the audit trail only and must never change what the visitor is shown."""

    user: User | None
    outcome: str
    account: User | None = None
    just_locked: bool = False


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def record_failure(user: User, now: datetime | None = None) -> bool:
    """Count a failed password or code for the account (a wrong password, sign-in code, password reset
    code or code given while changing the second factor: one counter, one lockout). Returns True if this
    failure locked it."""
    now = now or datetime.now(UTC)
    session = object_session(user)
    if session is not None:
        users_data.add_failed_sign_in(session, user)
    else:
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    if user.failed_sign_ins >= MAX_FAILED_SIGN_INS and not _is_locked(user, now):
        user.locked_until = now + LOCKOUT
        return True
    return False


def count_wrong_code(session: Session, user: User, during: str, **detail: object) -> bool:
    """A wrong security code, wherever it was given (`during`: resetting a password, setting up or changing
    a second factor, adding a case): counted towards the account's lockout and audited. If it locks the
    account, that is audited too and every session of it ends. Returns True if it locked the account."""
    locked = record_failure(user)
    audit.record(
        session,
        user.display_name,
        audit.SECOND_FACTOR_FAILED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"during": during, **detail},
    )
    if locked:
        audit.record(
            session,
            user.display_name,
            audit.ACCOUNT_LOCKED,
            actor_user_id=user.id,
            subject_victim_id=user.victim_id,
        )
        bump_generation(user)
    return locked


def authenticate(session: Session, email: str, password: str) -> SignInAttempt:
    """Check an email and password. Always verifies a hash, so the time taken does not reveal whether
    the account exists. A locked account is refused even with the right password."""
    user = users_data.get_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        return SignInAttempt(None, "unknown")
    now = datetime.now(UTC)
    if user.locked_until is not None and user.locked_until <= now:
        user.locked_until = None  # the lock has run out: start counting again
        user.failed_sign_ins = 0
    if not user.is_active:
        return SignInAttempt(None, "inactive", account=user)
    if _is_locked(user, now):
        return SignInAttempt(None, "locked", account=user)
    if not ok:
        locked = record_failure(user, now)
        return SignInAttempt(None, "wrong-password", account=user, just_locked=locked)
    # Which second factor the role must use: sign-in policy, not an access decision.
    if not user.mfa_method or (must_use_totp(user.role) and user.mfa_method != "totp"):
        return SignInAttempt(None, "not-set-up", account=user)  # staff may only use an authenticator app
    return SignInAttempt(user, "ok", account=user)


def complete_sign_in(user: User) -> None:
    """Both factors were right."""
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = datetime.now(UTC)


def get_user(session: Session, user_id: int) -> User | None:
    return users_data.get_user(session, user_id)


def check_password(session: Session, user_id: int, password: str) -> bool:
    """Re-entering the password before a sensitive change. A wrong one counts towards the lockout."""
    user = users_data.get_user(session, user_id)
    if user is None or not user.is_active:
        verify_password(None, password)
        return False
    if verify_password(user.password_hash, password) and not _is_locked(user, datetime.now(UTC)):
        return True
    record_failure(user)
    return False


def set_password(user: User, new_password: str, *, end_sessions: bool = True) -> None:
    """Set a new password (checked against the rules). Ends every other session by default."""
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = datetime.now(UTC)
    user.failed_sign_ins = 0
    user.locked_until = None
    if end_sessions:
        bump_generation(user)


def bump_generation(user: User) -> None:
    user.session_generation = (user.session_generation or 0) + 1


def is_locked(user: User) -> bool:
    return _is_locked(user, datetime.now(UTC))


def mark_quick_exit_explained(session: Session, user_id: int) -> None:
    user = users_data.get_user(session, user_id)
    if user is not None and user.quick_exit_explained_at is None:
        user.quick_exit_explained_at = datetime.now(UTC)
