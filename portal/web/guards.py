"""Who may open a page, in one place: every blueprint's views are guarded from here.

`role_required(*roles)` signs the visitor in first (Flask-Login) and answers 404, never 403, to anyone
signed in with another role, so a page's existence is not confirmed to the wrong people.
`recent_password_required` asks for the password again before a sensitive change (SECURITY.md 5).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, redirect, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from portal.services.accounts import sessions
from portal.services.common.roles import (
    ADMIN,
    ALL_ROLES,
    SUPPORT_WORKER,
    VICTIM,
    WITNESS_CARE_OFFICER,
    has_role,
)

P = ParamSpec("P")
R = TypeVar("R")


def role_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Only signed-in users with one of `roles`; others signed in get 404, signed-out visitors sign in."""
    if not roles or any(role not in ALL_ROLES for role in roles):
        raise ValueError(f"unknown roles: {roles}")

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not has_role(current_user, *roles):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


victim_required = role_required(VICTIM)
support_worker_required = role_required(SUPPORT_WORKER)
admin_required = role_required(ADMIN)


def officer_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed-in witness care officers who belong to a unit; a 404 for anyone else."""

    @wraps(view)
    @role_required(WITNESS_CARE_OFFICER)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.actor.force_code:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def recent_password_required(view: Callable[P, R]) -> Callable[P, R | BaseResponse]:
    """Use under a sign-in check: sends the user to "Confirm your password" unless they entered it in the
    last 10 minutes, then back to this page (a GET of the same URL)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | BaseResponse:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in"))
        if not sessions.password_recently_confirmed(session):
            return redirect(url_for("auth.confirm_password", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
