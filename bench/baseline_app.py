"""The baseline: a bare Flask app that returns a static page, served with the same gunicorn settings as
the portal. The bench writes a copy of the measured timeline page to a file and points
BENCH_BASELINE_PAGE at it, so both answer with the same number of bytes; the difference between the two
is everything the portal does per request (session, database, rendering, headers).

    gunicorn ... 'bench.baseline_app:create_app()'
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response


def create_app() -> Flask:
    body = Path(os.environ["BENCH_BASELINE_PAGE"]).read_bytes()
    app = Flask(__name__)

    @app.get("/")
    @app.get("/<path:_path>")
    def page(_path: str = "") -> Response:
        return Response(body, mimetype="text/html")

    return app
