"""Who may see which of victims' requests (reviews, statements, complaints; issue 16): the victim their own,
on their own case; an officer the unit's (every request the unit's witness care answers, and for reading
every review and statement, never complaints about another agency nor about the portal); an agency system
what its agency must answer, on the cases it holds. The general rules (own case, the unit's victims, an
API client's force) are access.py's. Out of scope is NotFound, as everywhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import victim_requests as requests_data
from portal.models import Case, Victim, VictimRequest
from portal.models.victim_requests import REVIEW, SERVICE, STATEMENT
from portal.services.common.access import (
    api_client_covers_force,
    case_for_actor,
    officer_force_code,
    own_victim_id,
    victim_for_officer,
)
from portal.services.common.actors import Actor, ApiCaller
from portal.services.common.errors import NotFound

# --- Victims' requests (issue 16): the victim's own, on their own case; an officer's, on the unit's cases:
# every request the unit's witness care answers, and for reading every review and statement (not
# complaints about another agency, nor about the portal).


def request_for_victim(session: Session, actor: Actor, urn: str, reference: str) -> VictimRequest:
    """One of the victim's own requests on their case `urn`; another victim's or another case's is NotFound."""
    case = case_for_actor(session, actor, urn)
    for found in requests_data.requests_of_victim(session, own_victim_id(actor), case_id=case.id):
        if found.reference == reference.strip().upper():
            return found
    raise NotFound


def officer_may_see_request(request: VictimRequest) -> bool:
    return request.agency == "witness_care" or request.kind in (REVIEW, STATEMENT)


def officer_requests(
    session: Session,
    actor: Actor,
    *,
    victim_id: str | None = None,
    submitted: tuple[datetime, datetime] | None = None,
) -> list[tuple[VictimRequest, Case, Victim]]:
    """The requests an officer may see on the unit's cases (one victim's when given: NotFound if not the
    unit's), newest first; only those made in [start, end) when `submitted` is given."""
    if victim_id is not None:
        victim_for_officer(session, actor, victim_id)
    start, end = submitted if submitted is not None else (None, None)
    rows = requests_data.requests_in_force(
        session, officer_force_code(actor), victim_id=victim_id, submitted_from=start, submitted_before=end
    )
    return [row for row in rows if officer_may_see_request(row[0])]


def request_for_officer(session: Session, actor: Actor, reference: str) -> tuple[VictimRequest, Case, Victim]:
    """A request the officer may see (the rule above); another unit's, or a complaint about another agency,
    is NotFound."""
    rows = requests_data.requests_in_force(
        session, officer_force_code(actor), reference=reference.strip().upper()
    )
    if not rows or not officer_may_see_request(rows[0][0]):
        raise NotFound
    return rows[0]


# --- Agency API clients and victims' requests: what their agency must answer, on the cases they hold. --
# A complaint about the portal itself ("service") is never an agency's; a request not about a case is
# seen by an agency that is not force-scoped only (police and witness care hold their force's cases).


def requests_for_api_client(
    session: Session, caller: ApiCaller, *, kind: str | None, since: datetime | None, limit: int
) -> list[tuple[VictimRequest, Case | None]]:
    """The requests the caller's agency must answer (on its force's cases for police and witness care),
    changed after `since`, oldest change first, with their cases."""
    if caller.agency == SERVICE or (caller.force_scoped and not caller.force_code):
        return []
    rows = requests_data.requests_for_agency(
        session,
        caller.agency,
        kind=kind,
        since=since,
        force_code=caller.force_code if caller.force_scoped else None,
        limit=limit,
    )
    return [(request, case) for request, case in rows if _api_client_may_see(caller, request, case)]


def _api_client_may_see(caller: ApiCaller, request: VictimRequest, case: Case | None) -> bool:
    if request.agency == SERVICE or request.agency != caller.agency:
        return False
    if case is None:
        return not caller.force_scoped
    return api_client_covers_force(caller, case.force_code)


def request_for_api_client(
    session: Session, caller: ApiCaller, request_id: str
) -> tuple[VictimRequest, Case | None]:
    """One request the caller's agency must answer, with its case; another agency's or another force's,
    a complaint about the portal, or an id that is nobody's is NotFound (the same 404)."""
    request = requests_data.get_request(session, request_id.strip().lower())
    if request is None:
        raise NotFound
    case = cases_data.get_case(session, request.case_id) if request.case_id is not None else None
    if not _api_client_may_see(caller, request, case):
        raise NotFound
    return request, case
