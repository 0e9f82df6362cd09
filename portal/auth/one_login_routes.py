"""Signing in with GOV.UK One Login (victims only, and only when One Login is configured: otherwise every
route here answers 404 and no page offers it).

- `POST /one-login/sign-in` sends the person to One Login, keeping `state`, `nonce` and where to go next
  in the session (keys `one_login_*`).
- `GET /one-login/callback` takes both out of the session before anything else (a replayed callback finds
  none), then signs in the victim whose account is linked to the One Login; or, holding an open victim
  invitation (or a victim's recovery link that may link one: one_login_accounts.linkable_invitation), asks
  them to confirm linking it (`/one-login/link`); or says no account is linked.
- Through a recovery link the One Login is linked only after a security code sent to a channel on record
  for the account (as on the link's password route): the person chooses the channel if there are two
  (`/one-login/link/security-code`) and enters the code (`/one-login/link/confirm-code`). Wrong codes are
  counted on the server (one_login_accounts.link_recovery); when the link ends, so does the pending link.
- `POST /one-login/back-channel-logout` is One Login telling us a person's session there ended: every
  portal session of the linked account ends. Signing out here (portal/auth/routes.py) sends the person on
  to One Login's end-session page, which comes back to /signed-out.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth import bp
from portal.auth.forms import ChooseMethodForm
from portal.auth.routes import (
    ONE_LOGIN_ID_TOKEN,
    SIGN_IN_AGAIN,
    after_sign_in,
    auth_limit,
    home_for,
    safe_next,
    sign_in_now,
)
from portal.auth.setup_routes import INVITATION, SETUP_METHOD, SETUP_USER, method_choices, set_up_code_page
from portal.extensions import csrf, db, limiter
from portal.services.accounts import mfa, one_login, one_login_sessions, sessions
from portal.services.accounts import one_login_accounts as linking
from portal.services.accounts.setup import SetUp
from portal.web.forms import CodeForm, ContinueForm

log = logging.getLogger(__name__)

STATE = "one_login_state"
NONCE = "one_login_nonce"
NEXT = "one_login_next"
# The One Login a person with an open invitation signed in with, until they confirm the link.
PENDING_LINK = "one_login_pending_link"
PENDING_LINK_SECONDS = 15 * 60
# In the pending link, through a recovery link: the check page was confirmed, and where the code went.
CONFIRMED = "confirmed"
CODE_CHANNEL = "channel"
DEFAULT_LOGOUT_LIMIT = "300 per minute"


def _settings() -> one_login.Settings:
    found = one_login.settings(current_app.config)
    if found is None:
        abort(404)
    return found


@bp.app_template_global()
def one_login_offered() -> bool:
    """Whether the sign-in and invitation pages offer GOV.UK One Login (it is configured)."""
    return one_login.settings_given(current_app.config)


@bp.app_template_global()
def one_login_offered_for(info: SetUp) -> bool:
    """Whether an invitation's first page offers GOV.UK One Login: a victim's invitation before a
    password is chosen through it, or a victim's recovery link that may link one to their account."""
    if not one_login_offered():
        return False
    if info.kind == "victim":
        return not info.user_id
    return linking.linkable_invitation(db.session, info.invitation_id) is not None


@bp.route("/one-login/sign-in", methods=["POST"])
@auth_limit
def one_login_sign_in() -> Response | tuple[str, int]:
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = ContinueForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.sign_in"))
    try:
        authorisation = one_login.begin(settings, language=str(get_locale() or "en"))
    except one_login.OneLoginError as error:
        return _refused(error)
    session[STATE] = authorisation.state
    session[NONCE] = authorisation.nonce
    session[NEXT] = safe_next(request.args.get("next"))
    return redirect(authorisation.url, code=303)


def _refused(error: one_login.OneLoginError) -> Response | tuple[str, int]:
    """ "denied": back to the sign-in page; "unavailable": a 503; anything else: a 400, audited (SIGN_IN_FAILED
    with the reason, never the token)."""
    if error.reason == "denied":
        flash(_("You did not finish signing in with GOV.UK One Login. You can try again."), "important")
        return redirect(url_for("auth.sign_in"))
    log.warning("GOV.UK One Login sign-in refused: %s", error.reason)
    if error.reason == "unavailable":
        return render_template("auth/one_login_unavailable.html"), 503
    # An error answer rolls the request's transaction back, so the failure is audited in its own (as a
    # refused agency API call is): a wrong state or nonce, a forged or replayed token may be an attack.
    try:
        with db.job() as unit:
            linking.record_failed_callback(unit, error.reason)
    except Exception:  # the page still answers: the refusal is in the log above
        log.exception("could not audit a refused GOV.UK One Login sign-in")
    return render_template("auth/one_login_failed.html"), 400


@bp.route("/one-login/callback")
@auth_limit
def one_login_callback() -> str | Response | tuple[str, int]:
    settings = _settings()
    # Out of the session first: whatever happens next, this state and nonce cannot be used again.
    state = session.pop(STATE, None)
    nonce = session.pop(NONCE, None)
    next_url = session.pop(NEXT, None)
    try:
        identity = one_login.finish(
            settings, params=request.args.to_dict(), expected_state=state, expected_nonce=nonce
        )
    except one_login.OneLoginError as error:
        return _refused(error)
    found = linking.find_user(db.session, identity.subject)
    if found.user_id is not None and linking.signed_in_there_before_exit(
        db.session, found.user_id, identity.auth_time
    ):
        return _sign_in_there_again(settings, found.user_id, identity)
    if found.user_id is not None:
        linking.record_sign_in(db.session, found.user_id, identity.subject)
        signed_in = sign_in_now(found.user_id)
        session[ONE_LOGIN_ID_TOKEN] = identity.id_token
        return redirect(after_sign_in(signed_in, next_url))
    if found.refused is not None:
        # A page that succeeds (200), as at the password sign-in, so the audited refusal is kept.
        linking.record_refusal(db.session, found, identity.subject)
        return render_template("auth/one_login_failed.html", refused=found.refused)
    if linking.linkable_invitation(db.session, session.get(INVITATION)) is not None:
        session[PENDING_LINK] = {
            "sub": identity.subject,
            "email": identity.email,
            "phone": identity.phone_number,
            "verified": identity.email_verified,
            "id_token": identity.id_token,
            "at": sessions.now(),
        }
        return redirect(url_for("auth.one_login_link"))
    return render_template("auth/one_login_no_account.html")


def _sign_in_there_again(
    settings: one_login.Settings, user_id: int, identity: one_login.Identity
) -> Response:
    """One Login's session is from before the victim last used "Exit this page": not signed in here. They
    go on to One Login's end-session page (its session ends), which sends them back to /signed-out,
    where they are asked to sign in again: One Login then asks for their details."""
    linking.record_stale_session(db.session, user_id)
    session[SIGN_IN_AGAIN] = True
    try:
        url = one_login.end_session_url(
            settings, id_token_hint=identity.id_token, state=secrets.token_urlsafe(16)
        )
    except one_login.OneLoginError:
        url = None
    return redirect(url or url_for("auth.signed_out"), code=303)


def _pending_link() -> dict[str, Any] | None:
    value = session.get(PENDING_LINK)
    if not isinstance(value, dict) or sessions.now() - int(value.get("at", 0)) > PENDING_LINK_SECONDS:
        return None
    return value


@bp.route("/one-login/link", methods=["GET", "POST"])
@auth_limit
def one_login_link() -> str | Response | tuple[str, int]:
    _settings()
    pending = _pending_link()
    invitation = linking.linkable_invitation(db.session, session.get(INVITATION))
    if pending is None or invitation is None:
        session.pop(PENDING_LINK, None)
        return render_template("auth/invitation_invalid.html"), 404
    details = {
        "subject": pending["sub"],
        "email": pending.get("email"),
        "email_verified": pending["verified"],
    }
    plan = linking.plan_link(db.session, invitation, **details)
    if plan.problem == "email-taken":
        return render_template("auth/one_login_email_taken.html"), 409
    if plan.problem is not None:
        return render_template("auth/one_login_failed.html"), 400
    recovery = invitation.kind == "recovery"
    form = ContinueForm()
    if form.validate_on_submit():
        if recovery:  # linked only after a security code to a channel on record
            return _code_after_check({**pending, CONFIRMED: True}, invitation.id)
        try:
            user_id = linking.link_invitation(db.session, invitation.id, **details)
        except linking.LinkError as error:
            return _link_refused(error)
        return _linked(user_id, pending, recovery=False)
    return render_template(
        "auth/one_login_link.html",
        form=form,
        recovery=recovery,
        one_login_email=pending.get("email"),
        one_login_phone=pending.get("phone"),
        account_email=plan.email,
    )


def _link_refused(error: linking.LinkError) -> tuple[str, int]:
    if error.code == "email-taken":
        return render_template("auth/one_login_email_taken.html"), 409
    return render_template("auth/one_login_failed.html"), 400


def _linked(user_id: int, pending: dict[str, Any], *, recovery: bool) -> Response:
    """The One Login is linked: sign the person in to a new session, the link used up."""
    linking.record_sign_in(db.session, user_id, pending["sub"])
    for key in (PENDING_LINK, INVITATION, SETUP_USER, SETUP_METHOD):
        session.pop(key, None)
    signed_in = sign_in_now(user_id)
    session.pop(INVITATION, None)  # carried over by the new session: the link is used up
    session[ONE_LOGIN_ID_TOKEN] = pending["id_token"]
    if recovery:
        flash(_("Your GOV.UK One Login is linked to your account."), "success")
    else:
        flash(_("Your account is set up."), "success")
    return redirect(after_sign_in(signed_in, None))


def _recovery_state() -> tuple[dict[str, Any], int, Any] | None:
    """Through an open recovery link whose check page was confirmed: the pending One Login, the link's id
    and the account it would be linked to. None (and the pending One Login dropped) otherwise."""
    pending = _pending_link()
    invitation = linking.linkable_invitation(db.session, session.get(INVITATION))
    user = linking.recovering_user(db.session, invitation.id) if invitation is not None else None
    if pending is None or invitation is None or user is None:
        session.pop(PENDING_LINK, None)
        return None
    return (pending, invitation.id, user) if pending.get(CONFIRMED) else None


def _code_after_check(pending: dict[str, Any], invitation_id: int) -> Response:
    """The check page confirmed: the code goes to the one channel on record, or the person chooses."""
    session[PENDING_LINK] = pending
    user = linking.recovering_user(db.session, invitation_id)
    channels = linking.code_channels(user) if user is not None else ()
    if len(channels) == 1:
        return _send_code(pending, invitation_id, channels[0])
    return redirect(url_for("auth.one_login_link_channel"))


def _send_code(pending: dict[str, Any], invitation_id: int, channel: str) -> Response:
    linking.send_recovery_code(db.session, invitation_id, channel)
    session[PENDING_LINK] = {**pending, CODE_CHANNEL: channel}
    return redirect(url_for("auth.one_login_link_code"))


@bp.route("/one-login/link/security-code", methods=["GET", "POST"])
@auth_limit
def one_login_link_channel() -> str | Response | tuple[str, int]:
    """Through a recovery link with two channels on record: which one the security code goes to (the
    choice the link's password route offers)."""
    _settings()
    state = _recovery_state()
    if state is None:
        return render_template("auth/invitation_invalid.html"), 404
    pending, invitation_id, user = state
    channels = linking.code_channels(user)
    if len(channels) < 2:
        return redirect(url_for("auth.one_login_link"))
    form = ChooseMethodForm()
    form.method.choices = method_choices(user, code_to_channel_on_record=True)
    if form.validate_on_submit() and form.method.data in channels:
        return _send_code(pending, invitation_id, str(form.method.data))
    return render_template(
        "auth/setup_method.html",
        form=form,
        method_question=_("How do you want to get a security code?"),
        method_hint=_(
            "Before we link your GOV.UK One Login, we need to check it is you. We will send a security code "
            "to a phone number or email address we already have for you."
        ),
    )


def _code_state() -> tuple[dict[str, Any], int, Any, str] | None:
    state = _recovery_state()
    channel = state[0].get(CODE_CHANNEL) if state is not None else None
    if state is None or channel not in linking.code_channels(state[2]):
        return None
    return (*state, str(channel))


@bp.route("/one-login/link/confirm-code", methods=["GET", "POST"])
@auth_limit
def one_login_link_code() -> str | Response | tuple[str, int]:
    """Through a recovery link: the security code sent to a channel on record; the One Login is linked
    only after the right one."""
    _settings()
    state = _code_state()
    if state is None:
        return render_template("auth/invitation_invalid.html"), 404
    pending, invitation_id, user, channel = state
    form = CodeForm()
    if form.validate_on_submit():
        try:
            outcome = linking.link_recovery(
                db.session,
                invitation_id,
                subject=pending["sub"],
                email=pending.get("email"),
                email_verified=pending["verified"],
                channel=channel,
                code=form.code.data or "",
            )
        except linking.LinkError as error:
            return _link_refused(error)
        if outcome.user_id is not None:
            return _linked(outcome.user_id, pending, recovery=True)
        if outcome.invitation_ended or outcome.account_locked:
            # A redirect, not the 404 itself: the request must succeed for the count to be saved.
            for key in (PENDING_LINK, INVITATION, SETUP_USER, SETUP_METHOD):
                session.pop(key, None)
            return redirect(url_for("auth.one_login_link_code"))
        form.code.errors.append(_("The security code is wrong or has expired. Check it and try again."))
    return set_up_code_page(
        form, channel, mfa.masked_destination(user, channel), "auth.one_login_link_code_resend"
    )


@bp.route("/one-login/link/confirm-code/resend", methods=["POST"])
@auth_limit
def one_login_link_code_resend() -> Response | tuple[str, int]:
    _settings()
    state = _code_state()
    form = ContinueForm()
    if state is None or not form.validate_on_submit():
        return render_template("auth/invitation_invalid.html"), 404
    _pending, invitation_id, _user, channel = state
    linking.send_recovery_code(db.session, invitation_id, channel)
    flash(_("We have sent you a new security code."), "success")
    return redirect(url_for("auth.one_login_link_code"))


def _logout_limit() -> str:
    return str(current_app.config.get("ONE_LOGIN_LOGOUT_RATE_LIMIT") or DEFAULT_LOGOUT_LIMIT)


@bp.route("/one-login/back-channel-logout", methods=["POST"])
@csrf.exempt
@limiter.limit(_logout_limit, scope="one-login-logout")
def one_login_back_channel_logout() -> tuple[Response | str, int]:
    """OpenID Connect Back-Channel Logout 1.0: One Login posts a signed logout token (form field
    `logout_token`); every portal session of the account linked to its subject ends. 200 with an empty
    body when done (or nothing to do); 400 with {"error": "invalid_request"} for a token that is not
    sound or was acted on before."""
    settings = _settings()
    token = request.form.get("logout_token", "")
    try:
        notice = one_login.logout_notice(settings, token)
    except one_login.OneLoginError as error:
        log.warning("GOV.UK One Login logout token refused: %s", error.reason)
        if error.reason == "unavailable":
            return jsonify(error="temporarily_unavailable"), 503
        return jsonify(error="invalid_request"), 400
    try:
        one_login_sessions.end_sessions_for_logout(db.session, notice)
    except one_login_sessions.ReplayedLogoutToken:
        log.warning("GOV.UK One Login logout token refused: replayed")
        return jsonify(error="invalid_request"), 400
    return "", 200
