"""Using an invitation link: create a password, choose a second factor, confirm it with a code.

The link's token is looked up once (GET /invitation/<token>) and only the invitation id is kept in the
session; a victim who already has an account adds the new case while signed in instead, after a code
sent to where the invitation went (issue 14, finding 11). Wrong codes are counted on the server, on the
invitation and the account (account_setup.record_wrong_code), never in the session cookie.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.auth import bp
from portal.auth.forms import ChooseMethodForm, ConfirmPasswordForm, NewPasswordForm
from portal.auth.routes import after_sign_in, auth_limit, sign_in_now
from portal.extensions import db
from portal.services.accounts import mfa
from portal.services.accounts import setup as account_setup
from portal.services.accounts.invitations import InvitationError
from portal.services.accounts.passwords import PasswordProblem
from portal.services.common.roles import VICTIM, must_use_totp
from portal.web.forms import CodeForm, ContinueForm
from portal.web.guards import role_required

INVITATION = "invitation_id"
SETUP_USER = "setup_user_id"
SETUP_METHOD = "setup_method"
# The invitation whose code to add a case has been sent (the code page is shown only after that).
ADD_CASE_SENT = "add_case_code_sent"


def _invalid() -> tuple[str, int]:
    return render_template("auth/invitation_invalid.html"), 404


@bp.route("/invitation/<token>")
def invitation(token: str) -> str | Response | tuple[str, int]:
    found = account_setup.find_by_token(db.session, token)
    if found is None:
        return _invalid()
    session[INVITATION] = found.id
    if current_user.is_authenticated:
        if current_user.is_victim and found.kind == "victim":
            return redirect(url_for("auth.add_case"))
        return render_template("auth/invitation_signed_in.html")
    return redirect(url_for("auth.setup_password"))


def _setup_state() -> tuple[Any, Any] | None:
    """The open invitation and the account being set up (after the password step)."""
    invitation = account_setup.get_open(db.session, session.get(INVITATION))
    if invitation is None:
        return None
    user = account_setup.user_for(db.session, invitation)
    if user is None or session.get(SETUP_USER) != user.id:
        return None
    return invitation, user


@bp.route("/create-account", methods=["GET", "POST"])
@auth_limit
def setup_password() -> str | Response | tuple[str, int]:
    invitation = account_setup.get_open(db.session, session.get(INVITATION))
    if invitation is None:
        return _invalid()
    info = account_setup.describe(db.session, invitation)
    if info.has_other_account:
        return render_template("auth/setup_existing_account.html")
    if info.asks_current_password:
        return _recovery_password(invitation, info)
    form = NewPasswordForm(ask_email=not info.email)
    if form.validate_on_submit():
        try:
            user = account_setup.set_password(
                db.session, invitation, form.password.data or "", email=form.email.data
            )
        except InvitationError:
            form.email.errors = [_("You cannot use this email address. Enter a different one.")]
        except PasswordProblem:
            form.password.errors = [_("Choose a different password")]
        else:
            return _password_done(user)
    return render_template("auth/setup_password.html", form=form, info=info)


def _recovery_password(invitation: Any, info: Any) -> str | Response:
    """A recovery link, for someone who still knows their password: they enter it before setting up a new
    second factor, so the link alone (read by someone else in a shared inbox) is not enough."""
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        user = account_setup.confirm_current_password(db.session, invitation, form.password.data or "")
        if user is not None:
            return _password_done(user)
        if account_setup.get_open(db.session, invitation.id) is None:  # locked: the link has ended
            session.pop(INVITATION, None)
            return redirect(url_for("auth.setup_password"))
        form.password.errors.append(_("Your password is wrong. Check it and try again."))
    return render_template("auth/setup_current_password.html", form=form, info=info)


def _password_done(user: Any) -> Response:
    session[SETUP_USER] = user.id
    session.pop(SETUP_METHOD, None)
    if must_use_totp(user.role):
        mfa.begin_totp_set_up(user)
        return redirect(url_for("auth.setup_app"))
    return redirect(url_for("auth.setup_method"))


def method_choices(user: Any, *, code_to_channel_on_record: bool = False) -> list[SelectChoice]:
    """The second factors this person may set up. After a recovery where the password was forgotten too,
    only a code to a phone number or email address on record (an app would prove nothing)."""
    labels = {
        mfa.SMS: _(
            "Text message to your mobile phone number ending in %(end)s",
            end=mfa.masked_destination(user, mfa.SMS),
        ),
        mfa.EMAIL: _("Email to %(email)s", email=mfa.masked_destination(user, mfa.EMAIL)),
        mfa.TOTP: _("An authenticator app on your phone or computer"),
    }
    methods = mfa.allowed_methods(user)
    if code_to_channel_on_record and not must_use_totp(user.role):
        methods = tuple(m for m in methods if m != mfa.TOTP)
    return [SelectChoice(method, labels[method]) for method in methods]


@bp.route("/create-account/security-codes", methods=["GET", "POST"])
@auth_limit
def setup_method() -> str | Response | tuple[str, int]:
    state = _setup_state()
    if state is None:
        return _invalid()
    invitation, user = state
    form = ChooseMethodForm()
    info = account_setup.describe(db.session, invitation)
    form.method.choices = method_choices(user, code_to_channel_on_record=info.code_to_channel_on_record)
    if form.validate_on_submit():
        method = form.method.data
        if method == mfa.TOTP:
            mfa.begin_totp_set_up(user)
            return redirect(url_for("auth.setup_app"))
        session[SETUP_METHOD] = method
        mfa.issue_code(db.session, user, mfa.SET_UP, method)
        return redirect(url_for("auth.setup_code"))
    return render_template("auth/setup_method.html", form=form)


def _finish(invitation: Any, user: Any) -> Response:
    account_setup.finish(db.session, invitation, user)
    for key in (INVITATION, SETUP_USER, SETUP_METHOD):
        session.pop(key, None)
    signed_in = sign_in_now(user.id)
    session.pop(INVITATION, None)
    flash(_("Your account is set up."), "success")
    return redirect(after_sign_in(signed_in, None))


def _wrong_set_up_code(invitation: Any, user: Any, page: str) -> Response | None:
    """Count a wrong code on the server. When it ended the invitation (or locked the account) a redirect
    to `page`, which then says the link does not work: not the 404 itself, since the request must
    succeed for the count to be saved."""
    wrong = account_setup.record_wrong_code(
        db.session, invitation, user, purpose=mfa.SET_UP, during="setting up an account"
    )
    if wrong.invitation_ended or wrong.account_locked:
        for key in (INVITATION, SETUP_USER, SETUP_METHOD):
            session.pop(key, None)
        return redirect(url_for(page))
    return None


@bp.route("/create-account/authenticator-app", methods=["GET", "POST"])
@auth_limit
def setup_app() -> str | Response | tuple[str, int]:
    state = _setup_state()
    if state is None:
        return _invalid()
    invitation, user = state
    if not user.totp_pending_secret:
        return redirect(url_for("auth.setup_method"))
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.confirm_totp_set_up(user, form.code.data or ""):
            return _finish(invitation, user)
        ended = _wrong_set_up_code(invitation, user, "auth.setup_app")
        if ended is not None:
            return ended
        form.code.errors.append(_("The code is wrong. Check the code in your app and try again."))
    secret = user.totp_pending_secret
    return render_template(
        "auth/setup_app.html",
        form=form,
        qr_svg=mfa.qr_code_svg(mfa.provisioning_uri(secret, user.email)),
        secret=mfa.grouped_secret(secret),
    )


@bp.route("/create-account/confirm-code", methods=["GET", "POST"])
@auth_limit
def setup_code() -> str | Response | tuple[str, int]:
    state = _setup_state()
    method = session.get(SETUP_METHOD)
    if state is None or method not in (mfa.SMS, mfa.EMAIL):
        return _invalid()
    invitation, user = state
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.confirm_code_set_up(db.session, user, method, form.code.data or ""):
            return _finish(invitation, user)
        ended = _wrong_set_up_code(invitation, user, "auth.setup_code")
        if ended is not None:
            return ended
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return set_up_code_page(form, method, mfa.masked_destination(user, method), "auth.setup_code_resend")


@bp.route("/create-account/confirm-code/resend", methods=["POST"])
@auth_limit
def setup_code_resend() -> Response | tuple[str, int]:
    state = _setup_state()
    method = session.get(SETUP_METHOD)
    form = ContinueForm()
    if state is None or method not in (mfa.SMS, mfa.EMAIL) or not form.validate_on_submit():
        return _invalid()
    mfa.issue_code(db.session, state[1], mfa.SET_UP, method)
    flash(_("We have sent you a new security code."), "success")
    return redirect(url_for("auth.setup_code"))


def _add_case_invitation() -> Any | None:
    invitation = account_setup.get_open(db.session, session.get(INVITATION))
    return invitation if invitation is not None and invitation.kind == "victim" else None


@bp.route("/invitation/add-case", methods=["GET", "POST"])
@auth_limit
@role_required(VICTIM)
def add_case() -> str | Response | tuple[str, int]:
    """A victim with an account accepts an invitation for a new case while signed in: first a code is
    sent to where the invitation went (nothing is added on this page)."""
    invitation = _add_case_invitation()
    if invitation is None:
        return _invalid()
    where = account_setup.invited_destination(invitation)
    form = ContinueForm()
    if where is not None and form.validate_on_submit():
        account_setup.send_case_code(db.session, current_user.actor, invitation.id)
        session[ADD_CASE_SENT] = invitation.id
        return redirect(url_for("auth.add_case_code"))
    return render_template("auth/add_case.html", form=form, where=where)


@bp.route("/invitation/add-case/confirm-code", methods=["GET", "POST"])
@auth_limit
@role_required(VICTIM)
def add_case_code() -> str | Response | tuple[str, int]:
    invitation = _add_case_invitation()
    where = account_setup.invited_destination(invitation) if invitation is not None else None
    if invitation is None or where is None or session.get(ADD_CASE_SENT) != invitation.id:
        return _invalid()
    form = CodeForm()
    if form.validate_on_submit():
        outcome = account_setup.accept_case(
            db.session, current_user.actor, invitation.id, form.code.data or ""
        )
        if outcome.added:
            session.pop(INVITATION, None)
            session.pop(ADD_CASE_SENT, None)
            flash(_("The case has been added to your account."), "success")
            return redirect(url_for("victim.cases"))
        if outcome.invitation_ended or outcome.account_locked:
            # A redirect, not the 404 itself: the request must succeed for the count to be saved. A locked
            # account's sessions have all ended, this one too.
            session.pop(ADD_CASE_SENT, None)
            return redirect(url_for("auth.add_case_code"))
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return set_up_code_page(form, where.channel, where.masked, "auth.add_case_code_resend")


def set_up_code_page(form: CodeForm, method: str, masked: str, resend_endpoint: str) -> str:
    """The security code page while a code is being set up or confirmed (a new account, a case added, a
    GOV.UK One Login linked): the code went to `masked` by `method`; "Send a new code" posts to
    `resend_endpoint`."""
    return render_template(
        "auth/security_code.html",
        form=form,
        method=method,
        masked=masked,
        resend_form=ContinueForm(),
        resend_url=url_for(resend_endpoint),
        setting_up=True,
    )


@bp.route("/invitation/add-case/confirm-code/resend", methods=["POST"])
@auth_limit
@role_required(VICTIM)
def add_case_code_resend() -> Response | tuple[str, int]:
    invitation = _add_case_invitation()
    form = ContinueForm()
    if (
        invitation is None
        or account_setup.invited_destination(invitation) is None
        or session.get(ADD_CASE_SENT) != invitation.id
        or not form.validate_on_submit()
    ):
        return _invalid()
    account_setup.send_case_code(db.session, current_user.actor, invitation.id)
    flash(_("We have sent you a new security code."), "success")
    return redirect(url_for("auth.add_case_code"))
