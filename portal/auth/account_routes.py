"""A signed-in person's own account: password, second factor and signing out everywhere. Changing the
password or second factor needs the password again. (Who has viewed a victim's information is a victim
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
from portal.services.accounts import mfa, sessions
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


@bp.route("/account/security-codes", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def change_method() -> str | Response:
    user = _db_user()
    form = ChooseMethodForm()
    form.method.choices = method_choices(user)
    if form.validate_on_submit():
        method = form.method.data
        session[NEW_METHOD] = method
        if method == mfa.TOTP:
            mfa.begin_totp_set_up(user)
        else:
            mfa.issue_code(db.session, user, mfa.SET_UP, method)
        return redirect(url_for("auth.confirm_method"))
    return render_template("auth/setup_method.html", form=form, changing=True)


@bp.route("/account/security-codes/confirm", methods=["GET", "POST"])
@login_required
@recent_password_required
@auth_limit
def confirm_method() -> str | Response:
    user = _db_user()
    method = session.get(NEW_METHOD)
    if method not in mfa.allowed_methods(user) or (method == mfa.TOTP and not user.totp_pending_secret):
        return redirect(url_for("auth.change_method"))
    form = CodeForm()
    if form.validate_on_submit():
        if method == mfa.TOTP:
            ok = mfa.confirm_totp_set_up(user, form.code.data or "")
        else:
            ok = mfa.confirm_code_set_up(db.session, user, method, form.code.data or "")
        if ok:
            session.pop(NEW_METHOD, None)
            audit.record(
                db.session,
                user.display_name,
                audit.SECOND_FACTOR_CHANGED,
                actor_user_id=user.id,
                subject_victim_id=user.victim_id,
                detail={"method": method},
            )
            flash(_("You will now get security codes the new way."), "success")
            return redirect(url_for("auth.account"))
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
