"""A signed-in person's own account: password, second factor and signing out everywhere. Changing the
password or second factor needs the password again; changing the second factor also needs the current one
(see portal.services.accounts.factor_change). (Who has viewed a victim's information is a victim
page: portal/victim/account_routes.py.)"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import bp
from portal.auth.forms import ChooseMethodForm, ConfirmPasswordForm, NewPasswordForm
from portal.auth.routes import auth_limit, home_for, safe_next
from portal.auth.setup_routes import method_choices
from portal.extensions import db
from portal.services.accounts import factor_change, mfa, sessions
from portal.services.accounts import users as accounts
from portal.services.accounts.passwords import PasswordProblem
from portal.services.common import audit
from portal.web.forms import CodeForm, ContinueForm
from portal.web.guards import recent_password_required

NEW_METHOD = "new_mfa_method"


def _db_user():
    user = accounts.get_user(db.session, current_user.id)
    assert user is not None
    return user


@bp.route("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html", method=current_user.mfa_method)


@bp.route("/account/confirm-password", methods=["GET", "POST"])
@login_required
@auth_limit
def confirm_password() -> str | Response:
    form = ConfirmPasswordForm()
    next_url = safe_next(request.args.get("next")) or url_for("auth.account")
    if form.validate_on_submit():
        if accounts.check_password(db.session, current_user.id, form.password.data or ""):
            sessions.stamp_password_confirmed(session)
            return redirect(next_url)
        audit.record(
            db.session,
            current_user.display_name,
            audit.PASSWORD_CONFIRMED_FAILED,
            actor_user_id=current_user.id,
            subject_victim_id=current_user.victim_id,
        )
        user = _db_user()
        if accounts.is_locked(user):
            audit.record(
                db.session,
                user.display_name,
                audit.ACCOUNT_LOCKED,
                actor_user_id=user.id,
                subject_victim_id=user.victim_id,
            )
            accounts.bump_generation(user)
            logout_user()
            session.clear()
            return redirect(url_for("auth.signed_out"))
        form.password.errors.append(_("Your password is wrong. Check it and try again."))
    return render_template("auth/confirm_password.html", form=form)


def _stay_signed_in_after_bump(user: object) -> None:
    """The password changed, so every session ended; carry on in this one with the new generation."""
    # SignedInUser has what Flask-Login uses (is_authenticated, get_id...) without subclassing its UserMixin.
    login_user(accounts.signed_in_user(user), remember=False)  # type: ignore[arg-type]


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def change_password() -> str | Response:
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = _db_user()
        try:
            accounts.set_password(user, form.password.data or "")
        except PasswordProblem:
            form.password.errors = [_("Choose a different password")]
        else:
            audit.record(
                db.session,
                user.display_name,
                audit.PASSWORD_CHANGED,
                actor_user_id=user.id,
                subject_victim_id=user.victim_id,
            )
            _stay_signed_in_after_bump(user)
            flash(
                _("Your password has been changed. You have been signed out on every other device."),
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


def _locked_out() -> Response:
    """A wrong code locked the account (every session has ended): sign out here too."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/account/security-codes/current", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def check_current_method() -> str | Response:
    """Before changing the second factor, the current one: a code sent to the current phone or email
    address, or one from the current app."""
    user = _db_user()
    sends_code = factor_change.sends_code(user)
    method = user.mfa_method or ""
    if sends_code and not session.get(sessions.SECOND_FACTOR_CHECK_SENT):
        return render_template(
            "auth/reset_send_code.html",
            form=ContinueForm(),
            method=method,
            masked=mfa.masked_destination(user, method),
            send_url=url_for("auth.send_check_code"),
        )
    form = CodeForm()
    if form.validate_on_submit():
        outcome = factor_change.check_current(db.session, user, form.code.data or "")
        if outcome.ok:
            sessions.stamp_second_factor_checked(session)
            return redirect(url_for("auth.change_method"))
        if outcome.locked:
            return _locked_out()
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return render_template(
        "auth/security_code.html",
        form=form,
        method=method,
        masked=mfa.masked_destination(user, method) if sends_code else "",
        resend_form=ContinueForm(),
        resend_url=url_for("auth.send_check_code"),
    )


@bp.route("/account/security-codes/current/send", methods=["POST"])
@login_required
@recent_password_required
@auth_limit
def send_check_code() -> Response:
    form = ContinueForm()
    if form.validate_on_submit():
        user = _db_user()
        if factor_change.sends_code(user):
            factor_change.send_check_code(db.session, user)
            session[sessions.SECOND_FACTOR_CHECK_SENT] = True
    return redirect(url_for("auth.check_current_method"))


@bp.route("/account/security-codes", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def change_method() -> str | Response:
    if not sessions.second_factor_recently_checked(session):
        return redirect(url_for("auth.check_current_method"))
    user = _db_user()
    form = ChooseMethodForm()
    form.method.choices = method_choices(user)
    if form.validate_on_submit():
        method = form.method.data or ""
        session[NEW_METHOD] = method
        factor_change.choose(db.session, user, method)
        return redirect(url_for("auth.confirm_method"))
    return render_template("auth/setup_method.html", form=form, changing=True)


@bp.route("/account/security-codes/confirm", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def confirm_method() -> str | Response:
    if not sessions.second_factor_recently_checked(session):
        return redirect(url_for("auth.check_current_method"))
    user = _db_user()
    method = session.get(NEW_METHOD)
    if method not in mfa.allowed_methods(user) or (method == mfa.TOTP and not user.totp_pending_secret):
        return redirect(url_for("auth.change_method"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = factor_change.confirm(db.session, user, method, form.code.data or "")
        if outcome.ok:
            session.pop(NEW_METHOD, None)
            sessions.forget_second_factor_check(session)
            _stay_signed_in_after_bump(user)
            flash(
                _(
                    "You will now get security codes the new way. You have been signed out on every other "
                    "device."
                ),
                "success",
            )
            return redirect(url_for("auth.account"))
        if outcome.locked:
            return _locked_out()
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    if method == mfa.TOTP:
        secret = user.totp_pending_secret
        return render_template(
            "auth/setup_app.html",
            form=form,
            qr_svg=mfa.qr_code_svg(mfa.provisioning_uri(secret, user.email)),
            secret=mfa.grouped_secret(secret),
            changing=True,
        )
    return render_template(
        "auth/security_code.html",
        form=form,
        method=method,
        masked=mfa.masked_destination(user, method),
        resend_form=None,
        setting_up=True,
    )


@bp.route("/account/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_everywhere() -> str | Response:
    form = ContinueForm()
    if form.validate_on_submit():
        sessions.end_everywhere(
            db.session,
            current_user.id,
            actor_label=current_user.display_name,
            actor_user_id=current_user.id,
            action=audit.SIGNED_OUT_EVERYWHERE,
        )
        logout_user()
        session.clear()
        return redirect(url_for("auth.signed_out", everywhere=1))
    return render_template("auth/sign_out_everywhere.html", form=form, home=home_for(current_user))
