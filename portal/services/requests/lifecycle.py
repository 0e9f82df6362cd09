"""Making a request and moving it through its statuses. May flush, never commits (one transaction per
request or job, as everywhere).

Statuses only move forward: received -> acknowledged -> in-progress -> answered, any step may be skipped,
and the victim may withdraw a request that is not answered. Each change is a `VictimRequestEvent`. When an
agency (or an officer) acknowledges or answers, the victim is told discreetly through the outbox, in their
safe time and by their first safe channel ("You have a new message"): never what the request was about.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import victim_requests as requests_data
from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    FINAL,
    IN_PROGRESS,
    KINDS,
    RECEIVED,
    STATUSES,
    WITHDRAWN,
    VictimRequest,
    VictimRequestEvent,
)
from portal.services.messaging.notices import tell_victim
from portal.services.requests.kinds import PREFIXES, targets_for
from portal.services.vocabulary.deadlines import add_working_days, london_date

NOTICE_PURPOSE = "request-notice"
# No 0/O, 1/I/L: a reference read out over the phone is not misheard.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ORDER = {status: index for index, status in enumerate(STATUSES)}


class TransitionRefused(ValueError):
    """A status change that the request's life does not allow (the message says why)."""


def new_reference(kind: str) -> str:
    """E.g. "REV-7K3M-Q9XP": the kind's prefix and 8 random characters in two groups."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{PREFIXES[kind]}-{body[:4]}-{body[4:]}"


def submit(
    session: Session,
    *,
    kind: str,
    victim_id: str,
    agency: str,
    answers: dict[str, Any],
    submitted_by_user_id: int | None,
    case_id: int | None = None,
    update_id: str | None = None,
    supersedes: VictimRequest | None = None,
    now: datetime | None = None,
) -> VictimRequest:
    """Record a new request (status received) with its targets; the caller has checked who may make it."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of request {kind!r}")
    now = now or datetime.now(UTC)
    today = london_date(now)
    targets = targets_for(kind, agency)
    request = VictimRequest(
        reference=new_reference(kind),
        kind=kind,
        victim_id=victim_id,
        case_id=case_id,
        update_id=update_id,
        agency=agency,
        status=RECEIVED,
        answers=dict(answers),
        submitted_at=now,
        submitted_by_user_id=submitted_by_user_id,
        acknowledge_by=None
        if targets.acknowledge_days is None
        else add_working_days(today, targets.acknowledge_days),
        answer_by=None if targets.answer_days is None else add_working_days(today, targets.answer_days),
        supersedes_id=None if supersedes is None else supersedes.id,
        updated_at=now,
    )
    requests_data.add_request(session, request)
    requests_data.add_event(
        session,
        VictimRequestEvent(request_id=request.id, status=RECEIVED, at=now, by_user_id=submitted_by_user_id),
    )
    return request


def check_transition(request: VictimRequest, status: str) -> None:
    """Raise TransitionRefused unless `request` may move to `status`."""
    if status not in STATUSES or status == RECEIVED:
        raise TransitionRefused(f"status must be one of {', '.join(s for s in STATUSES if s != RECEIVED)}")
    if request.status in FINAL:
        raise TransitionRefused(f"the request is already {request.status}: it cannot change")
    if status != WITHDRAWN and _ORDER[status] <= _ORDER[request.status]:
        raise TransitionRefused(f"the request is already {request.status}: a status cannot go back")


def change_status(
    session: Session,
    request: VictimRequest,
    status: str,
    *,
    by_user_id: int | None = None,
    by_api_client_id: str | None = None,
    note: str | None = None,
    outcome: str | None = None,
    outcome_cy: str | None = None,
    now: datetime | None = None,
) -> VictimRequestEvent:
    """Move the request on (check_transition's rules), record who did it, and tell the victim discreetly
    when the agency acknowledged or answered it (not when the victim withdrew it themselves)."""
    check_transition(request, status)
    if status == ANSWERED and not (outcome or "").strip():
        raise TransitionRefused("an answered request needs its outcome, in words for the victim")
    now = now or datetime.now(UTC)
    request.status = status
    request.updated_at = now
    if status in (ACKNOWLEDGED, IN_PROGRESS, ANSWERED) and request.acknowledged_at is None:
        # Being considered or answered means it was received and looked at: the acknowledgement is implied.
        request.acknowledged_at = now
    if status == ANSWERED:
        request.answered_at = now
        request.outcome = (outcome or "").strip()
        request.outcome_cy = (outcome_cy or "").strip() or None
    event = VictimRequestEvent(
        request_id=request.id,
        status=status,
        at=now,
        by_user_id=by_user_id,
        by_api_client_id=by_api_client_id,
        note=(note or "").strip() or None,
    )
    requests_data.add_event(session, event)
    if status != WITHDRAWN:
        tell_victim(session, request.victim_id, now=now, purpose=NOTICE_PURPOSE)
    return event
