"""Errors for machine callers (agency systems, GOV.UK Notify's receipts) in GOV.UK Notify's shape:

{"status_code": 400, "errors": [{"error": "ValidationError", "message": "updates[2].type: ..."}]}
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, jsonify


def notify_error(status: int, error: str, messages: Iterable[str]) -> Response:
    """A Notify-shaped JSON error response with one entry per message."""
    response = jsonify({"status_code": status, "errors": [{"error": error, "message": m} for m in messages]})
    response.status_code = status
    return response
