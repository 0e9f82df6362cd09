"""Delivery receipts from GOV.UK Notify: `POST /notifications/receipts` with the callback bearer token."""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from portal.extensions import csrf, db
from portal.receipts import bp
from portal.services.messaging import delivery
from portal.web.json_errors import notify_error


def _error(status: int, error: str, message: str) -> Response:
    return notify_error(status, error, [message])


@bp.post("/notifications/receipts")
@csrf.exempt
def receive() -> Response | tuple[Response, int]:
    if not delivery.callback_token_ok(
        request.headers.get("Authorization"), current_app.config.get("NOTIFY_CALLBACK_TOKEN")
    ):
        return _error(401, "AuthError", "Invalid or missing bearer token")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _error(400, "ValidationError", "Body must be a JSON object")
    try:
        delivery.apply_receipt(db.session, payload)
    except delivery.ReceiptError as error:
        return _error(400, "ValidationError", str(error))
    return jsonify(result="ok"), 200
