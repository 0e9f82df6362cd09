"""Victims' requests as an agency's system reads and answers them: the reviews, personal statements and
complaints it must answer, changed since it last looked, and each moved through its statuses.

Which requests a client may see is decided in services/common/access.py (its agency's, on its force's
cases for police and witness care; complaints about the portal itself never). Moving one goes through
services/requests/lifecycle.py, which records who did it and tells the victim discreetly.

Polling: `next_since` is the time of the last change listed. Changes are listed oldest first; a page that
would end part-way through several changes made at the very same microsecond ends before them, so the
next call (`since` = `next_since`) lists them all and none is missed. (Only if more than `limit` changes
were made in one microsecond would a page have to end among them; the rest would then be missed until they
change again. Each change is its own transaction, so this does not happen in practice.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.data import users as users_data
from portal.data import victim_requests as requests_data
from portal.models import Case, Role, VictimRequest, VictimRequestEvent
from portal.models.statement_drafts import StatementDocument
from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    IN_PROGRESS,
    KINDS,
    REVIEW,
    STATUSES,
)
from portal.services.common import request_access
from portal.services.common.actors import ApiCaller
from portal.services.common.errors import NotFound
from portal.services.requests import lifecycle
from portal.services.requests.statement import document_of_request

#: The kinds of request and their statuses, as the API documents them.
REQUEST_KINDS: tuple[str, ...] = KINDS
REQUEST_STATUSES: tuple[str, ...] = STATUSES
#: What an agency may set (only the victim withdraws a request).
AGENCY_STATUSES: tuple[str, ...] = (ACKNOWLEDGED, IN_PROGRESS, ANSWERED)
#: What a review found, given when answering one.
REVIEW_DECISIONS: tuple[str, ...] = lifecycle.DECISIONS
MAX_REVIEW_OUTCOME = lifecycle.MAX_REVIEW_OUTCOME
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_NOTE = 1000
MAX_OUTCOME = 2000
# Who changed a status, as an agency reads it.
_ROLE_WORDS: dict[str, str] = {
    str(Role.VICTIM): "victim",
    str(Role.SUPPORT_WORKER): "support worker",
    str(Role.WITNESS_CARE_OFFICER): "witness care officer",
}


class RequestRefused(ValueError):
    """A status change the request's life does not allow: the message names the field and says why."""


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _by(event: VictimRequestEvent, roles: dict[int, str]) -> str | None:
    if event.by_api_client_id:
        return "agency system"
    if event.by_user_id is None:
        return None
    return _ROLE_WORDS.get(roles.get(event.by_user_id, ""))


def request_json(
    request: VictimRequest, case: Case | None, events: Sequence[VictimRequestEvent], roles: dict[int, str]
) -> dict[str, Any]:
    return {
        "id": request.id,
        "reference": request.reference,
        "type": request.kind,
        "status": request.status,
        "agency": request.agency,
        "urn": case.urn if case is not None else None,
        "victim_id": request.victim_id,
        "update_id": request.update_id,
        "supersedes": request.supersedes_id,
        "submitted_at": _iso(request.submitted_at),
        "acknowledge_by": request.acknowledge_by.isoformat() if request.acknowledge_by else None,
        "answer_by": request.answer_by.isoformat() if request.answer_by else None,
        "acknowledged_at": _iso(request.acknowledged_at),
        "answered_at": _iso(request.answered_at),
        "updated_at": _iso(request.updated_at),
        "answers": dict(request.answers or {}),
        "outcome": request.outcome,
        "outcome_cy": request.outcome_cy,
        "history": [
            {
                "status": event.status,
                "at": _iso(event.at),
                "by": _by(event, roles),
                "by_api_client_id": event.by_api_client_id,
                "note": event.note,
            }
            for event in events
        ],
    }


def _items(session: Session, rows: Sequence[tuple[VictimRequest, Case | None]]) -> list[dict[str, Any]]:
    """The requests as JSON, with their histories: three queries whatever the number of requests."""
    events = requests_data.events_of(session, [request.id for request, _case in rows])
    by_request: dict[str, list[VictimRequestEvent]] = {}
    for event in events:
        by_request.setdefault(event.request_id, []).append(event)
    users = users_data.users_by_id(session, (event.by_user_id for event in events))
    roles = {user_id: str(user.role) for user_id, user in users.items()}
    return [request_json(request, case, by_request.get(request.id, []), roles) for request, case in rows]


def requests_for(
    session: Session, caller: ApiCaller, *, kind: str | None, since: datetime | None, limit: int
) -> dict[str, Any]:
    """The requests the caller's agency must answer, changed after `since`, oldest change first."""
    rows = list(
        request_access.requests_for_api_client(session, caller, kind=kind, since=since, limit=limit + 1)
    )
    more = len(rows) > limit
    if more:
        boundary = rows[limit][0].updated_at
        page = rows[:limit]
        # Never end a page part-way through changes made at the same instant (see the module's note).
        trimmed = [row for row in page if row[0].updated_at != boundary]
        rows = trimmed or page
    last = rows[-1][0].updated_at if rows else since
    return {"requests": _items(session, rows), "next_since": _iso(last), "more": more}


def _lock(session: Session, request_id: str) -> None:
    """Two systems (or an officer) moving the same request at once: the second waits for the first to
    commit, then reads the request as the first left it. Taken before the request is read. PostgreSQL:
    the row, FOR UPDATE; SQLite, which cannot turn a read into a write once another connection has
    written: the database's write lock, by a no-op UPDATE (as data/cases.lock_case does for cases)."""
    row = VictimRequest.id == request_id.strip().lower()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(VictimRequest.id).where(row).with_for_update())
    else:
        session.execute(
            update(VictimRequest)
            .where(row)
            .values(id=VictimRequest.id)
            .execution_options(synchronize_session=False)
        )


def change_status(
    session: Session, caller: ApiCaller, request_id: str, body: dict[str, Any], now: datetime | None = None
) -> tuple[VictimRequest, dict[str, Any]]:
    """Move one of the caller's requests on (`body` validated by the RequestStatusChange schema). NotFound
    for a request the caller may not see; RequestRefused for a change its life does not allow."""
    _lock(session, request_id)
    request, case = request_access.request_for_api_client(session, caller, request_id)
    status = body["status"]
    if status != ANSWERED and (body.get("outcome") or body.get("outcome_cy")):
        raise RequestRefused("outcome: is only given with status answered")
    decision = body.get("decision")
    answering_review = status == ANSWERED and request.kind == REVIEW
    if answering_review and decision is None:
        raise RequestRefused("decision: is required when answering a review (upheld or overturned)")
    if decision is not None and not answering_review:
        raise RequestRefused("decision: is only given when answering a review")
    if answering_review and len((body.get("outcome") or "").strip()) > MAX_REVIEW_OUTCOME:
        raise RequestRefused(
            f"outcome: for a review, {MAX_REVIEW_OUTCOME} characters at most (it is shown on the victim's "
            "timeline)"
        )
    try:
        lifecycle.change_status(
            session,
            request,
            status,
            by_api_client_id=caller.client_id,
            note=body.get("note"),
            outcome=body.get("outcome"),
            outcome_cy=body.get("outcome_cy"),
            decision=decision,
            now=now or datetime.now(UTC),
        )
    except lifecycle.TransitionRefused as error:
        raise RequestRefused(f"status: {error}") from None
    session.flush()
    [item] = _items(session, [(request, case)])
    return request, item


def statement_document(
    session: Session, caller: ApiCaller, request_id: str
) -> tuple[VictimRequest, StatementDocument]:
    """The document a victim uploaded with a personal statement the caller's agency must answer.
    NotFound for a request the caller may not see, and for one with no document (not a statement, or
    a statement written in the portal): the same 404."""
    request, _case = request_access.request_for_api_client(session, caller, request_id)
    document = document_of_request(session, request)
    if document is None:
        raise NotFound
    return request, document
