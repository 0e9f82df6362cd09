"""Errors in GOV.UK Notify's shape, for every response under /api: never an HTML page.

{"status_code": 400, "errors": [{"error": "ValidationError", "message": "updates[2].type: ..."}]}
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from portal.extensions import limiter
from portal.web.json_errors import notify_error

log = logging.getLogger(__name__)

ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthError",
    403: "AuthError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    409: "ConflictError",
    413: "RequestTooLargeError",
    415: "UnsupportedMediaTypeError",
    429: "RateLimitError",
    500: "ServerError",
    503: "ServiceUnavailableError",
}

MESSAGES = {
    404: "Not found: no such resource, or it is outside what this API client can see",
    405: "Method not allowed for this path",
    413: "Request body too large: the limit is {limit} bytes",
    415: "Content-Type must be application/json",
    429: "Exceeded rate limit for this API client: {limit}",
    500: "Internal server error. Quote the request id {request_id} if you report it",
    503: "Service unavailable. Try again later",
}


def error_response(status: int, messages: Iterable[str], error: str | None = None) -> Response:
    return notify_error(status, error or ERROR_NAMES.get(status, "Error"), messages)


def _retry_after() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 429:
        response = error_response(429, [MESSAGES[429].format(limit=error.description)])
        response.headers["Retry-After"] = str(_retry_after())
        return response
    if status == 413:
        return error_response(413, [MESSAGES[413].format(limit=current_app.config.get("MAX_CONTENT_LENGTH"))])
    if status in MESSAGES:
        response = error_response(status, [MESSAGES[status].format(request_id=_request_id())])
    else:
        response = error_response(status, [error.description or error.name])
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _request_id() -> str:
    from flask import g

    return str(g.get("request_id", ""))


def unexpected_error(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return http_error(error)
    if isinstance(error, OperationalError | DBAPIError):
        log.error("database unavailable during an API call: %s", type(error).__name__)
        response = error_response(503, [MESSAGES[503]])
        response.headers["Retry-After"] = "30"
        return response
    log.exception("unexpected error in an API call, request id %s", _request_id())
    return error_response(500, [MESSAGES[500].format(request_id=_request_id())])


def register(bp: Blueprint) -> None:
    bp.register_error_handler(HTTPException, http_error)
    bp.register_error_handler(Exception, unexpected_error)


def unknown_path(path: str) -> Response:
    """Paths under /api that match no route: 405 if another method would match, otherwise 404."""
    adapter = current_app.url_map.bind("localhost")
    allowed = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        if endpoint != request.endpoint:
            allowed.add(method)
    if allowed and request.method not in allowed:
        error = MethodNotAllowed(valid_methods=sorted(allowed))
        return http_error(error)
    return error_response(404, [MESSAGES[404]])
