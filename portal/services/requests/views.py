"""What the victim and the witness care officer see of requests (reviews, statements, complaints): the
list on a case page, a request's page (what was asked, its status history, the dates due, the outcome),
the victim withdrawing a request, and the officer's list of the unit's requests where they act on behalf
of witness care. Scoping is services/common/access.py's; nothing here commits.

What the victim wrote is shown back through each kind's labels: a kind module under
portal/services/requests/ may provide `answer_labels()`, a mapping of answer key to its label, in the
order to show them, and `answer_values(answers)`, each answer in words for the reader (codes as the
choices they stand for, dates in the reader's language), keyed as the labels; a kind whose words include
answers it does not show as stored gives their labels too in `all_answer_labels()`. Keys it does not
label, and every answer of a kind without labels, are not shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import victim_requests as requests_data
from portal.models import Case, Victim, VictimRequest
from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    COMPLAINT,
    FINAL,
    IN_PROGRESS,
    RECEIVED,
    SERVICE,
    WITHDRAWN,
)
from portal.services import vocabulary
from portal.services.common import access, audit, request_access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.requests import complaint, lifecycle
from portal.services.requests.kinds import KIND_NAMES, status_label
from portal.services.vocabulary import deadlines

TAG_CLASSES = {
    RECEIVED: "govuk-tag--blue",
    ACKNOWLEDGED: "govuk-tag--light-blue",
    IN_PROGRESS: "govuk-tag--yellow",
    ANSWERED: "govuk-tag--green",
    WITHDRAWN: "govuk-tag--grey",
}
#: What an officer may move a witness care request to (an officer never withdraws for the victim).
OFFICER_STATUSES = (ACKNOWLEDGED, IN_PROGRESS, ANSWERED)
#: Audit action of an officer's change of a request's status.
REQUEST_STATUS_CHANGED = "request-status-changed"
#: What a staff page that shows a request records as viewed ("what" in the audit event).
VIEWED_REQUEST = "request"
LISTED_REQUESTS = "requests"


def agency_label(agency: str) -> str:
    if agency == SERVICE:
        return str(_l("This service"))
    try:
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(agency)])
    except ValueError:
        return agency


@dataclass(frozen=True)
class RequestSummary:
    reference: str
    kind: str
    kind_name: str
    agency: str
    agency_label: str
    status: str
    status_label: str
    tag_class: str
    submitted_at: datetime
    acknowledge_by: date | None
    answer_by: date | None
    acknowledged_at: datetime | None
    answered_at: datetime | None
    urn: str | None
    status_since: datetime | None = None  # when it last changed status

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL

    def overdue(self, now: datetime) -> bool:
        return past_target(self, now)


def past_target(request: VictimRequest | RequestSummary, now: datetime) -> bool:
    """Open, and the day by which it should have been acknowledged (if it was not) or answered has ended."""
    if request.status in FINAL:
        return False
    if (
        request.acknowledged_at is None
        and request.acknowledge_by is not None
        and now > deadlines.deadline_end(request.acknowledge_by)
    ):
        return True
    return request.answer_by is not None and now > deadlines.deadline_end(request.answer_by)


def summary(request: VictimRequest, urn: str | None) -> RequestSummary:
    return RequestSummary(
        reference=request.reference,
        kind=request.kind,
        kind_name=str(KIND_NAMES[request.kind]),
        agency=request.agency,
        agency_label=agency_label(request.agency),
        status=request.status,
        status_label=str(status_label(request.kind, request.status)),
        tag_class=TAG_CLASSES.get(request.status, "govuk-tag--grey"),
        submitted_at=request.submitted_at,
        acknowledge_by=request.acknowledge_by,
        answer_by=request.answer_by,
        acknowledged_at=request.acknowledged_at,
        answered_at=request.answered_at,
        urn=urn,
        status_since=request.updated_at,
    )


@dataclass(frozen=True)
class AnswerRow:
    label: str
    values: list[str]


@dataclass(frozen=True)
class HistoryItem:
    status_label: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class RequestDetail:
    summary: RequestSummary
    answers: list[AnswerRow]
    history: list[HistoryItem]
    # The agency's answer, in Welsh for a Welsh reader when the agency sent it; otherwise in English,
    # and then `outcome_in_english_only` is True for a Welsh reader.
    outcome: str | None
    outcome_in_english_only: bool
    # An answered complaint: what the victim can do if they are not happy with the final response
    # (complaint.after_final_response); empty otherwise.
    next_steps: list[str] = field(default_factory=list)


def _kind_module(kind: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"portal.services.requests.{kind}")
    except ModuleNotFoundError as missing:
        if missing.name != f"portal.services.requests.{kind}":
            raise
        return None


def answer_labels(kind: str) -> Mapping[str, Any]:
    """The kind module's `all_answer_labels()` or else `answer_labels()`, or nothing when it has none."""
    module = _kind_module(kind)
    labels = getattr(module, "all_answer_labels", None) or getattr(module, "answer_labels", None)
    return dict(labels()) if callable(labels) else {}


def answer_words(kind: str, answers: Mapping[str, Any]) -> Mapping[str, Any]:
    """The kind module's `answer_values(answers)`: the answers in words; as stored when it has none."""
    words = getattr(_kind_module(kind), "answer_values", None)
    return words(dict(answers)) if callable(words) else answers


def _texts(value: Any) -> list[str]:
    """An answer as lines of text: a string or number, or a list of them (nothing else is shown)."""
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        if isinstance(item, bool):
            texts.append(str(_l("Yes") if item else _l("No")))
        elif isinstance(item, str | int | float) and str(item).strip():
            texts.append(str(item))
    return texts


def answer_rows(kind: str, answers: Mapping[str, Any]) -> list[AnswerRow]:
    """What the victim sent, in words, under the kind's labels, in their order; empty answers left out."""
    rows = []
    shown = answer_words(kind, answers)
    for key, label in answer_labels(kind).items():
        values = _texts(shown.get(key))
        if values:
            rows.append(AnswerRow(label=str(label), values=values))
    return rows


def _detail(session: Session, request: VictimRequest, urn: str | None) -> RequestDetail:
    history = [
        HistoryItem(str(status_label(request.kind, event.status)), event.at, event.note)
        for event in requests_data.events_of(session, [request.id])
    ]
    welsh = str(get_locale() or "en") == "cy"
    outcome = request.outcome_cy if welsh and request.outcome_cy else request.outcome
    return RequestDetail(
        summary=summary(request, urn),
        answers=answer_rows(request.kind, request.answers or {}),
        history=history,
        outcome=outcome,
        outcome_in_english_only=welsh and bool(request.outcome) and not request.outcome_cy,
        next_steps=complaint.after_final_response(request.agency)
        if request.kind == COMPLAINT and request.status == ANSWERED
        else [],
    )


# --- The victim ----------------------------------------------------------------------------------


def all_requests(session: Session, actor: Actor) -> list[RequestSummary]:
    """Every request of the victim ("Your requests"), newest first: those on the cases they are on, and
    those about no case (a complaint about this portal). One on a case they are no longer on is left out,
    as that case is."""
    victim_id = access.own_victim_id(actor)
    urns = {case.id: case.urn for case in access.own_cases(session, actor)}
    return [
        summary(r, urns.get(r.case_id) if r.case_id is not None else None)
        for r in requests_data.requests_of_victim(session, victim_id)
        if r.case_id is None or r.case_id in urns
    ]


def _own_request(session: Session, actor: Actor, urn: str | None, reference: str) -> VictimRequest:
    """One of the victim's requests: on their case `urn`, or about no case when `urn` is None. Anyone
    else's, one on another case, or one on a case reached without its case, is NotFound."""
    if urn is not None:
        return request_access.request_for_victim(session, actor, urn, reference)
    wanted = reference.strip().upper()
    for found in requests_data.requests_of_victim(session, access.own_victim_id(actor)):
        if found.case_id is None and found.reference == wanted:
            return found
    raise NotFound


def victim_request(session: Session, actor: Actor, urn: str | None, reference: str) -> RequestDetail:
    """One of the victim's requests on their case (or about no case: `urn` None); anyone else's is
    NotFound."""
    request = _own_request(session, actor, urn, reference)
    return _detail(session, request, urn)


def withdraw(
    session: Session, actor: Actor, urn: str | None, reference: str, now: datetime | None = None
) -> VictimRequest:
    """The victim withdraws their request; lifecycle.TransitionRefused once it is answered or withdrawn."""
    request = _own_request(session, actor, urn, reference)
    lifecycle.change_status(session, request, WITHDRAWN, by_user_id=actor.user_id, now=now)
    return request


# --- The witness care officer ----------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerRow:
    summary: RequestSummary
    victim_id: str
    victim_name: str
    overdue: bool
    can_act: bool  # witness care answers it: the officer may move it on


def officer_may_act(request: VictimRequest | RequestSummary) -> bool:
    return request.agency == "witness_care"


def _officer_rows(found: Sequence[tuple[VictimRequest, Case, Victim]], now: datetime) -> list[OfficerRow]:
    rows = []
    for request, case, victim in found:
        shown = summary(request, case.urn)
        rows.append(
            OfficerRow(shown, victim.id, victim.full_name, shown.overdue(now), officer_may_act(request))
        )
    return rows


def _sort_key(row: OfficerRow) -> tuple[int, str, float]:
    """Overdue first, then the other open ones, soonest due first; then the closed ones, newest first."""
    shown = row.summary
    due = shown.acknowledge_by if shown.acknowledged_at is None and shown.acknowledge_by else shown.answer_by
    if shown.is_open:
        return (0 if row.overdue else 1, (due or date.max).isoformat(), shown.submitted_at.timestamp())
    closed_at = shown.answered_at or shown.submitted_at
    return (2, "", -closed_at.timestamp())


def officer_requests(
    session: Session, actor: Actor, *, victim_id: str | None = None, now: datetime | None = None
) -> list[OfficerRow]:
    """The requests the officer may see on the unit's cases (one victim's when given): overdue first, then
    open, then answered or withdrawn. Lists victims: audited (one event per victim, as a listing; on a
    victim's own page the caller has audited the view)."""
    now = now or datetime.now(UTC)
    rows = sorted(
        _officer_rows(request_access.officer_requests(session, actor, victim_id=victim_id), now),
        key=_sort_key,
    )
    if victim_id is None and rows:
        audit.record_each_victim(
            session,
            actor,
            audit.VICTIM_LISTED,
            [row.victim_id for row in rows],
            detail={"what": LISTED_REQUESTS},
        )
    return rows


def open_count(session: Session, actor: Actor) -> int:
    """How many requests on the unit's cases that witness care answers are open: the unit's work, on the
    officer's home page (reviews and statements other agencies answer are listed, not counted)."""
    return sum(
        1
        for request, _case, _victim in request_access.officer_requests(session, actor)
        if officer_may_act(request) and request.status not in FINAL
    )


@dataclass(frozen=True)
class OfficerRequest:
    detail: RequestDetail
    victim_id: str
    victim_name: str
    can_act: bool
    next_statuses: list[str]


def officer_request(session: Session, actor: Actor, reference: str) -> OfficerRequest:
    """A request the officer may see (NotFound otherwise), audited as a view of the victim's information."""
    request, case, victim = request_access.request_for_officer(session, actor, reference)
    audit.record_view(session, actor, victim.id, f"{VIEWED_REQUEST} {request.reference}")
    can_act = officer_may_act(request) and request.status not in FINAL
    return OfficerRequest(
        detail=_detail(session, request, case.urn),
        victim_id=victim.id,
        victim_name=victim.full_name,
        can_act=can_act,
        next_statuses=[s for s in OFFICER_STATUSES if can_act and _may_move(request, s)],
    )


def _may_move(request: VictimRequest, status: str) -> bool:
    try:
        lifecycle.check_transition(request, status)
    except lifecycle.TransitionRefused:
        return False
    return True


def officer_change(
    session: Session,
    actor: Actor,
    reference: str,
    status: str,
    *,
    outcome: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> VictimRequest:
    """An officer moves a witness care request on (lifecycle.change_status's rules, TransitionRefused), on
    behalf of witness care; audited. A request another agency answers is NotFound."""
    request, _case, victim = request_access.request_for_officer(session, actor, reference)
    if not officer_may_act(request) or status not in OFFICER_STATUSES:
        raise NotFound
    lifecycle.change_status(
        session, request, status, by_user_id=actor.user_id, note=note, outcome=outcome, now=now
    )
    audit.record_for_actor(
        session,
        actor,
        REQUEST_STATUS_CHANGED,
        subject_victim_id=victim.id,
        detail={"reference": request.reference, "status": status},
    )
    return request
