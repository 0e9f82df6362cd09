"""Password reset: a single-use link for 1 hour, dead once the password changes, that still needs the
second factor. Asking for one gives the same answer, after the same work, whether or not the account
exists. Wrong codes are counted on the server: on the link (it dies after 5) and on the account (the
sign-in lockout), never in the browser's session, so opening the link again or replaying an old cookie
gives no new tries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext
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
# Wrong security codes a link takes before it dies. Each also counts towards the account's lockout, the
# same counter as wrong passwords and sign-in codes (accounts.users.MAX_FAILED_SIGN_INS).
MAX_WRONG_CODES = 5
UNKNOWN_ACCOUNT = "unknown account"


def _message(token: str) -> str:
    link = f"{current_app.config['PORTAL_BASE_URL'].rstrip('/')}/password-reset/{token}"
    return gettext(  # in the language of the page that asked for it (portal/web/language.py)
        "Use this link to reset the password for your GOV.UK account: %(link)s\n\n"
        "The link works once, for 1 hour. If you did not ask for this, you can ignore it: "
        "your password has not changed.",
        link=link,
    )


def request_reset(session: Session, email: str) -> None:
    """Send a reset link if the account exists and can use one. Says nothing either way.

    Both ways take the same time (issue 14, finding 7): the same queries (the account, its links this
    hour), one new token made and hashed, the message text built, and the same three INSERTs (reset link,
    outbox message, audit event). With no link to send, the first two are INSERTs that match no row
    (`insert_no_reset_and_no_message`), and the audit event records the refusal. Doing the same work was
    chosen over moving the sending off the request: there is no job queue to move it to but the outbox,
    and writing to the outbox is the work being hidden.
    """
    now = datetime.now(UTC)
    user = users_data.get_user_by_email(session, email or "")
    sent_lately = sign_in_codes_data.count_password_resets_since(
        session, user.id if user is not None else 0, now - timedelta(hours=1)
    )
    token = secrets.token_urlsafe(32)
    token_hash = hash_token(token)
    body = _message(token)
    if user is None:
        refusal: str | None = "unknown-account"
    elif not user.is_active or not user.mfa_method or not user.password_hash:
        refusal = "account-not-usable"
    elif sent_lately >= MAX_PER_HOUR:
        refusal = "too-many-links"
    else:
        refusal = None
    if user is None or refusal is not None:
        sign_in_codes_data.insert_no_reset_and_no_message(session)
        audit.record(
            session,
            user.display_name if user is not None else UNKNOWN_ACCOUNT,
            audit.PASSWORD_RESET_REQUESTED,
            actor_user_id=user.id if user is not None else None,
            subject_victim_id=user.victim_id if user is not None else None,
            detail={"link_sent": False, "reason": refusal},
        )
        return
    reset = sign_in_codes_data.add_password_reset(
        session,
        PasswordReset(user_id=user.id, token_hash=token_hash, created_at=now, expires_at=now + LIFETIME),
    )
    phone = mfa.destination(user, mfa.SMS) if user.mfa_method == mfa.SMS else None
    if phone:
        outbox.enqueue(
            session,
            channel=outbox.SMS,
            recipient=phone,
            body=body,
            correlation=f"reset:{reset.id}",
            waited_for=True,
        )
    else:
        outbox.enqueue(
            session,
            channel=outbox.EMAIL,
            recipient=user.email,
            subject=gettext("Reset your password"),
            body=body,
            correlation=f"reset:{reset.id}",
            waited_for=True,
        )
    audit.record(
        session,
        user.display_name,
        audit.PASSWORD_RESET_REQUESTED,
        actor_user_id=user.id,
        subject_victim_id=user.victim_id,
        detail={"link_sent": True},
    )


def _valid(reset: PasswordReset | None, user: User | None, now: datetime) -> bool:
    if reset is None or user is None or not user.is_active:
        return False
    if reset.used_at is not None or reset.expires_at <= now:
        return False
    # Dead after too many wrong codes, and unusable while the account is locked (as signing in is).
    if (reset.failed_codes or 0) >= MAX_WRONG_CODES or accounts.is_locked(user):
        return False
    # Dead once the password has changed after the link was made.
    return user.password_changed_at is None or user.password_changed_at <= reset.created_at


def find(session: Session, token: str) -> PasswordReset | None:
    reset = sign_in_codes_data.get_password_reset_by_token_hash(session, hash_token(token))
    user = users_data.get_user(session, reset.user_id) if reset else None
    return reset if _valid(reset, user, datetime.now(UTC)) else None


def get_valid(
    session: Session, reset_id: int | None, *, for_update: bool = False
) -> tuple[PasswordReset, User] | None:
    """The link (by id, from the session) and its account while the link can still be used. With
    `for_update` (checking a code) the link's row is locked, so codes on one link are counted in turn."""
    if not reset_id:
        return None
    reset = sign_in_codes_data.get_password_reset(session, int(reset_id), for_update=for_update)
    user = users_data.get_user(session, reset.user_id) if reset else None
    if not _valid(reset, user, datetime.now(UTC)):
        return None
    assert reset is not None and user is not None
    return reset, user


@dataclass(frozen=True)
class WrongCode:
    """What a wrong reset code did: `link_dead` (the link's 5th), `account_locked` (the account's 10th)."""

    link_dead: bool
    account_locked: bool


def record_wrong_code(session: Session, reset: PasswordReset, user: User) -> WrongCode:
    """Count a wrong security code on the link and on the account, on the server, and audit it. The link
    dies at 5 (its live codes with it); the account locks as it does for wrong passwords."""
    reset.failed_codes = (reset.failed_codes or 0) + 1  # the row is locked: see get_valid(for_update)
    locked = accounts.count_wrong_code(session, user, "password reset")
    dead = reset.failed_codes >= MAX_WRONG_CODES
    if dead:
        mfa.expire_codes(session, user, mfa.RESET)
    return WrongCode(link_dead=dead, account_locked=locked)


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
