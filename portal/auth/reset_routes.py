"""Password reset: ask for a link (same answer whether or not the account exists), open it, pass the
second factor, choose a new password. Every session of the account then ends. Wrong codes are counted on
the server (password_reset.record_wrong_code), not in the session cookie."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import bp
from portal.auth.forms import NewPasswordForm, ResetRequestForm
from portal.auth.routes import auth_limit
from portal.extensions import account_reset_limit, db
from portal.services.accounts import mfa, password_reset
from portal.services.accounts.passwords import PasswordProblem
from portal.web.forms import CodeForm, ContinueForm

RESET = "reset_id"
RESET_CODE_SENT = "reset_code_sent"
RESET_VERIFIED = "reset_verified"


@bp.route("/password-reset", methods=["GET", "POST"])
@auth_limit
@account_reset_limit
def reset_request() -> str:
    form = ResetRequestForm()
    if form.validate_on_submit():
        password_reset.request_reset(db.session, form.email.data or "")
        return render_template("auth/reset_sent.html")
    return render_template("auth/reset_request.html", form=form)


def _invalid() -> tuple[str, int]:
    return render_template("auth/reset_invalid.html"), 404


@bp.route("/password-reset/<token>")
def reset_link(token: str) -> Response | tuple[str, int]:
    reset = password_reset.find(db.session, token)
    if reset is None:
        return _invalid()
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    session[RESET] = reset.id
    return redirect(url_for("auth.reset_verify"))


def _state(*, for_update: bool = False) -> tuple[Any, Any] | None:
    return password_reset.get_valid(db.session, session.get(RESET), for_update=for_update)


@bp.route("/password-reset/check", methods=["GET", "POST"])
@auth_limit
def reset_verify() -> str | Response | tuple[str, int]:
    # Checking a code locks the link's row: codes sent at once on one link are counted one by one.
    state = _state(for_update=request.method == "POST")
    if state is None:
        session.pop(RESET_VERIFIED, None)
        return _invalid()
    reset, user = state
    sends_code = user.mfa_method in (mfa.SMS, mfa.EMAIL)
    if sends_code and not session.get(RESET_CODE_SENT):
        return render_template(
            "auth/reset_send_code.html",
            form=ContinueForm(),
            method=user.mfa_method,
            masked=mfa.masked_destination(user, user.mfa_method),
        )
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.check_second_factor(db.session, user, mfa.RESET, form.code.data or ""):
            session[RESET_VERIFIED] = reset.id
            return redirect(url_for("auth.reset_new_password"))
        wrong = password_reset.record_wrong_code(db.session, reset, user)
        if wrong.link_dead or wrong.account_locked:
            # A redirect, not the 404 itself: the request must succeed for the counts to be saved.
            session.clear()
            return redirect(url_for("auth.reset_verify"))
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return render_template(
        "auth/security_code.html",
        form=form,
        method=user.mfa_method,
        masked=mfa.masked_destination(user, user.mfa_method) if sends_code else "",
        resend_form=ContinueForm(),
        resend_url=url_for("auth.reset_send_code") if sends_code else None,
        resetting=True,
    )


@bp.route("/password-reset/send-code", methods=["POST"])
@auth_limit
def reset_send_code() -> Response | tuple[str, int]:
    state = _state()
    form = ContinueForm()
    if state is None or not form.validate_on_submit():
        return _invalid()
    user = state[1]
    if user.mfa_method in (mfa.SMS, mfa.EMAIL):
        mfa.issue_code(db.session, user, mfa.RESET, user.mfa_method)
        session[RESET_CODE_SENT] = True
    return redirect(url_for("auth.reset_verify"))


@bp.route("/password-reset/new-password", methods=["GET", "POST"])
@auth_limit
def reset_new_password() -> str | Response | tuple[str, int]:
    state = _state()
    if state is None or session.get(RESET_VERIFIED) != state[0].id:
        return _invalid()
    reset, user = state
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.complete(db.session, reset, user, form.password.data or "")
        except PasswordProblem:
            form.password.errors = [_("Choose a different password")]
        else:
            session.clear()
            return redirect(url_for("auth.reset_done"))
    return render_template("auth/reset_new_password.html", form=form)


@bp.route("/password-reset/done")
def reset_done() -> str:
    return render_template("auth/reset_done.html")
