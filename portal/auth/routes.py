"""Signing in (password, then the second factor) and out, quick exit, session time-outs.

The other account pages live beside this module (setup_routes, reset_routes, account_routes,
staff_routes) and register on the same blueprint.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import bp
from portal.auth.forms import SignInForm
from portal.extensions import account_sign_in_limit, db, limiter
from portal.services.accounts import mfa, one_login, sessions
from portal.services.accounts import staff as staff_accounts
from portal.services.accounts import users as accounts
from portal.services.accounts.users import SignedInUser
from portal.services.agency_api import clients as agency_clients
from portal.services.cases import officer_home
from portal.services.common import audit
from portal.services.common.roles import ADMIN, SUPPORT_WORKER, WITNESS_CARE_OFFICER
from portal.services.court_needs import officer as court_officer
from portal.services.delegation import rules as delegation_rules
from portal.services.delegation import views as delegation_views
from portal.services.requests import views as request_views
from portal.services.secure_messages import inbox as message_inbox
from portal.web.forms import CodeForm, ContinueForm
from portal.web.guards import role_required

EXIT_URL = "https://www.bbc.co.uk/weather"
DEFAULT_AUTH_LIMIT = "30 per minute;300 per hour"
# The ID token of a sign-in with GOV.UK One Login, sent back to One Login when the person signs out.
ONE_LOGIN_ID_TOKEN = "one_login_id_token"  # noqa: S105 - a session key
#: Set when a One Login session from before "Exit this page" was turned back (one_login_routes).
SIGN_IN_AGAIN = "one_login_sign_in_again"


def _auth_limit() -> str:
    return str(current_app.config.get("AUTH_RATE_LIMIT") or DEFAULT_AUTH_LIMIT)


# Per-IP limit shared by every form that checks a password, code or link (SECURITY.md item 4); sign-in
# and password reset also have a per-account limit (portal/extensions.py, account_limit).
auth_limit = limiter.shared_limit(_auth_limit, scope="auth-forms", methods=["POST"])


def safe_next(target: str | None) -> str | None:
    """Only our own paths: "/cases/..." yes; "//evil.example", "https://..." or "/\\evil" no."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user: SignedInUser) -> str:
    """Where each kind of user starts: victims at their cases, support workers at the people they help,
    officers and admins at their list of tasks."""
    if user.is_victim:
        return url_for("victim.cases")
    if user.role == "support_worker":
        return url_for("support.home")
    return url_for("auth.signed_in_staff")


def after_sign_in(user: SignedInUser, next_url: str | None) -> str:
    target = safe_next(next_url) or home_for(user)
    if user.is_victim and not user.quick_exit_explained:
        return url_for("auth.exit_explained", next=target)
    return target


def sign_in_now(user_id: int) -> SignedInUser:
    """Both factors are right: a brand-new session for this user."""
    user = accounts.get_user(db.session, user_id)
    assert user is not None
    accounts.complete_sign_in(user)
    sessions.start(session, user.role)
    signed_in = accounts.signed_in_user(user)
    login_user(signed_in, remember=False)
    return signed_in


@bp.route("/")
def start() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("auth/start.html")


def _record_failed_sign_in(attempt: accounts.SignInAttempt) -> None:
    account = attempt.account
    audit.record(
        db.session,
        account.display_name if account else "unknown account",
        audit.SIGN_IN_FAILED,
        actor_user_id=account.id if account else None,
        subject_victim_id=account.victim_id if account else None,
        detail={"reason": attempt.outcome},
    )
    if attempt.just_locked and account is not None:
        audit.record(
            db.session,
            account.display_name,
            audit.ACCOUNT_LOCKED,
            actor_user_id=account.id,
            subject_victim_id=account.victim_id,
        )


@bp.route("/sign-in", methods=["GET", "POST"])
@auth_limit
@account_sign_in_limit
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        attempt = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        if attempt.user is not None:
            user = attempt.user
            sessions.begin_pending(
                session, user.id, user.session_generation, safe_next(request.args.get("next"))
            )
            mfa.start_challenge(db.session, user, mfa.SIGN_IN)
            return redirect(url_for("auth.security_code"))
        _record_failed_sign_in(attempt)
        failed = True
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form, failed=failed)


def _pending_user() -> Any:
    pending = sessions.pending(session)
    if pending is None:
        return None
    user = accounts.get_user(db.session, int(pending["uid"]))
    if (
        user is None
        or not user.is_active
        or user.session_generation != pending.get("gen")
        or accounts.is_locked(user)
        or not user.mfa_method
    ):
        return None
    return user


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@auth_limit
def security_code() -> str | Response:
    user = _pending_user()
    if user is None:
        session.pop(sessions.PENDING, None)
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.check_second_factor(db.session, user, mfa.SIGN_IN, form.code.data or ""):
            next_url = (sessions.pending(session) or {}).get("next")
            audit.record(
                db.session,
                user.display_name,
                audit.SIGN_IN,
                actor_user_id=user.id,
                subject_victim_id=user.victim_id,
                detail={"method": user.mfa_method},
            )
            signed_in = sign_in_now(user.id)
            return redirect(after_sign_in(signed_in, next_url))
        locked = accounts.record_failure(user)
        audit.record(
            db.session,
            user.display_name,
            audit.SECOND_FACTOR_FAILED,
            actor_user_id=user.id,
            subject_victim_id=user.victim_id,
        )
        if locked:
            audit.record(
                db.session,
                user.display_name,
                audit.ACCOUNT_LOCKED,
                actor_user_id=user.id,
                subject_victim_id=user.victim_id,
            )
        if sessions.count_pending_failure(session) or locked:
            session.pop(sessions.PENDING, None)
            flash(_("You entered the wrong code too many times. Sign in again."), "important")
            return redirect(url_for("auth.sign_in"))
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return render_template(
        "auth/security_code.html",
        form=form,
        method=user.mfa_method,
        masked=mfa.masked_destination(user, user.mfa_method or "") if user.mfa_method != mfa.TOTP else "",
        resend_form=ContinueForm(),
    )


@bp.route("/sign-in/security-code/resend", methods=["POST"])
@auth_limit
def resend_security_code() -> Response:
    user = _pending_user()
    form = ContinueForm()
    if user is None or not form.validate_on_submit():
        return redirect(url_for("auth.sign_in"))
    mfa.start_challenge(db.session, user, mfa.SIGN_IN)
    flash(_("We have sent you a new security code."), "success")
    return redirect(url_for("auth.security_code"))


def _end_session(action: str) -> None:
    if current_user.is_authenticated:
        sessions.end_everywhere(
            db.session,
            current_user.id,
            actor_label=current_user.display_name,
            actor_user_id=current_user.id,
            action=action,
        )
    logout_user()
    language = session.get("language")  # the language toggle's choice outlives the session's sign-in
    session.clear()
    if language:
        session["language"] = language


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    """Signing out ends this session and every other session of the account (the generation is bumped).
    After a sign-in with GOV.UK One Login the person goes on to One Login to sign out there too; it sends
    them back to /signed-out."""
    id_token = session.get(ONE_LOGIN_ID_TOKEN)
    _end_session(audit.SIGNED_OUT)
    settings = one_login.settings(current_app.config) if id_token else None
    if settings is not None:
        try:
            url = one_login.end_session_url(
                settings, id_token_hint=str(id_token), state=secrets.token_urlsafe(16)
            )
        except one_login.OneLoginError:
            url = None  # One Login cannot be reached: the portal's sessions have ended all the same
        if url:
            return redirect(url, code=303)
    return redirect(url_for("auth.signed_out"))


@bp.route("/sign-out/quick", methods=["POST"])
def quick_sign_out() -> tuple[str, int]:
    """Called by "Exit this page" (navigator.sendBeacon with the CSRF token) as the browser leaves."""
    _end_session(audit.QUICK_EXIT)
    return "", 204


@bp.route("/exit", endpoint="exit")
def exit_page() -> Response:
    """Where "Exit this page" points without JavaScript: straight on to the BBC weather page. Changes
    nothing (a GET): without JavaScript the session ends at the idle time-out instead."""
    return redirect(EXIT_URL, code=303)


@bp.route("/signed-out")
def signed_out() -> str:
    return render_template("auth/signed_out.html", sign_in_again=session.pop(SIGN_IN_AGAIN, False))


@bp.route("/timed-out")
def timed_out() -> str:
    return render_template("auth/timed_out.html", idle_minutes=sessions.VICTIM_LIMITS.idle_seconds // 60)


@bp.route("/session/keep-alive", methods=["POST"])
@login_required
def keep_alive() -> Response:
    """ "Stay signed in" in the time-out warning: the request itself renews the idle timer."""
    return jsonify(remaining_seconds=max(sessions.ends_at(session) - sessions.now(), 0))


@bp.route("/exit-this-page-explained", methods=["GET", "POST"])
@login_required
def exit_explained() -> str | Response:
    """The interruption page that explains "Exit this page", shown once after a victim first signs in."""
    form = ContinueForm()
    next_url = safe_next(request.args.get("next")) or home_for(current_user)
    if form.validate_on_submit():
        accounts.mark_quick_exit_explained(db.session, current_user.id)
        return redirect(next_url)
    return render_template("auth/exit_explained.html", form=form, next_url=next_url)


@bp.route("/staying-safe-online")
def staying_safe() -> str:
    return render_template("auth/staying_safe.html")


@bp.route("/staff")
@role_required(WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)
def signed_in_staff() -> str | Response:
    """Each staff role's home: an officer's work waiting for their unit, an admin's areas with what is in
    them (counts only: nobody's information is shown). A support worker's home is "Your clients"."""
    if current_user.role == WITNESS_CARE_OFFICER:
        actor = current_user.actor
        helping = [item.row.status for item in delegation_views.unit_delegations(db.session, actor)]
        return render_template(
            "auth/staff_home.html",
            title=_("Your work"),
            work=officer_home.officer_work(db.session, actor),
            helping_now=sum(1 for status in helping if status == delegation_rules.ACTIVE),
            helping_waiting=sum(1 for status in helping if status != delegation_rules.ACTIVE),
            court_needs_waiting=court_officer.waiting_count(db.session, actor),
            clash_count=len(court_officer.unit_clashes(db.session, actor)),
            open_requests=request_views.open_count(db.session, actor),
            messages_waiting=message_inbox.waiting_for_unit(db.session, actor),
            messages_overdue=message_inbox.overdue_count(db.session, actor),
        )
    if current_user.role == ADMIN:
        actor = current_user.actor
        staff = Counter(row.status for row in staff_accounts.list_staff(db.session, actor))
        organisations = Counter(org.kind for org in staff_accounts.organisations(db.session, actor))
        keys = Counter(c.revoked_at is None for c in agency_clients.list_clients(db.session))
        day_ago = datetime.now(UTC) - timedelta(days=1)
        return render_template(
            "auth/staff_home.html",
            title=_("Service administration"),
            staff=staff,
            organisations=organisations,
            keys_active=keys[True],
            keys_revoked=keys[False],
            events_today=audit.count(db.session, since=day_ago),
            failed_sign_ins_today=audit.count(db.session, action=audit.SIGN_IN_FAILED, since=day_ago),
        )
    return render_template("auth/staff_home.html", title=_("Your work"))
