"""Queries about victims' requests (portal.models.victim_requests). May flush, never commits. Scoping by
who is asking is done in services/common/access.py, which calls these."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.models import Case, Victim, VictimRequest, VictimRequestEvent


def add_request(session: Session, request: VictimRequest) -> None:
    session.add(request)
    session.flush()


def add_event(session: Session, event: VictimRequestEvent) -> None:
    session.add(event)


def get_request(session: Session, request_id: str) -> VictimRequest | None:
    return session.get(VictimRequest, request_id)


def requests_of_victim(
    session: Session, victim_id: str, *, case_id: int | None = None, kind: str | None = None
) -> Sequence[VictimRequest]:
    """A victim's requests, newest first; only one case's, or one kind's, when given."""
    query = select(VictimRequest).where(VictimRequest.victim_id == victim_id)
    if case_id is not None:
        query = query.where(VictimRequest.case_id == case_id)
    if kind is not None:
        query = query.where(VictimRequest.kind == kind)
    return session.scalars(query.order_by(VictimRequest.submitted_at.desc(), VictimRequest.id)).all()


def events_of(session: Session, request_ids: Sequence[str]) -> Sequence[VictimRequestEvent]:
    """Every status change of these requests, oldest first."""
    if not request_ids:
        return []
    return session.scalars(
        select(VictimRequestEvent)
        .where(VictimRequestEvent.request_id.in_(request_ids))
        .order_by(VictimRequestEvent.at, VictimRequestEvent.id)
    ).all()


def requests_for_agency(
    session: Session,
    agency: str,
    *,
    kind: str | None,
    since: datetime | None,
    force_code: str | None,
    limit: int,
) -> Sequence[tuple[VictimRequest, Case | None]]:
    """Requests an agency must answer, changed since `since` (oldest change first), only on the cases of
    `force_code` when given."""
    query = (
        select(VictimRequest, Case)
        .outerjoin(Case, Case.id == VictimRequest.case_id)
        .where(VictimRequest.agency == agency)
    )
    if kind is not None:
        query = query.where(VictimRequest.kind == kind)
    if since is not None:
        query = query.where(VictimRequest.updated_at > since)
    if force_code is not None:
        query = query.where(Case.force_code == force_code)
    query = query.order_by(VictimRequest.updated_at, VictimRequest.id).limit(limit)
    return [(row[0], row[1]) for row in session.execute(query)]


def requests_in_force(
    session: Session,
    force_code: str,
    *,
    victim_id: str | None = None,
    reference: str | None = None,
    submitted_from: datetime | None = None,
    submitted_before: datetime | None = None,
) -> Sequence[tuple[VictimRequest, Case, Victim]]:
    """Requests on the cases of `force_code`, with their case and victim, newest first; only one victim's,
    one reference, or those made in [submitted_from, submitted_before) when given."""
    query = (
        select(VictimRequest, Case, Victim)
        .join(Case, Case.id == VictimRequest.case_id)
        .join(Victim, Victim.id == VictimRequest.victim_id)
        .where(Case.force_code == force_code)
    )
    if victim_id is not None:
        query = query.where(VictimRequest.victim_id == victim_id)
    if reference is not None:
        query = query.where(VictimRequest.reference == reference)
    if submitted_from is not None:
        query = query.where(VictimRequest.submitted_at >= submitted_from)
    if submitted_before is not None:
        query = query.where(VictimRequest.submitted_at < submitted_before)
    query = query.order_by(VictimRequest.submitted_at.desc(), VictimRequest.id)
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


@functools.cache
def _requests_and_events_statement() -> Select[VictimRequest, VictimRequestEvent]:
    """Built once per process (every victim's case page); parameters victim_id and case_id."""
    return (
        select(VictimRequest, VictimRequestEvent)
        .outerjoin(VictimRequestEvent, VictimRequestEvent.request_id == VictimRequest.id)
        .where(
            VictimRequest.victim_id == bindparam("victim_id"), VictimRequest.case_id == bindparam("case_id")
        )
    )


def requests_and_events_on_case(
    session: Session, victim_id: str, case_id: int
) -> tuple[list[VictimRequest], list[tuple[VictimRequestEvent, VictimRequest]]]:
    """The victim's requests on the case, newest first (as `requests_of_victim`), and every status change
    of them, newest first: one statement for both (a victim makes a handful of
    requests on a case)."""
    rows = session.execute(_requests_and_events_statement(), {"victim_id": victim_id, "case_id": case_id})
    requests: dict[str, VictimRequest] = {}
    events: list[tuple[VictimRequestEvent, VictimRequest]] = []
    for request, event in rows:
        requests.setdefault(request.id, request)
        if event is not None:
            events.append((event, request))
    ordered = sorted(requests.values(), key=lambda r: r.id)
    ordered.sort(key=lambda r: r.submitted_at, reverse=True)
    events.sort(key=lambda pair: (pair[0].at, pair[0].id), reverse=True)
    return ordered, events
