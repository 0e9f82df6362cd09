"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth.forms import SignInForm
from portal.extensions import db
from portal.services import accounts
from portal.services.accounts import SignedInUser

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only our own paths: "/cases/..." yes; "//evil.example", "https://..." or "/\\evil" no."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user: SignedInUser) -> str:
    return url_for("victim.cases") if user.is_victim else url_for("auth.signed_in_staff")


@bp.route("/")
def start() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("auth/start.html")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a new session at sign-in
            signed_in = SignedInUser(user)
            login_user(signed_in)
            return redirect(safe_next(request.args.get("next")) or home_for(signed_in))
        failed = True
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form, failed=failed)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
def signed_out() -> str:
    return render_template("auth/signed_out.html")


@bp.route("/staff")
def signed_in_staff() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/staff_home.html", title=_("Your account"))
