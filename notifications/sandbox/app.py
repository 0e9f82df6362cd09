"""The sandbox's HTTP interface: Notify's v2 API, plus an inbox and fault controls under `/_sandbox/`.

Notify API: `POST /v2/notifications/sms|email|letter`, `GET /v2/notifications/{id}`,
`GET /v2/notifications?reference=&status=&template_type=&older_than=`.
Sandbox: `GET /` (HTML inbox), `GET|DELETE /_sandbox/notifications` (JSON inbox, newest first),
`GET|POST|DELETE /_sandbox/faults`, `POST /_sandbox/notifications/{id}/receipt` (`{"status": ...}`:
set a status and send its receipt now).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from notifications.sandbox.auth import ApiKey, authenticate
from notifications.sandbox.state import Faults, SandboxNotification, SandboxState
from notifications.sandbox.validation import (
    ApiError,
    ValidRequest,
    is_uuid,
    simulated_outcome,
    validate_email,
    validate_letter,
    validate_sms,
)

PAGE_SIZE = 250
_VALIDATORS = {"sms": validate_sms, "email": validate_email, "letter": validate_letter}


def create_sandbox_app(
    api_key: str,
    *,
    callback_url: str | None = None,
    callback_token: str | None = None,
    callback_delay: float = 0.5,
    callback_retries: int = 3,
    callback_retry_delay: float = 2.0,
    rate_limit_per_minute: int = 3000,
    max_notifications: int = 100_000,
    faults: dict[str, Any] | None = None,
    extra_api_keys: tuple[str, ...] = (),
) -> Flask:
    """A Notify-compatible server for `api_key`. Its state is `app.extensions["notify_sandbox"]`
    (a SandboxState); call its `close()` when done to stop the receipts thread."""
    keys = [ApiKey.parse(key) for key in (api_key, *extra_api_keys)]
    fault_settings = Faults()
    fault_settings.update(faults or {})
    state = SandboxState(
        callback_url=callback_url or None,
        callback_token=callback_token,
        callback_delay=callback_delay,
        callback_retries=callback_retries,
        callback_retry_delay=callback_retry_delay,
        rate_limit_per_minute=rate_limit_per_minute,
        max_notifications=max_notifications,
        faults=fault_settings,
    )
    app = Flask(__name__)
    app.extensions["notify_sandbox"] = state

    def api_guard() -> tuple[ApiKey, int | None]:
        """Authenticate, rate-limit and inject faults; returns the key and a status for accept-then-fail."""
        key = authenticate(request.headers.get("Authorization"), keys)
        if state.over_rate_limit(key.service_id):
            raise ApiError(
                429,
                "RateLimitError",
                f"Exceeded rate limit for key type LIVE of {state.rate_limit_per_minute} requests per 60 seconds",
            )
        with state.lock:
            settings = state.faults
            delay = settings.delay_ms
            forced = settings.fail_next.popleft() if settings.fail_next else None
            if forced is None:
                roll = state.random.random()
                if roll < settings.rate_limit_rate:
                    forced = 429
                elif roll < settings.rate_limit_rate + settings.error_rate:
                    forced = settings.status
            late = None
            if forced is None and request.method == "POST" and settings.accept_then_fail_next:
                late = settings.accept_then_fail_next.popleft()
        if delay:
            time.sleep(delay / 1000.0)
        if forced is not None:
            raise _fault_error(forced)
        return key, late

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> tuple[Response, int]:
        return jsonify(error.body()), error.status_code

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        name = "NoResultFound" if status == 404 else "BadRequestError" if status < 500 else "Exception"
        return jsonify(ApiError(status, name, error.description or error.name).body()), status

    @app.post("/v2/notifications/<kind>")
    def send(kind: str) -> tuple[Response, int]:
        if kind not in _VALIDATORS:
            raise ApiError(404, "NoResultFound", "The requested URL was not found on the server.")
        key, late = api_guard()
        body = request.get_json(silent=True)
        if body is None:
            raise ApiError(400, "BadRequestError", "Invalid JSON supplied in POST data")
        valid: ValidRequest = _VALIDATORS[kind](body)
        required = ("subject", "body") if kind == "email" else ("body",)
        missing = [name for name in required if valid.personalisation.get(name) in (None, "")]
        if missing:  # the three generic templates' placeholders
            raise ApiError(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        notification = SandboxNotification(
            id=state.new_id(),
            service_id=key.service_id,
            type=kind,
            to=valid.to,
            template_id=valid.template_id,
            personalisation=valid.personalisation,
            reference=valid.reference,
            status="accepted" if kind == "letter" else "created",
            final_status=simulated_outcome(kind, valid.to),
            created_at=datetime.now(UTC),
            address_lines=valid.address_lines,
        )
        state.add(notification)
        if late is not None:
            raise _fault_error(late)  # kept, but the client is told it failed: a lost 201
        return jsonify(_created_response(notification, request.host_url)), 201

    @app.get("/v2/notifications/<notification_id>")
    def get_one(notification_id: str) -> tuple[Response, int]:
        key, _ = api_guard()
        if not is_uuid(notification_id):
            raise ApiError(400, "ValidationError", "notification_id is not a valid UUID")
        notification = state.get(notification_id)
        if notification is None or notification.service_id != key.service_id:
            raise ApiError(404, "NoResultFound", "No result found")
        return jsonify(notification.public(request.host_url)), 200

    @app.get("/v2/notifications")
    def get_many() -> tuple[Response, int]:
        key, _ = api_guard()
        args = request.args
        statuses = set(args.getlist("status"))
        types = set(args.getlist("template_type"))
        reference = args.get("reference")
        older_than = args.get("older_than")
        if older_than is not None and not is_uuid(older_than):
            raise ApiError(400, "ValidationError", "older_than is not a valid UUID")
        items = [item for item in state.newest_first() if item.service_id == key.service_id]
        if older_than is not None:
            ids = [item.id for item in items]
            items = items[ids.index(older_than) + 1 :] if older_than in ids else []
        items = [
            item
            for item in items
            if (reference is None or item.reference == reference)
            and (
                not statuses or item.status in statuses or ("failed" in statuses and "failure" in item.status)
            )
            and (not types or item.type in types)
        ][:PAGE_SIZE]
        base = f"{request.host_url}v2/notifications"
        links = {"current": request.url}
        if items:
            query = [(name, value) for name, value in args.items(multi=True) if name != "older_than"]
            links["next"] = f"{base}?{urlencode([*query, ('older_than', items[-1].id)])}"
        return jsonify(
            {"notifications": [item.public(request.host_url) for item in items], "links": links}
        ), 200

    @app.get("/_sandbox/notifications")
    def inbox() -> Response:
        reference = request.args.get("reference")
        items = [n.inbox() for n in state.newest_first() if reference is None or n.reference == reference]
        return jsonify(items)

    @app.delete("/_sandbox/notifications")
    def empty_inbox() -> tuple[str, int]:
        state.clear()
        return "", 204

    @app.post("/_sandbox/notifications/<notification_id>/receipt")
    def force_receipt(notification_id: str) -> tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        status = body.get("status")
        if state.get(notification_id) is None or not isinstance(status, str):
            raise ApiError(400, "BadRequestError", "unknown notification, or no status given")
        state.send_receipt(notification_id, status)
        return jsonify({"id": notification_id, "status": status}), 202

    @app.route("/_sandbox/faults", methods=["GET", "POST", "DELETE"])
    def fault_settings_route() -> tuple[Response, int]:
        with state.lock:
            if request.method == "DELETE":
                state.faults = Faults()
            elif request.method == "POST":
                data = request.get_json(silent=True)
                if not isinstance(data, dict):
                    raise ApiError(400, "BadRequestError", "faults must be a JSON object")
                try:
                    state.faults.update(data)
                except (TypeError, ValueError) as error:
                    raise ApiError(400, "BadRequestError", str(error)) from error
            return jsonify(state.faults.describe()), 200

    @app.get("/")
    def page() -> Response:
        return Response(_render_page(state.newest_first()), mimetype="text/html")

    return app


def _fault_error(status: int) -> ApiError:
    if status == 429:
        return ApiError(
            429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
        )
    if status == 403:
        return ApiError(403, "AuthError", "Invalid token: API key not found")
    if status >= 500:
        return ApiError(status, "Exception", "Internal server error")
    return ApiError(status, "BadRequestError", "Injected fault")


def _created_response(notification: SandboxNotification, url_root: str) -> dict[str, Any]:
    content: dict[str, Any] = {"body": notification.body}
    if notification.type == "sms":
        content["from_number"] = "GOVUK"
    elif notification.type == "email":
        content.update(
            {"subject": notification.subject, "from_email": "sandbox@notifications.service.gov.uk"}
        )
    else:
        content["subject"] = notification.subject
    return {
        "id": notification.id,
        "reference": notification.reference,
        "content": content,
        "uri": f"{url_root}v2/notifications/{notification.id}",
        "template": {
            "id": notification.template_id,
            "version": 1,
            "uri": f"{url_root}services/{notification.service_id}/templates/{notification.template_id}",
        },
        "scheduled_for": None,
    }


def _render_page(notifications: list[SandboxNotification]) -> str:
    rows = []
    for item in notifications:
        subject = f"<strong>{escape(item.subject)}</strong><br>" if item.subject else ""
        rows.append(
            "<tr>"
            f"<td>{escape(item.created_at.strftime('%Y-%m-%d %H:%M:%S'))}</td>"
            f"<td>{escape(item.type)}</td>"
            f"<td style='white-space:pre-line'>{escape(item.to)}</td>"
            f"<td style='white-space:pre-line'>{subject}{escape(item.body)}</td>"
            f"<td>{escape(item.status)}</td>"
            f"<td><code>{escape(item.reference or '')}</code></td>"
            "</tr>"
        )
    body = "".join(rows) or "<tr><td colspan='6'>Nothing sent yet.</td></tr>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Notify sandbox</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "td,th{border-bottom:1px solid #ccc;padding:.4em;text-align:left;vertical-align:top}</style>"
        "</head><body><h1>Notify sandbox</h1>"
        "<p>Messages sent to this local GOV.UK Notify stand-in, newest first. Nothing leaves this machine. "
        "JSON: <a href='/_sandbox/notifications'>/_sandbox/notifications</a></p>"
        "<table><thead><tr><th>Sent</th><th>Type</th><th>To</th><th>Message</th><th>Status</th>"
        f"<th>Reference</th></tr></thead><tbody>{body}</tbody></table></body></html>"
    )
