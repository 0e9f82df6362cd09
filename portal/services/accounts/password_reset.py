"""Password reset: a single-use link for 1 hour, dead once the password changes, that still needs the
second factor. Asking for one gives the same answer whether or not the account exists."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import sign_in_codes as sign_in_codes_data
from portal.data import users as users_data
from portal.models import PasswordReset, User
from portal.services.accounts import mfa
from portal.services.accounts import users as accounts
from portal.services.accounts.invitations import hash_token
from portal.services.common import audit

LIFETIME = timedelta(hours=1)
MAX_PER_HOUR = 3


def request_reset(session: Session, email: str) -> None:
    """Send a reset link if the account exists and can use one. Says nothing either way."""
    user = users_data.get_user_by_email(session, email or "")
    if user is None or not user.is_active or not user.mfa_method or not user.password_hash:
        return
    now = datetime.now(UTC)
    if (
        sign_in_codes_data.count_password_resets_since(session, user.id, now - timedelta(hours=1))
        >= MAX_PER_HOUR
    ):
        return
    token = secrets.token_urlsafe(32)
    reset = sign_in_codes_data.add_password_reset(
        session,
        PasswordReset(
            user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=now + LIFETIME
        ),
    )
    link = f"{current_app.config['PORTAL_BASE_URL'].rstrip('/')}/password-reset/{token}"
    body = (
        f"Use this link to reset the password for your GOV.UK account: {link}\n\n"
        "The link works once, for 1 hour. If you did not ask for this, you can ignore it: "
        "your password has not changed."
    )
    phone = mfa.destination(user, mfa.SMS) if user.mfa_method == mfa.SMS else None
    if phone:
        outbox.enqueue(
            session, channel=outbox.SMS, recipient=phone, body=body, correlation=f"reset:{reset.id}"
        )
    else:
        outbox.enqueue(
            session,
            channel=outbox.EMAIL,
            recipient=user.email,
            subject="Reset your password",
            body=body,
            correlation=f"reset:{reset.id}",
        )
    audit.record(
        session,
        user.display_name,
        audit.PASSWORD_RESET_REQUESTED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
    )


def _valid(reset: PasswordReset | None, user: User | None, now: datetime) -> bool:
    if reset is None or user is None or not user.is_active:
        return False
    if reset.used_at is not None or reset.expires_at <= now:
        return False
    # Dead once the password has changed after the link was made.
    return user.password_changed_at is None or user.password_changed_at <= reset.created_at


def find(session: Session, token: str) -> PasswordReset | None:
    reset = sign_in_codes_data.get_password_reset_by_token_hash(session, hash_token(token))
    user = users_data.get_user(session, reset.user_id) if reset else None
    return reset if _valid(reset, user, datetime.now(UTC)) else None


def get_valid(session: Session, reset_id: int | None) -> tuple[PasswordReset, User] | None:
    if not reset_id:
        return None
    reset = sign_in_codes_data.get_password_reset(session, int(reset_id))
    user = users_data.get_user(session, reset.user_id) if reset else None
    if not _valid(reset, user, datetime.now(UTC)):
        return None
    assert reset is not None and user is not None
    return reset, user


def complete(session: Session, reset: PasswordReset, user: User, new_password: str) -> None:
    """Set the new password (raises PasswordProblem), use up every reset link and end every session."""
    accounts.set_password(user, new_password)
    sign_in_codes_data.use_all_password_resets(session, user.id, datetime.now(UTC))
    audit.record(
        session,
        user.display_name,
        audit.PASSWORD_RESET,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
    )
