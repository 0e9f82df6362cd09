"""GOV.UK Frontend's fonts and images at /assets, and the health check at /_status."""

from __future__ import annotations

from flask import Flask, Response, jsonify, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from portal.config import PROJECT_ROOT
from portal.extensions import db

ASSETS_DIR = PROJECT_ROOT / "static" / "assets"


def init_app(app: Flask) -> None:
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
