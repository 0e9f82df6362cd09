"""Request plumbing shared by every blueprint: request ids, one transaction per request, security
headers, error pages, static assets, health and the signed-in user."""

from __future__ import annotations

import logging
import secrets
import uuid

from flask import Flask, Response, g, jsonify, render_template, request, send_from_directory
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.config import PROJECT_ROOT
from portal.extensions import db, login_manager
from portal.services import accounts

log = logging.getLogger(__name__)

ASSETS_DIR = PROJECT_ROOT / "static" / "assets"


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = ""
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_user_id: str) -> accounts.SignedInUser | None:
        return accounts.load_signed_in_user(db.session, session_user_id)

    @app.before_request
    def _start_request() -> None:
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def _finish_request(response: Response) -> Response:
        if response.status_code < 400:
            try:
                db.commit_request()
            except (OperationalError, DBAPIError):
                log.exception("commit failed")
                return _database_unavailable()
        _add_security_headers(app, response)
        return response

    @app.context_processor
    def _template_globals() -> dict[str, object]:
        return {"csp_nonce": g.get("csp_nonce", ""), "request_id": g.get("request_id", "")}

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
    def _http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = {
            404: "errors/404.html",
            403: "errors/403.html",
            413: "errors/413.html",
            429: "errors/429.html",
        }.get(code, "errors/generic.html")
        return render_template(template, code=code, title=error.name), code

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
    # Render as signed out: loading the user would need the database that has just failed.
    g._login_user = AnonymousUserMixin()
    try:
        body = render_template("errors/503.html", code=503)
    except Exception:  # noqa: BLE001 - the page must render even if something else is broken
        body = _("Sorry, the service is unavailable. Try again later.")
    response = Response(body, status=503)
    response.headers["Retry-After"] = "30"
    return response


def _add_security_headers(app: Flask, response: Response) -> None:
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
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if not request.path.startswith(("/assets/", "/static/")):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
