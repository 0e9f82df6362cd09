"""GOV.UK Frontend's fonts and images at /assets, and the health check at /_status.

`/_status` is 503 only when the database is unreachable (a load balancer then stops sending this process
requests). Otherwise 200, with `status` "ok", or "degraded" when no worker has written its heartbeat
within 30 seconds (workers beat every 10): the web process can still serve, but nothing is being sent.
It also gives the messages waiting to go out and how long the oldest has waited. Counts and times only.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, Response, jsonify, send_from_directory
from sqlalchemy.exc import DBAPIError, OperationalError

from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.services.cases import operations

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
            delivery = operations.delivery(db.session)
        except (OperationalError, DBAPIError):
            return jsonify(status="error", database="unreachable"), 503
        age = delivery.heartbeat_age
        return jsonify(
            status="ok" if delivery.worker_running else "degraded",
            database="ok",
            worker={
                "status": "running" if delivery.worker_running else "stopped",
                "last_heartbeat": _iso(delivery.last_heartbeat),
                "seconds_since_heartbeat": None if age is None else round(age, 1),
            },
            outbox={
                "waiting": delivery.waiting,
                "oldest_waiting_since": _iso(delivery.oldest_waiting_since),
                "oldest_waiting_seconds": round(delivery.oldest_waiting_age, 1),
            },
        ), 200


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
