"""The sandbox's HTTP interface: Notify's v2 API, plus an inbox and fault controls under `/_sandbox/`.

Notify API: `POST /v2/notifications/sms|email|letter` (checked as Notify checks it: validation.py),
`GET /v2/notifications/{id}`, `GET /v2/notifications?reference=&status=&template_type=&older_than=`
(answered as Notify answers: serialize.py). Sends are rate-limited with Notify's token bucket; lookups
are not (state.py).
Sandbox: `GET /` (HTML inbox), `GET|DELETE /_sandbox/notifications` (JSON inbox, newest first),
`GET|POST|DELETE /_sandbox/faults`, `POST /_sandbox/notifications/{id}/receipt` (`{"status": ...}`:
set a status and send its receipt now).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from notifications.sandbox import schemas
from notifications.sandbox.auth import ApiKey, authenticate
from notifications.sandbox.defaults import generic_templates
from notifications.sandbox.errors import ApiError, bad_request, rate_limit_error
from notifications.sandbox.serialize import created_response, notification_json, precompiled_response
from notifications.sandbox.state import Faults, SandboxNotification, SandboxState
from notifications.sandbox.validation import Accepted, ServiceSettings, canonical_id, check_send
from notifications.templates import GenericTemplate

PAGE_SIZE = 250  # app/config.py API_PAGE_SIZE
_KINDS = ("sms", "email", "letter")
# models.py `Notification.substitute_status`: the names a lookup may filter by, as stored statuses
_FAILED = {
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
}
_SUBSTITUTES = {"failed": _FAILED, "accepted": {"created", "sending"}, "received": {"delivered"}}


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
    templates: Mapping[str, GenericTemplate] | None = None,
    international_sms: bool = False,
    international_letters: bool = False,
    sms_sender_ids: Iterable[str] = (),
    email_reply_to_ids: Iterable[str] = (),
) -> Flask:
    """A Notify-compatible server for `api_key`. Its state is `app.extensions["notify_sandbox"]`
    (a SandboxState); call its `close()` when done to stop the receipts thread.

    The service it stands in for has `templates` (template id -> `GenericTemplate`; by default the
    portal's three templates under the portal's default ids, `defaults.py`), may text international
    numbers only if `international_sms` and post abroad only if `international_letters` (Notify's service
    permissions, off by default as for a new service), and has the given text message sender and email
    reply-to ids (none by default).
    """
    keys = [ApiKey.parse(key) for key in (api_key, *extra_api_keys)]
    fault_settings = Faults()
    fault_settings.update(faults or {})
    settings = ServiceSettings(
        templates={
            canonical_id(template_id): template
            for template_id, template in (generic_templates() if templates is None else templates).items()
        },
        international_sms=international_sms,
        international_letters=international_letters,
        sms_sender_ids=frozenset(canonical_id(value) for value in sms_sender_ids),
        email_reply_to_ids=frozenset(canonical_id(value) for value in email_reply_to_ids),
    )
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
    app.extensions["notify_sandbox_service"] = settings
    guard = _Guard(state, keys)
    _error_handlers(app)
    _api_routes(app, state, settings, guard)
    _sandbox_routes(app, state)
    return app


class _Guard:
    """What every API request meets first: authentication, Notify's rate limit on sends, and the faults
    a test asked for."""

    def __init__(self, state: SandboxState, keys: list[ApiKey]) -> None:
        self.state = state
        self.keys = keys

    def __call__(self, *, sending: bool) -> tuple[ApiKey, int | None]:
        """Authenticate, rate-limit sends and inject faults; returns the key and a status for
        accept-then-fail. Notify counts sends only (its POST handlers call `check_rate_limiting`)."""
        state = self.state
        key = authenticate(request.headers.get("Authorization"), self.keys)
        if sending and state.over_rate_limit(key.service_id):
            raise rate_limit_error(state.rate_limit_per_minute)
        with state.lock:
            delay = state.faults.delay_ms
            forced = self._forced_status()
            late = None
            if forced is None and sending and state.faults.accept_then_fail_next:
                late = state.faults.accept_then_fail_next.popleft()
        if delay:
            time.sleep(delay / 1000.0)
        if forced is not None:
            raise _fault_error(forced)
        return key, late

    def _forced_status(self) -> int | None:
        """The status a fault setting forces on this request, if any (call with the state's lock held)."""
        faults = self.state.faults
        if faults.fail_next:
            return faults.fail_next.popleft()
        roll = self.state.random.random()
        if roll < faults.rate_limit_rate:
            return 429
        if roll < faults.rate_limit_rate + faults.error_rate:
            return faults.status
        return None


def _error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> tuple[Response, int]:
        return jsonify(error.body()), error.status_code

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        name = "NoResultFound" if status == 404 else "BadRequestError" if status < 500 else "Exception"
        return jsonify(ApiError(status, name, error.description or error.name).body()), status


def _api_routes(app: Flask, state: SandboxState, settings: ServiceSettings, api_guard: _Guard) -> None:
    """Notify's v2 API: send, look one up, look many up."""

    @app.post("/v2/notifications/<kind>")
    def send(kind: str) -> tuple[Response, int]:
        if kind not in _KINDS:
            raise ApiError(404, "NoResultFound", "The requested URL was not found on the server.")
        key, late = api_guard(sending=True)
        accepted = check_send(kind, _request_json(), settings, key.service_id)
        notification = _notification(accepted, state.new_id(), key.service_id)
        state.add(notification)
        if late is not None:
            raise _fault_error(late)  # kept, but the client is told it failed: a lost 201
        if accepted.precompiled:
            return jsonify(precompiled_response(notification)), 201
        return jsonify(created_response(notification, request.host_url) | accepted.sanitised_content), 201

    @app.get("/v2/notifications/<notification_id>")
    def get_one(notification_id: str) -> tuple[Response, int]:
        key, _ = api_guard(sending=False)
        schemas.validate({"notification_id": notification_id}, schemas.NOTIFICATION_BY_ID)
        notification = state.get(canonical_id(notification_id))
        if notification is None or notification.simulated or notification.service_id != key.service_id:
            raise ApiError(404, "NoResultFound", "No result found")
        return jsonify(notification_json(notification, request.host_url)), 200

    @app.get("/v2/notifications")
    def get_many() -> tuple[Response, int]:
        key, _ = api_guard(sending=False)
        data: dict[str, Any] = request.args.to_dict(flat=False)
        for single in ("older_than", "reference", "include_jobs"):  # get_notifications.py
            if single in data:
                data[single] = data[single][0]
        schemas.validate(data, schemas.GET_NOTIFICATIONS)
        items = _listed(state, key.service_id, data)
        base = f"{request.host_url}v2/notifications"
        links = {"current": request.url}
        if items:
            query = [(name, value) for name, value in request.args.items(multi=True) if name != "older_than"]
            links["next"] = f"{base}?{urlencode([*query, ('older_than', items[-1].id)])}"
        notifications = [notification_json(item, request.host_url) for item in items]
        return jsonify({"notifications": notifications, "links": links}), 200


def _listed(state: SandboxState, service_id: str, data: dict[str, Any]) -> list[SandboxNotification]:
    """GET /v2/notifications: the service's notifications, newest first, filtered, one page."""
    statuses: set[str] = set()
    for status in data.get("status", []):
        statuses |= _SUBSTITUTES.get(status, {status})
    types = set(data.get("template_type", []))
    reference = data.get("reference")
    items = [item for item in state.newest_first() if item.service_id == service_id and not item.simulated]
    if "older_than" in data:
        ids = [item.id for item in items]
        older_than = canonical_id(data["older_than"])
        items = items[ids.index(older_than) + 1 :] if older_than in ids else []
    items = [
        item
        for item in items
        if (reference is None or item.reference == reference)
        and (not statuses or item.status in statuses)
        and (not types or item.type in types)
    ][:PAGE_SIZE]
    return items


def _sandbox_routes(app: Flask, state: SandboxState) -> None:
    """The inbox (HTML and JSON), forced receipts and fault settings: the sandbox's own, not Notify's."""

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
            raise bad_request("unknown notification, or no status given")
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
                    raise bad_request("faults must be a JSON object")
                try:
                    state.faults.update(data)
                except (TypeError, ValueError) as error:
                    raise bad_request(str(error)) from error
            return jsonify(state.faults.describe()), 200

    @app.get("/")
    def page() -> Response:
        return Response(_render_page(state.newest_first()), mimetype="text/html")


def _request_json() -> Any:
    """utils.py `get_valid_json`: the body as JSON whatever its content type; null or empty becomes {}."""
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except ValueError:
        raise bad_request("Invalid JSON supplied in POST data") from None
    return body or {}


def _notification(accepted: Accepted, notification_id: str, service_id: str) -> SandboxNotification:
    first_status = "pending-virus-check" if accepted.precompiled else "created"
    return SandboxNotification(
        id=notification_id,
        service_id=service_id,
        type=accepted.kind,
        to=accepted.to,
        template_id=accepted.template_id,
        personalisation=accepted.personalisation,
        reference=accepted.reference,
        status=first_status,
        final_status=accepted.final_status,
        created_at=datetime.now(UTC),
        address_lines=accepted.address_lines,
        body=accepted.body,
        subject=accepted.subject,
        postage=accepted.postage,
        normalised_to=accepted.normalised_to,
        one_click_unsubscribe_url=accepted.one_click_unsubscribe_url,
        units=accepted.units,
        international=accepted.international,
        simulated=accepted.simulated,
    )


def _fault_error(status: int) -> ApiError:
    if status == 429:
        return rate_limit_error(3000)
    if status == 403:
        return ApiError(403, "AuthError", "Invalid token: API key not found")
    if status >= 500:
        return ApiError(status, "Exception", "Internal server error")
    return ApiError(status, "BadRequestError", "Injected fault")


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
