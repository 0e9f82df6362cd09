"""Sessions: time limits, the pending sign-in between the two factors, and "confirm your password".

The session cookie holds the user id with its session generation (see accounts.SignedInUser), when the
session started and when it was last used. Victims are signed out after 30 minutes without activity and
12 hours at most; staff after 60 minutes without activity and 12 hours at most. Bumping the session
generation in the database (sign out, sign out everywhere, password change, quick exit, account revoked)
ends every session of that user at once, on every web node.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from portal.services.accounts import users as accounts
from portal.services.common import audit
from portal.services.common.roles import VICTIM
from portal.services.preferences import drafts as preference_drafts


@dataclass(frozen=True)
class Limits:
    idle_seconds: int
    absolute_seconds: int
    warning_seconds: int = 120


VICTIM_LIMITS = Limits(idle_seconds=30 * 60, absolute_seconds=12 * 60 * 60)
STAFF_LIMITS = Limits(idle_seconds=60 * 60, absolute_seconds=12 * 60 * 60)
PASSWORD_CONFIRMATION_SECONDS = 10 * 60
PENDING_SIGN_IN_SECONDS = 15 * 60  # longer than a code lives, so "send a new code" works
MAX_CODE_ATTEMPTS = 5

STARTED = "started_at"
LAST_ACTIVE = "last_active_at"
ROLE = "role"
SESSION_ID = "sid"
PASSWORD_CONFIRMED = "password_confirmed_at"  # noqa: S105 - a session key
SECOND_FACTOR_CHECKED = "second_factor_checked_at"
SECOND_FACTOR_CHECK_SENT = "second_factor_check_sent"
PENDING = "pending_sign_in"
# Kept across the new session made at sign-in (an invitation being accepted by a signed-in victim; the
# language chosen with the toggle, portal/web/language.py).
CARRIED_OVER = ("invitation_id", "language")


def limits_for(role: str | None) -> Limits:
    return VICTIM_LIMITS if role == VICTIM else STAFF_LIMITS


def now() -> int:
    return int(time.time())


def start(cookie: MutableMapping[str, Any], role: str) -> None:
    """A fresh session after both factors: everything from before sign-in is dropped (new session id)."""
    carried = {key: cookie[key] for key in CARRIED_OVER if key in cookie}
    cookie.clear()
    cookie.update(carried)
    cookie[SESSION_ID] = secrets.token_urlsafe(16)
    cookie[STARTED] = cookie[LAST_ACTIVE] = now()
    cookie[ROLE] = role


def expired(cookie: MutableMapping[str, Any], at: int | None = None) -> bool:
    at = now() if at is None else at
    limits = limits_for(cookie.get(ROLE))
    started = int(cookie.get(STARTED, 0))
    last = int(cookie.get(LAST_ACTIVE, 0))
    return at - last > limits.idle_seconds or at - started > limits.absolute_seconds


def touch(cookie: MutableMapping[str, Any]) -> None:
    cookie[LAST_ACTIVE] = now()


def ends_at(cookie: MutableMapping[str, Any]) -> int:
    """When this session ends if nothing more happens (epoch seconds)."""
    limits = limits_for(cookie.get(ROLE))
    return min(
        int(cookie.get(LAST_ACTIVE, 0)) + limits.idle_seconds,
        int(cookie.get(STARTED, 0)) + limits.absolute_seconds,
    )


def end_everywhere(
    db: Session, user_id: int, *, actor_label: str, actor_user_id: int | None, action: str
) -> None:
    """End every session of this user (bump the generation) and audit why."""
    user = accounts.get_user(db, user_id)
    if user is None:
        return
    accounts.bump_generation(user)
    preference_drafts.end_for_user(db, user.id)  # answers in progress end with the sessions
    audit.record(
        db,
        actor_label,
        action,
        actor_user_id=actor_user_id,
        subject_victim_id=user.victim_id,
        detail={"user_id": user.id},
    )


def record_time_out(db: Session, cookie: MutableMapping[str, Any]) -> None:
    """Audit a session that ran out (the cookie's user id is "id:generation")."""
    try:
        user_id = int(str(cookie.get("_user_id", "")).split(":", 1)[0])
    except ValueError:
        return
    user = accounts.get_user(db, user_id)
    if user is not None:
        preference_drafts.purge_expired(db, user_id=user.id)  # answers in progress of ended sessions
        audit.record(
            db,
            user.display_name,
            audit.SESSION_TIMED_OUT,
            actor_user_id=user.id,
            subject_victim_id=user.victim_id,
        )


# --- The sign-in in progress between the password and the second factor ---


def begin_pending(
    cookie: MutableMapping[str, Any], user_id: int, generation: int, next_url: str | None
) -> None:
    carried = {key: cookie[key] for key in CARRIED_OVER if key in cookie}
    cookie.clear()
    cookie.update(carried)
    cookie[PENDING] = {"uid": user_id, "gen": generation, "at": now(), "next": next_url, "tries": 0}


def pending(cookie: MutableMapping[str, Any]) -> dict[str, Any] | None:
    value = cookie.get(PENDING)
    if not isinstance(value, dict) or now() - int(value.get("at", 0)) > PENDING_SIGN_IN_SECONDS:
        return None
    return value


def count_pending_failure(cookie: MutableMapping[str, Any]) -> bool:
    """Count a wrong code; True when the pending sign-in has had too many and is abandoned."""
    value = pending(cookie)
    if value is None:
        return True
    value["tries"] = int(value.get("tries", 0)) + 1
    cookie[PENDING] = value
    if value["tries"] >= MAX_CODE_ATTEMPTS:
        cookie.pop(PENDING, None)
        return True
    return False


# --- "Confirm your password" before changing contact details, second factor or safe-contact settings ---


def stamp_password_confirmed(cookie: MutableMapping[str, Any]) -> None:
    cookie[PASSWORD_CONFIRMED] = now()


def password_recently_confirmed(cookie: MutableMapping[str, Any]) -> bool:
    stamped = cookie.get(PASSWORD_CONFIRMED)
    return stamped is not None and now() - int(stamped) <= PASSWORD_CONFIRMATION_SECONDS


# --- The current second factor, checked before changing it (after the password) ---


def stamp_second_factor_checked(cookie: MutableMapping[str, Any]) -> None:
    cookie.pop(SECOND_FACTOR_CHECK_SENT, None)
    cookie[SECOND_FACTOR_CHECKED] = now()


def second_factor_recently_checked(cookie: MutableMapping[str, Any]) -> bool:
    stamped = cookie.get(SECOND_FACTOR_CHECKED)
    return stamped is not None and now() - int(stamped) <= PASSWORD_CONFIRMATION_SECONDS


def forget_second_factor_check(cookie: MutableMapping[str, Any]) -> None:
    cookie.pop(SECOND_FACTOR_CHECKED, None)
    cookie.pop(SECOND_FACTOR_CHECK_SENT, None)
