"""What happens around every request: a request id and a CSP nonce, secrets kept out of logs, the
signed-in user, session time limits, one transaction committed at the end, and the security headers."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, redirect, request, session, url_for
from flask_login import logout_user
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.wrappers import Response as BaseResponse

from portal.extensions import db, login_manager
from portal.services.accounts import sessions
from portal.services.accounts import users as accounts
from portal.services.common.redaction import install_log_redaction
from portal.web.errors import database_unavailable
from portal.web.headers import add_security_headers

log = logging.getLogger(__name__)

# Requests that never touch the signed-in session (and must work when the database is down).
SESSIONLESS_ENDPOINTS = frozenset({"static", "assets", "status", "auth.exit"})
SESSIONLESS_BLUEPRINTS = frozenset({"api", "api_fallback", "receipts"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_SECRET_FIELD = re.compile(r"password|code|token|secret", re.I)


def _request_secrets() -> Iterable[str]:
    """Values of the current request that must never reach a log: passwords, codes and tokens."""
    if not has_request_context():
        return ()
    return g.get("redact_values", ())


def _start_request() -> None:
    supplied = request.headers.get("X-Request-Id", "")
    g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
    g.csp_nonce = secrets.token_urlsafe(16)
    values = [str(v) for k, v in (request.view_args or {}).items() if _SECRET_FIELD.search(k)]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += [v for k, v in request.form.items() if _SECRET_FIELD.search(k) and k != "csrf_token"]
    g.redact_values = [v for v in values if v]


def init_app(app: Flask) -> None:
    install_log_redaction(_request_secrets)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = ""
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_user_id: str) -> accounts.SignedInUser | None:
        return accounts.load_signed_in_user(db.session, session_user_id)

    # First of all before_request hooks (CSRFProtect's included), so even a refused request has a
    # request id and a CSP nonce.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.before_request
    def _enforce_session_limits() -> BaseResponse | None:
        if request.endpoint in SESSIONLESS_ENDPOINTS or request.blueprint in SESSIONLESS_BLUEPRINTS:
            return None
        if "_user_id" not in session:
            return None
        if sessions.expired(session):
            sessions.record_time_out(db.session, session)
            logout_user()
            session.clear()
            return redirect(url_for("auth.timed_out"))
        sessions.touch(session)
        return None

    @app.after_request
    def _finish_request(response: Response) -> Response:
        if response.status_code < 400:
            try:
                db.commit_request()
            except (OperationalError, DBAPIError):
                log.exception("commit failed")
                response = database_unavailable()
        add_security_headers(response)
        return response

    @app.context_processor
    def _template_globals() -> dict[str, object]:
        ends = sessions.ends_at(session) if "_user_id" in session else None
        limits = sessions.limits_for(session.get(sessions.ROLE))
        return {
            "csp_nonce": g.get("csp_nonce", ""),
            "request_id": g.get("request_id", ""),
            "session_ends_at": datetime.fromtimestamp(ends, UTC) if ends else None,
            "session_remaining_seconds": max(ends - sessions.now(), 0) if ends else None,
            "session_idle_minutes": limits.idle_seconds // 60,
            "session_warning_seconds": limits.warning_seconds,
        }
