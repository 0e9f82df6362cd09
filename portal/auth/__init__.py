"""Signing in and out, setting up an account from an invitation, resetting a password, and a signed-in
person's own account. One blueprint; each module adds its views to it."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import (  # noqa: E402, F401
    account_routes,
    information_routes,
    one_login_routes,
    reset_routes,
    routes,
    setup_routes,
)
