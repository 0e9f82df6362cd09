"""Role checks, in one place: every blueprint asks here who may use a page.

`role_required(*roles)` signs the visitor in first (Flask-Login) and answers 404, never 403, to anyone
signed in with another role, so a page's existence is not confirmed to the wrong people.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from portal.models import Role

VICTIM = Role.VICTIM.value
WITNESS_CARE_OFFICER = Role.WITNESS_CARE_OFFICER.value
SUPPORT_WORKER = Role.SUPPORT_WORKER.value
ADMIN = Role.ADMIN.value
ALL_ROLES: tuple[str, ...] = (VICTIM, WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)
STAFF_ROLES: tuple[str, ...] = (WITNESS_CARE_OFFICER, ADMIN)
# Roles that must use an authenticator app for their second factor.
TOTP_ONLY_ROLES: tuple[str, ...] = (WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)
# Roles an admin can create.
CREATABLE_ROLES: tuple[str, ...] = (WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)

ROLE_LABELS: dict[str, str] = {
    VICTIM: "Victim",
    WITNESS_CARE_OFFICER: "Witness care officer",
    SUPPORT_WORKER: "Support worker",
    ADMIN: "Administrator",
}

F = TypeVar("F", bound=Callable[..., Any])


def has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in roles


def must_use_totp(role: str) -> bool:
    return role in TOTP_ONLY_ROLES


def role_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in users with one of `roles`; others signed in get 404, signed-out visitors sign in."""
    if not roles or any(role not in ALL_ROLES for role in roles):
        raise ValueError(f"unknown roles: {roles}")

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(current_user, *roles):
                abort(404)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


victim_required = role_required(VICTIM)
officer_required = role_required(WITNESS_CARE_OFFICER)
admin_required = role_required(ADMIN)
