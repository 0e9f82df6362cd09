"""Making a request and moving it through its statuses. May flush, never commits (one transaction per
request or job, as everywhere).

Statuses only move forward: received -> acknowledged -> in-progress -> answered, any step may be skipped,
and the victim may withdraw a request that is not answered. Each change is a `VictimRequestEvent`. When an
agency (or an officer) acknowledges or answers, the victim is told discreetly through the outbox, in their
safe time and by their first safe channel ("You have a new message"): never what the request was about.
A review's answer is itself news on the case: it is recorded as a `vrr-outcome` update for that victim
only, announced as every update is (in the way they chose, discreetly by default), instead of the notice.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import victim_requests as requests_data
from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    FINAL,
    IN_PROGRESS,
    KINDS,
    RECEIVED,
    REVIEW,
    STATUSES,
    WITHDRAWN,
    VictimRequest,
    VictimRequestEvent,
)
from portal.services.cases import records
from portal.services.messaging.notices import tell_victim
from portal.services.requests.kinds import PREFIXES, targets_for
from portal.services.vocabulary.deadlines import add_working_days, london_date

NOTICE_PURPOSE = "request-notice"
# No 0/O, 1/I/L: a reference read out over the phone is not misheard.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ORDER = {status: index for index, status in enumerate(STATUSES)}
#: What a review found: the original decision kept (upheld) or changed (overturned).
DECISIONS: tuple[str, ...] = ("upheld", "overturned")
#: A review's outcome is the `outcome_summary` of its vrr-outcome update (the event type's limit).
MAX_REVIEW_OUTCOME = 1000


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
    decision: str | None = None,
    now: datetime | None = None,
) -> VictimRequestEvent:
    """Move the request on (check_transition's rules), record who did it, and tell the victim discreetly
    when the agency acknowledged or answered it (not when the victim withdrew it themselves). Answering a
    review needs its `decision` (DECISIONS) and records the vrr-outcome update, which tells the victim."""
    check_transition(request, status)
    if status == ANSWERED and not (outcome or "").strip():
        raise TransitionRefused("an answered request needs its outcome, in words for the victim")
    review_answer = status == ANSWERED and request.kind == REVIEW
    if review_answer:
        _check_review_answer(outcome or "", decision)
    elif decision is not None:
        raise TransitionRefused("a decision (upheld or overturned) is only given when answering a review")
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
    told_on_timeline = review_answer and record_review_outcome(session, request, decision or "", now=now)
    if status != WITHDRAWN and not told_on_timeline:
        tell_victim(session, request.victim_id, now=now, purpose=NOTICE_PURPOSE)
    return event


def _check_review_answer(outcome: str, decision: str | None) -> None:
    if decision not in DECISIONS:
        raise TransitionRefused("answering a review needs its decision: upheld or overturned")
    if len(outcome.strip()) > MAX_REVIEW_OUTCOME:
        raise TransitionRefused(
            f"a review's outcome is shown on the victim's timeline: {MAX_REVIEW_OUTCOME} characters at most"
        )


def record_review_outcome(session: Session, request: VictimRequest, decision: str, *, now: datetime) -> bool:
    """The answered review as a `vrr-outcome` update on its case, for its victim only, from the agency
    that reviewed it, announced through the normal path (dispatch: the victim's way, discreet by
    default). False, and nothing recorded, for a review on no case (the journey never makes one: a
    review is about a case's update), so the caller tells the victim the usual way."""
    case = cases_data.get_case(session, request.case_id) if request.case_id is not None else None
    if case is None:
        return False
    new = records.NewUpdate(
        agency=request.agency,
        event_type="vrr-outcome",
        agency_event_id=f"vrr-outcome-{request.reference}",
        occurred_at=now,
        received_at=now,
        details={"outcome": decision, "outcome_summary": request.outcome or ""},
        victim_id=request.victim_id,
        message_cy=request.outcome_cy,
    )
    records.record_update(session, case, new, announce=True)
    return True
