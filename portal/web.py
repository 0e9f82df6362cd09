"""Request plumbing shared by every blueprint: request ids, one transaction per request, security
headers, session cookies and time limits, log redaction, error pages, static assets, health and the
signed-in user."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from flask import (
    Flask,
    Response,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, logout_user
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.config import PROJECT_ROOT
from portal.extensions import db, login_manager
from portal.services.accounts import sessions
from portal.services.accounts import users as accounts
from portal.services.common.redaction import install_log_redaction

log = logging.getLogger(__name__)

ASSETS_DIR = PROJECT_ROOT / "static" / "assets"
# Requests that never touch the signed-in session (and must work when the database is down).
_SESSIONLESS_ENDPOINTS = frozenset({"static", "assets", "status", "auth.exit"})
_SESSIONLESS_BLUEPRINTS = frozenset({"api", "api_fallback", "receipts"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_SECRET_FIELD = re.compile(r"password|code|token|secret", re.I)


def configure_cookies(app: Flask) -> None:
    """HttpOnly, SameSite=Lax, and Secure with the __Host- prefix when served over HTTPS. No remember-me."""
    secure = bool(app.config.get("SECURE_COOKIES"))
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["SESSION_COOKIE_NAME"] = "__Host-session" if secure else "session"
    app.config["SESSION_COOKIE_DOMAIN"] = None
    app.config["SESSION_COOKIE_PATH"] = "/"
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    # Flask-Login's remember-me cookie is never set (login_user is never called with remember=True);
    # should it ever be, it is locked down the same way and lasts no time at all.
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_DURATION"] = 0
    # Referrer-Policy: no-referrer means browsers send no Referer, so Flask-WTF's HTTPS Referer check
    # would refuse every form. The CSRF token (and SameSite=Lax) protect the forms instead.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)


def _request_secrets() -> Iterable[str]:
    """Values of the current request that must never reach a log: passwords, codes and tokens."""
    if not has_request_context():
        return ()
    return g.get("redact_values", ())


def init_app(app: Flask) -> None:
    configure_cookies(app)
    install_log_redaction(_request_secrets)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = ""
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_user_id: str) -> accounts.SignedInUser | None:
        return accounts.load_signed_in_user(db.session, session_user_id)

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

    # First of all before_request hooks (CSRFProtect's included), so even a refused request has a
    # request id and a CSP nonce.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.before_request
    def _enforce_session_limits() -> Response | None:
        if request.endpoint in _SESSIONLESS_ENDPOINTS or request.blueprint in _SESSIONLESS_BLUEPRINTS:
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
                response = _database_unavailable()
        _add_security_headers(response)
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

    @app.route("/assets/<path:filename>")
    def assets(filename: str) -> Response:
        # GOV.UK Frontend's CSS refers to /assets/fonts and /assets/images.
        response = send_from_directory(ASSETS_DIR, filename, max_age=86400)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @app.route("/_status")
    def status() -> tuple[Response, int]:
        try:
            db.session.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError):
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok"), 200

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        code = error.code or 500
        template = {
            404: "errors/404.html",
            403: "errors/403.html",
            413: "errors/413.html",
            429: "errors/429.html",
        }.get(code, "errors/generic.html")
        response = Response(render_template(template, code=code, title=error.name), status=code)
        if code == 429:
            response.headers.setdefault("Retry-After", "60")
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _db_error(error: Exception) -> Response:
        log.error("database unavailable: %s", type(error).__name__)
        return _database_unavailable()

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unexpected error, request id %s", g.get("request_id"))
        return render_template("errors/500.html", code=500), 500


def _database_unavailable() -> Response:
    if request.path.startswith(("/api/", "/notifications/")):
        # Machine callers get Notify-shaped JSON, never an HTML page.
        response = jsonify(
            status_code=503,
            errors=[
                {"error": "ServiceUnavailable", "message": "The database is unavailable; try again later"}
            ],
        )
        response.status_code = 503
        response.headers["Retry-After"] = "30"
        return response
    # Render as signed out: loading the user would need the database that has just failed.
    g._login_user = AnonymousUserMixin()
    try:
        body = render_template("errors/503.html", code=503)
    except Exception:  # noqa: BLE001 - the page must render even if something else is broken
        body = _("Sorry, the service is unavailable. Try again later.")
    response = Response(body, status=503)
    response.headers["Retry-After"] = "30"
    return response


def _add_security_headers(response: Response) -> None:
    """SECURITY.md item 8, on every response (tests walk the whole url_map)."""
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'"
    )
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if not request.path.startswith(("/assets/", "/static/")):
        # Signed-in pages, and every other page, are never stored: Back after leaving shows nothing.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.vary.add("Cookie")
