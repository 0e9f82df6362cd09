"""Error pages: generic, with the request id and never a stack trace (SECURITY.md 10); a 503 page when the
database is down (SECURITY.md 23); and a 404 for anything a service says is out of the actor's scope
(`portal.services.common.errors.NotFound`), so no view needs to catch it."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.services.common.errors import NotFound
from portal.web.json_errors import notify_error

log = logging.getLogger(__name__)

TEMPLATES = {404: "errors/404.html", 403: "errors/403.html", 413: "errors/413.html", 429: "errors/429.html"}


def database_unavailable() -> Response:
    """503: JSON in Notify's shape for machine callers, the GOV.UK page for people."""
    if request.path.startswith(("/api/", "/notifications/")):
        response = notify_error(503, "ServiceUnavailable", ["The database is unavailable; try again later"])
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


def _page(code: int, title: str) -> Response:
    response = Response(
        render_template(TEMPLATES.get(code, "errors/generic.html"), code=code, title=title), status=code
    )
    if code == 429:
        response.headers.setdefault("Retry-After", "60")
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        return _page(error.code or 500, error.name)

    @app.errorhandler(NotFound)
    def _out_of_scope(_error: NotFound) -> Response:
        return _page(404, "Not Found")

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _db_error(error: Exception) -> Response:
        log.error("database unavailable: %s", type(error).__name__)
        return database_unavailable()

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unexpected error, request id %s", g.get("request_id"))
        return render_template("errors/500.html", code=500), 500
