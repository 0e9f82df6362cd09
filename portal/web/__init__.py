"""What every blueprint shares: request plumbing (`requests`), security headers and cookies (`headers`),
error pages and the 404 for anything out of scope (`errors`), assets and health (`health`), how long
browsers keep the static files (`static_files`), page guards
(`guards`), shared forms (`forms`) and Notify-shaped JSON errors (`json_errors`)."""

from __future__ import annotations

from flask import Flask

from portal.web import errors, headers, health, language, requests, static_files


def init_app(app: Flask) -> None:
    headers.configure_cookies(app)
    requests.init_app(app)
    health.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    language.init_app(app)
