"""The victim's requests on their case timeline: each time they made a request, and each time the agency
moved it on, is an entry among the case's updates, where it happened in time, linking to the request's
page. Only on the victim's own timeline: a support worker's and an officer's views of it show the case's
updates only (complaints about one agency are not another's to read).

The timeline is paged by updates (TIMELINE_PAGE_SIZE to a page); a request's change is shown on the page
whose updates surround it in time: the first page also holds every change newer than its newest update,
the last page every change older than its oldest. Filtered to one agency, the timeline shows the changes of
requests to that agency only. An answered review is not repeated: its answer is the case's `vrr-outcome`
update, already on the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import victim_requests as requests_data
from portal.models import Case, VictimRequest, VictimRequestEvent
from portal.models.victim_requests import ANSWERED, COMPLAINT, RECEIVED, REVIEW, STATEMENT, WITHDRAWN
from portal.services.cases.timeline import CaseTimeline, TimelineEntry
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.requests.kinds import KIND_NAMES, status_label
from portal.services.requests.views import RequestSummary, agency_label, summary

#: The entry's heading when the victim made the request.
MADE: dict[str, object] = {
    REVIEW: _l("You asked for a review of a decision"),
    STATEMENT: _l("You sent a Victim Personal Statement"),
    COMPLAINT: _l("You made a complaint"),
}
#: The source tag of a change the victim made (making or withdrawing a request).
FROM_YOU = "you"


@dataclass(frozen=True)
class RequestMoment:
    """One change of one of the victim's requests, as a timeline entry (components/request_moment.html)."""

    event_id: int
    reference: str
    urn: str
    at: datetime
    source: str  # FROM_YOU, or the agency that moved it on
    source_label: str
    title: str
    agency_label: str  # who the request went to
    note: str | None


def _moment(event: VictimRequestEvent, request: VictimRequest, urn: str) -> RequestMoment:
    to = agency_label(request.agency)
    by_victim_side = event.status in (RECEIVED, WITHDRAWN) and event.by_api_client_id is None
    if event.status == RECEIVED:
        title = str(MADE[request.kind])
    else:
        title = str(
            _l(
                "%(kind)s: %(status)s",
                kind=KIND_NAMES[request.kind],
                status=status_label(request.kind, event.status),
            )
        )
    return RequestMoment(
        event_id=event.id,
        reference=request.reference,
        urn=urn,
        at=event.at,
        source=FROM_YOU if by_victim_side else request.agency,
        source_label=str(_l("You")) if by_victim_side else to,
        title=title,
        agency_label=to,
        note=event.note,
    )


def _in_window(at: datetime, view: CaseTimeline) -> bool:
    """Whether a change at `at` belongs on the page of updates `view` shows (see the module's note)."""
    if not view.entries:
        return True
    newest, oldest = view.entries[0].occurred_at, view.entries[-1].occurred_at
    first = view.pages.number == 1
    last = view.pages.number >= view.pages.count
    return (first or at <= newest) and (last or at > oldest)


def for_case_page(
    session: Session, actor: Actor, case: Case, view: CaseTimeline
) -> tuple[list[RequestMoment], list[RequestSummary]]:
    """For the victim's own case page (`case` from access.case_for_actor): the changes of their requests
    on the case that belong on the page `view` shows, newest first, and the requests themselves, newest
    first, from one statement."""
    victim_id = access.own_victim_id(actor)
    requests, events = requests_data.requests_and_events_on_case(session, victim_id, case.id)
    moments = []
    for event, request in events:
        if request.kind == REVIEW and event.status == ANSWERED:
            continue
        if view.selected_source is not None and request.agency != view.selected_source:
            continue
        if _in_window(event.at, view):
            moments.append(_moment(event, request, case.urn))
    return moments, [summary(request, case.urn) for request in requests]


def merged(
    entries: Sequence[TimelineEntry], moments: Sequence[RequestMoment]
) -> list[TimelineEntry | RequestMoment]:
    """The page's updates and request changes together, newest first (an update above a change made at
    the same moment). Python's sort is stable, so updates keep the timeline's own order."""
    both: list[TimelineEntry | RequestMoment] = [*entries, *moments]
    return sorted(both, key=_when, reverse=True)


def _when(item: TimelineEntry | RequestMoment) -> tuple[datetime, bool]:
    if isinstance(item, TimelineEntry):
        return (item.occurred_at, True)
    return (item.at, False)
