"""Recording cases, the victims on them, and the updates agencies send.

Every way in (the agency API, an officer, the demo data) goes through these functions, so the Code
deadline is always computed the same way. Nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import updates as updates_data
from portal.models import Case, CaseUpdate, CaseVictim, Victim
from portal.models.base import new_id
from portal.services import vocabulary
from portal.services.messaging import dispatch
from portal.services.vocabulary import deadlines

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
    if not cases_data.is_victim_on_case(session, victim.id, case.id):
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
    # The message in Welsh, if the agency sent it (victims who chose Welsh read it).
    message_cy: str | None = None


def is_enhanced(victims: Sequence[Victim], victim_id: str | None) -> bool:
    """Enhanced rights apply to the update if the victim it is for (or any victim on the case) has them."""
    if victim_id is not None:
        victims = [v for v in victims if v.id == victim_id]
    return any(v.enhanced_rights for v in victims)


def build_update(
    case: Case,
    new: NewUpdate,
    victims: Sequence[Victim],
    overrides: Mapping[str, tuple[int, int]],
    supersedes: CaseUpdate | None = None,
) -> CaseUpdate:
    """The update as it will be stored, with its Code deadline (computed from when the agency had the
    information) and its id already set, so messages can refer to it before it is written."""
    vocabulary.get_event_type(new.event_type)
    enhanced = is_enhanced(victims, new.victim_id)
    return CaseUpdate(
        id=new_id(),
        case_id=case.id,
        agency=new.agency,
        event_type=new.event_type,
        agency_event_id=new.agency_event_id,
        occurred_at=new.occurred_at,
        received_at=new.received_at,
        code_deadline=deadlines.code_deadline(
            new.received_at, new.event_type, enhanced, overrides, details=new.details
        ),
        enhanced=enhanced,
        details=dict(new.details),
        message=new.message,
        message_cy=new.message_cy,
        victim_id=new.victim_id,
        supersedes_id=supersedes.id if supersedes is not None else None,
        superseded=False,
    )


def record_update(
    session: Session,
    case: Case,
    new: NewUpdate,
    *,
    announce: bool = True,
    audience: dispatch.Audience | None = None,
) -> CaseUpdate:
    """Store one update and, unless `announce` is False (historical demo data), the messages that tell
    its victims about it, in the same transaction. `audience`: see dispatch.Audience."""
    victims = audience.victims(session, case) if audience else dispatch.victims_of_case(session, case)
    update = build_update(case, new, victims, timescale_overrides())
    session.add(update)
    session.flush()
    if announce:
        dispatch.announce_update(session, case, update, audience=audience or _fixed(case, victims))
    return update


def store_updates(
    session: Session,
    case: Case,
    news: Sequence[tuple[NewUpdate, CaseUpdate | None]],
    audience: dispatch.Audience,
) -> list[CaseUpdate]:
    """Store several updates on one case in one statement (each with the update it corrects, if any,
    which is marked superseded). Does not announce them: see `announce`. Raises IntegrityError if another
    transaction stored one of the same agency event ids meanwhile: call it inside a SAVEPOINT, which then
    also undoes the "superseded" marks."""
    victims = audience.victims(session, case)
    overrides = timescale_overrides()
    updates = []
    for new, earlier in news:
        updates.append(build_update(case, new, victims, overrides, supersedes=earlier))
        if earlier is not None:
            earlier.superseded = True
    session.flush()  # the marks, in the caller's SAVEPOINT
    updates_data.add_updates(session, updates)
    return updates


def store_new_update(
    session: Session, case: Case, new: NewUpdate, audience: dispatch.Audience
) -> CaseUpdate | None:
    """Store one update that corrects none, unless its agency event id was stored before (a replay, or a
    concurrent request): then store nothing and return None. One INSERT that does nothing on that
    conflict, so unlike `store_updates` it needs no SAVEPOINT. Does not announce it: see `announce`."""
    update = build_update(case, new, audience.victims(session, case), timescale_overrides())
    return update if updates_data.add_update_unless_event_stored(session, update) else None


def announce(
    session: Session,
    case: Case,
    updates: Sequence[CaseUpdate],
    audience: dispatch.Audience,
    outgoing: dispatch.Outgoing | None = None,
) -> None:
    """The messages telling the victims about each update, written together: one statement per table for
    all of them (see dispatch.Outgoing). Given an `outgoing`, they are gathered in it for the caller to
    write (with other rows) instead."""
    gathered = outgoing or dispatch.Outgoing()
    for update in updates:
        dispatch.announce_update(session, case, update, audience=audience, outgoing=gathered)
    if outgoing is None:
        gathered.write(session)


def _fixed(case: Case, victims: list[Victim]) -> dispatch.Audience:
    """An audience holding only the victims just read (preferences are still read when needed)."""
    audience = dispatch.Audience()
    audience.remember_victims(case, victims)
    return audience
