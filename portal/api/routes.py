"""The agency API under /api/v1: police, CPS, witness care and probation systems push cases, victims
and updates in, and read preferences and the communications log out.

Authentication as GOV.UK Notify does it (see services/agency_api/auth.py); JSON only; CSRF does not apply
(no cookies are used); every call is audited (refusals at authentication counted per address, verb, reason
and minute rather than written one by one); each client has its own rate limit, and each address a limit
on refused calls, checked before authentication.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import UnsupportedMediaType

from portal.api import bp, errors, fallback, openapi
from portal.api.errors import error_response
from portal.api.validation import RequestInvalid, validate, validate_updates_body
from portal.extensions import api_refusal_audit_budget, api_refusal_limit, db, limiter
from portal.services.agency_api import audit as api_audit
from portal.services.agency_api import auth as api_auth
from portal.services.agency_api import communications as api_communications
from portal.services.agency_api import contacts as api_contacts
from portal.services.agency_api import ingest as api_ingest
from portal.services.agency_api import victims as api_victims
from portal.services.agency_api.auth import ApiAuthError
from portal.services.agency_api.ingest import ApiInputError, ApiOutOfScope
from portal.services.agency_api.victims import InvalidVictim
from portal.services.cases.records import InvalidURN
from portal.services.common import access
from portal.services.common.errors import NotFound

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document", "api.docs", "api.static"})
VERBS = {
    "api.put_case": "put_case",
    "api.add_victim": "add_victim",
    "api.send_updates": "send_updates",
    "api.preferences": "read_preferences",
    "api.communications": "read_communications",
    "api.put_contacts": "set_contacts",
    "api.get_contacts": "read_contacts",
    "api.list_requests": "read_requests",
    "api.request_status": "set_request_status",
    "api.request_document": "read_request_document",
    "api.court_needs_changes": "read_court_needs_changes",
    "api.list_messages": "read_messages",
    "api.reply_to_message": "reply_to_message",
    "api.message_attachment": "read_message_attachment",
}


def _rate_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def _client_key() -> str:
    caller = g.get("api_caller")
    return f"api-client:{caller.client_id}" if caller else "api-client:none"


per_client_limit = limiter.shared_limit(_rate_limit, scope="agency-api", key_func=_client_key)


@bp.before_request
def _authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint not in VERBS:
        return None
    # First, before the database or the audit trail: an address with too many calls refused this minute
    # is answered 429 until its window ends, whatever token it sends (security finding 6).
    wait = api_refusal_limit.retry_after()
    if wait is not None:
        limit = api_refusal_limit.limit()
        response = error_response(429, [f"Exceeded rate limit for refused calls from this address: {limit}"])
        response.headers["Retry-After"] = str(wait)
        return response
    g.api_verb = VERBS[request.endpoint]
    session = db.session
    try:
        g.api_caller, g.api_token = api_auth.authenticate(
            session, request.headers.get("Authorization"), datetime.now(UTC)
        )
    except ApiAuthError as error:
        session.rollback()
        api_refusal_limit.count()
        g.api_refusal = error
        return error_response(error.status, [error.message], "AuthError")
    # One transaction for the whole call: the token's jti first, then a SAVEPOINT for the call's work.
    # A call that fails rolls back to the SAVEPOINT and commits the jti with its audit event (_audit), so
    # the token stays used, and no concurrent replay can slip in between (the jti row is never released).
    g.api_work = session.begin_nested()
    return None


#: How often a process logs that refused calls are over the audit budget (and when it last did).
BUDGET_WARNING_SECONDS = 60
_budget_warned_at = -float(BUDGET_WARNING_SECONDS)


def _count_refusal(refusal: ApiAuthError, verb: str, status: int) -> None:
    """Refusals at authentication are counted in the audit trail, not written one by one; past the
    service-wide budget a minute (portal.extensions.api_refusal_audit_budget) not at all."""
    if api_refusal_audit_budget.retry_after() is not None:
        global _budget_warned_at
        if time.monotonic() - _budget_warned_at > BUDGET_WARNING_SECONDS:  # once a minute per process
            _budget_warned_at = time.monotonic()
            current_app.logger.warning("refused API calls over the audit budget: not audited this minute")
        return
    api_refusal_audit_budget.count()
    with db.job() as session:
        api_audit.record_refusal(
            session,
            verb,
            status=status,
            reason=refusal.message,
            address=request.remote_addr or "",
            named_client_id=refusal.client_id,
            detail={"method": request.method},
        )


@bp.after_request
def _audit(response: Response) -> Response:
    verb = g.get("api_verb")
    if verb is None:
        return response
    refusal = g.get("api_refusal")
    if refusal is not None:
        try:
            _count_refusal(refusal, verb, response.status_code)
        except Exception:
            current_app.logger.exception("could not audit a refused API call")
        return response
    caller = g.get("api_caller")
    detail = {"method": request.method, **(g.get("api_detail") or {})}
    if response.status_code < 400:
        # Joins the request's transaction: committed with the changes it describes.
        api_audit.record_call(
            db.session,
            caller,
            verb,
            status=response.status_code,
            victim_id=g.get("api_victim_id"),
            detail=detail,
        )
        return response
    try:  # nothing from a failed call is kept but its token's jti, and the audit event
        _keep_only_jti()
        api_audit.record_call(db.session, caller, verb, status=response.status_code, detail=detail)
        db.session.commit()
    except Exception:
        current_app.logger.exception("could not keep a failed API call's token with its audit event")
        db.session.rollback()
        try:
            with db.job() as session:
                api_auth.record_used_token(session, caller, g.api_token)
                api_audit.record_call(session, caller, verb, status=response.status_code, detail=detail)
        except Exception:
            current_app.logger.exception("could not audit a failed API call")
    return response


def _keep_only_jti() -> None:
    """Undo the failed call's work (back to the SAVEPOINT taken just after its jti was recorded)."""
    work = db.session.get_nested_transaction()
    if work is None or work is not g.api_work:
        raise RuntimeError("the call's transaction is gone")  # then the jti is recorded again (_audit)
    work.rollback()


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaType()
    raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise RequestInvalid([f"body: is not valid JSON ({type(error).__name__})"]) from None


def _case(urn: str) -> Any:
    """The case, if this client may see it; NotFound (404) otherwise, exactly as if it did not exist."""
    return access.case_for_api_client(db.session, g.api_caller, urn)


def _validation_error(messages: list[str]) -> Response:
    return error_response(400, messages, "ValidationError")


@bp.errorhandler(RequestInvalid)
def _invalid(error: RequestInvalid) -> Response:
    return _validation_error(error.messages)


@bp.errorhandler(ApiInputError)
def _input_error(error: ApiInputError) -> Response:
    return _validation_error(error.messages)


@bp.errorhandler(InvalidVictim)
def _invalid_victim(error: InvalidVictim) -> Response:
    return _validation_error(error.messages)


@bp.errorhandler(InvalidURN)
def _invalid_urn(error: InvalidURN) -> Response:
    return _validation_error([f"urn: {error}"])


@bp.errorhandler(NotFound)
def _not_found(_error: NotFound) -> Response:
    return error_response(404, [errors.MESSAGES[404]])


@bp.errorhandler(ApiOutOfScope)
def _out_of_scope(error: ApiOutOfScope) -> Response:
    return error_response(403, [str(error)], "AuthError")


def _json(payload: Any, status: int) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response


@bp.route("/cases/<urn>", methods=["PUT"])
@per_client_limit
def put_case(urn: str) -> Response:
    body = _json_body()
    validate("CaseRequest", body)
    case, created = api_ingest.put_case(db.session, g.api_caller, urn, body)
    g.api_detail = {"created": created}
    return _json(case, 201 if created else 200)


@bp.route("/cases/<urn>/victims", methods=["POST"])
@per_client_limit
def add_victim(urn: str) -> Response:
    case = _case(urn)
    body = _json_body()
    validate("VictimRequest", body)
    victim, created = api_ingest.add_victim(db.session, g.api_caller, case, body)
    g.api_victim_id = victim["id"]
    g.api_detail = {"case_id": case.id, "created": created}
    return _json(victim, 201 if created else 200)


@bp.route("/cases/<urn>/updates", methods=["POST"])
@per_client_limit
def send_updates(urn: str) -> Response:
    # The case and its victims in one statement: the victims are read to announce the updates anyway.
    case, victims = access.case_and_victims_for_api_client(db.session, g.api_caller, urn)
    body = _json_body()
    items, batch = validate_updates_body(body, g.api_caller.agency)
    stored, created = api_ingest.record_updates(
        db.session, g.api_caller, case, items, batch=batch, victims=victims
    )
    g.api_detail = {"case_id": case.id, "count": len(stored), "created": created}
    payload: Any = {"updates": stored} if batch else stored[0]
    return _json(payload, 201 if created else 200)


@bp.route("/cases/<urn>/victims/<victim_id>/preferences", methods=["GET"])
@per_client_limit
def preferences(urn: str, victim_id: str) -> Response:
    case = _case(urn)
    payload = api_victims.preferences_json(db.session, case, victim_id)
    g.api_victim_id = payload["victim_id"]
    g.api_detail = {"case_id": case.id}
    return _json(payload, 200)


@bp.route("/cases/<urn>/communications", methods=["GET"])
@per_client_limit
def communications(urn: str) -> Response:
    case = _case(urn)
    payload = api_communications.communications_json(db.session, g.api_caller, case)
    g.api_detail = {"case_id": case.id, "count": len(payload["communications"])}
    return _json(payload, 200)


@bp.route("/cases/<urn>/contacts", methods=["PUT"])
@per_client_limit
def put_contacts(urn: str) -> Response:
    case = _case(urn)
    body = _json_body()
    validate("ContactsRequest", body)
    payload, outcomes = api_contacts.set_from_api(db.session, g.api_caller, case, body)
    if body.get("victim_id"):
        g.api_victim_id = body["victim_id"].lower()
    g.api_detail = {
        "case_id": case.id,
        "changes": [{"role": o.role, "change": o.change} for o in outcomes],
    }
    return _json(payload, 200)


@bp.route("/cases/<urn>/contacts", methods=["GET"])
@per_client_limit
def get_contacts(urn: str) -> Response:
    case = _case(urn)
    payload = api_contacts.contacts_json(db.session, case)
    g.api_detail = {"case_id": case.id, "count": len(payload["contacts"])}
    return _json(payload, 200)


@bp.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    # Not jsonify: it sorts keys, and the document reads best (and its examples run) in its own order.
    document = openapi.document(current_app.config["PORTAL_BASE_URL"])
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")


@bp.route("/docs", methods=["GET"])
def docs() -> str:
    base = current_app.config["PORTAL_BASE_URL"]
    return render_template("api/docs.html", reference=openapi.reference(base), title="Agency API reference")


@fallback.route(
    "/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"], endpoint="unknown"
)
@fallback.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], endpoint="unknown")
def unknown(path: str) -> Response:
    return errors.unknown_path(path)
