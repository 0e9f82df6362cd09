"""Download your information: after entering their password again (a wrong one counts towards the
lockout like a wrong one at sign-in), a victim downloads everything the portal holds about them as a
web page they can read and as JSON (portal/services/retention/export.py says what is in it), in the
language they read the portal in."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from werkzeug.wrappers import Response as BaseResponse
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.extensions import db, limiter
from portal.services.accounts import sessions
from portal.services.accounts import users as accounts
from portal.services.common import audit
from portal.services.retention import export, export_page
from portal.victim import bp
from portal.web.guards import victim_required

FILE_NAME = "your-information"


def _auth_limit() -> str:
    return str(current_app.config.get("AUTH_RATE_LIMIT") or "30 per minute;300 per hour")


# The same per-IP counter as every other form that checks a password (portal/auth/routes.py).
password_limit = limiter.shared_limit(_auth_limit, scope="auth-forms", methods=["POST"])


class InformationPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your password")),
            Length(max=128, message=_l("Password must be 128 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def _wrong_password() -> BaseResponse | None:
    """Record the wrong password; if it locked the account, sign out (a redirect), else None."""
    audit.record(
        db.session,
        current_user.display_name,
        audit.PASSWORD_CONFIRMED_FAILED,
        actor_user_id=current_user.id,
        subject_victim_id=current_user.victim_id,
    )
    user = accounts.get_user(db.session, current_user.id)
    if user is not None and accounts.is_locked(user):
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
    return None


@bp.route("/account/your-information", methods=["GET", "POST"])
@victim_required
@password_limit
def your_information() -> str | BaseResponse:
    form = InformationPasswordForm()
    if form.validate_on_submit():
        if accounts.check_password(db.session, current_user.id, form.password.data or ""):
            sessions.stamp_password_confirmed(session)
            return redirect(url_for("victim.information_download"))
        signed_out = _wrong_password()
        if signed_out is not None:
            return signed_out
        form.password.errors = [_("Your password is wrong. Check it and try again.")]
    return render_template("victim/information/start.html", form=form)


def _confirmed() -> bool:
    return sessions.password_recently_confirmed(session)


@bp.route("/account/your-information/download")
@victim_required
def information_download() -> str | BaseResponse:
    if not _confirmed():
        return redirect(url_for("victim.your_information"))
    return render_template("victim/information/download.html")


def _attachment(body: str, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{extension}"'
    return response


@bp.route("/account/your-information/your-information.html")
@victim_required
def information_html() -> BaseResponse:
    if not _confirmed():
        return redirect(url_for("victim.your_information"))
    information = export.information_for(db.session, current_user.actor, datetime.now(UTC))
    export.record_download(db.session, current_user.actor, "html")
    body = render_template("victim/information/file.html", info=information, page=export_page.PAGE)
    return _attachment(body, "text/html", "html")


@bp.route("/account/your-information/your-information.json")
@victim_required
def information_json() -> BaseResponse:
    if not _confirmed():
        return redirect(url_for("victim.your_information"))
    information = export.information_for(db.session, current_user.actor, datetime.now(UTC))
    export.record_download(db.session, current_user.actor, "json")
    return _attachment(json.dumps(information, indent=2, ensure_ascii=False), "application/json", "json")
