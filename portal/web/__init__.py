"""What every blueprint shares: request plumbing (`requests`), security headers and cookies (`headers`),
error pages and the 404 for anything out of scope (`errors`), assets and health (`health`), page guards
(`guards`), shared forms (`forms`) and Notify-shaped JSON errors (`json_errors`)."""

from __future__ import annotations

from flask import Flask

from portal.web import errors, headers, health, language, requests


def init_app(app: Flask) -> None:
    headers.configure_cookies(app)
    requests.init_app(app)
    health.init_app(app)
    errors.init_app(app)
    language.init_app(app)
