"""Recording cases, the victims on them, and the updates agencies send.

Every way in (the agency API, an officer, the demo data) goes through these functions, so the Code
deadline is always computed the same way. Nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.models import Case, CaseUpdate, CaseVictim, Victim
from portal.services import deadlines, dispatch, vocabulary

URN_PATTERN = re.compile(r"^(?P<force>\d{2})[A-Z]{2}\d{5}\d{2}$")


class InvalidURN(ValueError):
    pass


def parse_urn(urn: str) -> tuple[str, str]:
    """Normalise a URN and return it with its force code. `01YZ1234524` -> ("01YZ1234524", "01")."""
    normalised = urn.strip().upper().replace(" ", "")
    match = URN_PATTERN.match(normalised)
    if not match:
        raise InvalidURN(
            "URN must be 2 digits (the police force code), 2 letters, 5 digits and a 2-digit year, "
            "like 01YZ1234524"
        )
    return normalised, match.group("force")


def upsert_case(
    session: Session, urn: str, *, offence: str, crn: str | None = None, reported_on: date | None = None
) -> tuple[Case, bool]:
    """Create or update a case by URN. Returns the case and whether it was created."""
    normalised, force_code = parse_urn(urn)
    case = cases_data.get_case_by_urn(session, normalised)
    created = case is None
    if case is None:
        case = Case(urn=normalised, force_code=force_code, offence=offence)
        session.add(case)
    case.offence = offence
    case.crn = crn
    case.reported_on = reported_on
    session.flush()
    return case, created


def add_victim(
    session: Session, case: Case, victim: Victim, agency_person_reference: str | None = None
) -> None:
    if victim.id is None:
        session.add(victim)
        session.flush()
    if not cases_data.victim_is_on_case(session, victim.id, case.id):
        session.add(
            CaseVictim(case_id=case.id, victim_id=victim.id, agency_person_reference=agency_person_reference)
        )
        session.flush()


def timescale_overrides() -> dict[str, tuple[int, int]]:
    return vocabulary.parse_overrides(current_app.config.get("CODE_TIMESCALE_OVERRIDES", ""))


@dataclass(frozen=True)
class NewUpdate:
    agency: str
    event_type: str
    agency_event_id: str
    occurred_at: datetime
    received_at: datetime
    details: Mapping[str, Any]
    message: str | None = None
    victim_id: str | None = None


def is_enhanced(session: Session, case: Case, victim_id: str | None) -> bool:
    """Enhanced rights apply to the update if the victim it is for (or any victim on the case) has them."""
    victims = [cv.victim for cv in case.victims]
    if victim_id is not None:
        victims = [v for v in victims if v.id == victim_id]
    return any(v.enhanced_rights for v in victims)


def record_update(
    session: Session,
    case: Case,
    new: NewUpdate,
    *,
    announce: bool = True,
    audience: dispatch.Audience | None = None,
) -> CaseUpdate:
    """Store an update with its Code deadline (computed from when the agency had the information) and,
    unless `announce` is False (historical demo data), the messages that tell its victims about it, in
    the same transaction. `audience`: see dispatch.Audience (a batch of updates in one request)."""
    vocabulary.get_event_type(new.event_type)
    enhanced = is_enhanced(session, case, new.victim_id)
    update = CaseUpdate(
        case_id=case.id,
        agency=new.agency,
        event_type=new.event_type,
        agency_event_id=new.agency_event_id,
        occurred_at=new.occurred_at,
        received_at=new.received_at,
        code_deadline=deadlines.code_deadline(
            new.received_at, new.event_type, enhanced, timescale_overrides(), details=new.details
        ),
        enhanced=enhanced,
        details=dict(new.details),
        message=new.message,
        victim_id=new.victim_id,
    )
    session.add(update)
    session.flush()
    if announce:
        if audience is None or audience.first_time_for(case):
            session.refresh(case, ["victims"])
        dispatch.announce_update(session, case, update, audience=audience)
    return update
