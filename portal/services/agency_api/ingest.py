"""What agency systems send through the API: cases, victims and updates.

Requests reach here already shaped by the JSON Schemas (portal/api/schemas.py); this module applies the
rules the schemas cannot: scope, which agency may send which event type, replays, corrections. Nothing
here commits: a request that fails leaves nothing behind (the request rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import updates as updates_data
from portal.models import Case, CaseUpdate, CaseVictim
from portal.services import vocabulary
from portal.services.agency_api.clients import AGENCIES
from portal.services.agency_api.victims import add_victim_from_agency, victim_json
from portal.services.cases import records as case_records
from portal.services.common import access
from portal.services.common.actors import ApiCaller
from portal.services.messaging import dispatch
from portal.services.quality import checks as quality_checks

__all__ = [
    "AGENCIES",
    "MAX_EVENT_ID",
    "ApiInputError",
    "ApiOutOfScope",
    "add_victim",
    "put_case",
    "record_updates",
]

#: Longest event_id an agency may send (the stored id also carries a 3-character force prefix).
MAX_EVENT_ID = 90
#: How far ahead of our clock an agency's occurred_at / received_at may be (clock differences).
CLOCK_SKEW = timedelta(minutes=5)


class ApiInputError(Exception):
    """The request is well formed but cannot be applied; every problem is listed, naming its field."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class ApiOutOfScope(Exception):
    """The client may not write this case at all (for example another force's URN)."""


def stored_event_id(caller: ApiCaller, event_id: str) -> str:
    """Event ids are unique per agency; police and witness care ids are kept per force ("01:...") so
    one force's ids never collide with, or reveal, another's."""
    return f"{caller.force_code}:{event_id}" if caller.force_scoped else event_id


def public_event_id(update: CaseUpdate) -> str:
    stored = update.agency_event_id
    if update.agency in ("police", "witness_care") and len(stored) > 3 and stored[2] == ":":
        return stored[3:]
    return stored


def case_json(case: Case) -> dict[str, Any]:
    return {
        "urn": case.urn,
        "force_code": case.force_code,
        "offence": case.offence,
        "crn": case.crn,
        "reported_on": case.reported_on.isoformat() if case.reported_on else None,
        "status": case.status,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
    }


def put_case(
    session: Session, caller: ApiCaller, urn: str, body: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Create or update a case. Fields left out keep their current values. Raises InvalidURN."""
    normalised, force_code = case_records.parse_urn(urn)
    if not access.api_client_covers_force(caller, force_code):
        raise ApiOutOfScope(f"This API client can only send cases of police force {caller.force_code}")
    existing = cases_data.get_case_by_urn(session, normalised)

    def _upsert(current: Case | None) -> tuple[Case, bool]:
        return case_records.upsert_case(
            session,
            normalised,
            offence=body["offence"],
            crn=body.get("crn", current.crn if current else None),
            reported_on=(
                date.fromisoformat(body["reported_on"])
                if "reported_on" in body
                else (current.reported_on if current else None)
            ),
        )

    if existing is not None:
        case, created = _upsert(existing)
    else:
        try:
            with session.begin_nested():
                case, created = _upsert(None)
        except IntegrityError:  # created by a concurrent request a moment ago
            case, created = _upsert(cases_data.get_case_by_urn(session, normalised))
    return case_json(case), created


def add_victim(
    session: Session, caller: ApiCaller, case: Case, body: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Add a victim to a case; the same agency_person_reference on the same case returns the one there."""
    reference = body["agency_person_reference"]
    cases_data.lock_case(session, case.id)
    existing = cases_data.get_case_victim_by_reference(session, case.id, reference)
    if existing is not None:
        return victim_json(existing.victim, existing), False
    victim, link = add_victim_from_agency(session, caller, case, body)
    return victim_json(victim, link), True


def update_json(update: CaseUpdate, supersedes: str | None) -> dict[str, Any]:
    return {
        "id": update.id,
        "event_id": public_event_id(update),
        "type": update.event_type,
        "agency": update.agency,
        "occurred_at": _iso(update.occurred_at),
        "received_at": _iso(update.received_at),
        "code_deadline": update.code_deadline.isoformat() if update.code_deadline else None,
        "enhanced": bool(update.enhanced),
        "details": update.details or {},
        "message": update.message,
        "message_cy": update.message_cy,
        "victim_id": update.victim_id,
        "supersedes": supersedes,
        "superseded": bool(update.superseded),
        "created_at": _iso(update.created_at),
    }


def _json_with_supersedes(session: Session, update: CaseUpdate) -> dict[str, Any]:
    earlier = session.get(CaseUpdate, update.supersedes_id) if update.supersedes_id else None
    return update_json(update, public_event_id(earlier) if earlier else None)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _check_item(
    caller: ApiCaller, victim_ids: set[str], item: dict[str, Any], at: str, now: datetime
) -> list[str]:
    problems = []
    event = vocabulary.get_event_type(item["type"])
    allowed = [str(agency) for agency in event.agencies]
    if caller.agency not in allowed:
        problems.append(
            f"{at}type: {caller.agency} cannot send {event.code} (it is sent by: {', '.join(allowed)})"
        )
    for field in ("occurred_at", "received_at"):
        if _parse_time(item[field]) > now + CLOCK_SKEW:
            problems.append(f"{at}{field}: must not be in the future")
    victim_id = item.get("victim_id")
    if victim_id is not None and victim_id.lower() not in victim_ids:
        problems.append(f"{at}victim_id: is not a victim on this case")
    return problems


def _find_superseded(
    session: Session, caller: ApiCaller, case: Case, item: dict[str, Any], at: str
) -> tuple[CaseUpdate | None, str | None]:
    target = item.get("supersedes")
    if target is None:
        return None, None
    if target == item["event_id"]:
        return None, f"{at}supersedes: an update cannot correct itself"
    earlier = updates_data.get_update_by_agency_event(session, caller.agency, stored_event_id(caller, target))
    if earlier is None or earlier.case_id != case.id:
        return None, f"{at}supersedes: no earlier update from your agency on this case has event_id {target}"
    if earlier.superseded:
        return None, f"{at}supersedes: {target} has already been corrected; correct the latest update instead"
    return earlier, None


_ToStore = tuple[int, int, dict[str, Any], str, CaseUpdate | None]


def record_updates(
    session: Session,
    caller: ApiCaller,
    case: Case,
    items: list[dict[str, Any]],
    *,
    batch: bool,
    victims: list[tuple[CaseVictim, bool]] | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """Store updates in order, all or nothing. Returns their representations (with the `warnings` of
    their quality checks) and whether any was new. `victims`: the case's victims, if the caller read them
    in this unit of work (`access.case_and_victims_for_api_client`); else they are read here.

    A replay (same agency and event_id) returns the update stored the first time and stores nothing.
    Most requests carry only new events, so they are first stored without looking for replays: in one
    statement, inside a SAVEPOINT, which the unique constraint on event ids rolls back if any was stored
    before (a replay, or a concurrent request); a single update correcting none (most calls) in one INSERT
    that does nothing on that conflict, with no SAVEPOINT. Then, and whenever the request has a problem (it may be
    a replay of an update since corrected), every event id is looked up and replays answered as such;
    the new updates are again written in one INSERT, and if another request stored one of the same event
    ids meanwhile they are stored one at a time, each returning the winner's update where it lost.
    """
    now = datetime.now(UTC)
    audience = dispatch.Audience()  # the case's victims, their preferences and copies: read once
    if victims is not None:
        audience.remember_links(case, victims)
    # Every message and check of the call is gathered in `outgoing` and written together below.
    call = _Call(session, caller, case, audience, dispatch.Outgoing())
    problems, results, to_store = _sort_items(call, items, {}, now, batch=batch)
    stored = None if problems else _store_if_all_new(call, to_store)
    if stored is not None:
        updates, created_any = stored, True
    else:
        already = updates_data.updates_by_agency_event(
            session, caller.agency, [stored_event_id(caller, item["event_id"]) for item in items]
        )
        problems, results, to_store = _sort_items(call, items, already, now, batch=batch)
        if problems:
            raise ApiInputError(problems)
        created_any = _store_new(call, to_store, results, batch=batch)
        updates = [update for update in results if update is not None]
    # Each update's quality checks: run now and stored for a new one; a replay's are those of the first time.
    checks = quality_checks.check_updates(
        session, updates, just_stored=stored is not None, writes=call.outgoing.also
    )
    call.outgoing.write(session)
    return [
        {**_json_with_supersedes(session, update), "warnings": list(checks[update.id].warnings)}
        for update in updates
    ], created_any


@dataclass(frozen=True)
class _Call:
    """One update call being stored: its unit of work, who sent it, about which case, what announcing
    reads once for the whole call, and the messages and checks it gathers to write at its end."""

    session: Session
    caller: ApiCaller
    case: Case
    audience: dispatch.Audience
    outgoing: dispatch.Outgoing


def _sort_items(
    call: _Call,
    items: list[dict[str, Any]],
    already: dict[str, CaseUpdate],
    now: datetime,
    *,
    batch: bool,
) -> tuple[list[str], list[CaseUpdate | None], list[_ToStore]]:
    """(problems, results with the replays in place and None for each new update, the new updates)."""
    session, caller, case, audience = call.session, call.caller, call.case, call.audience
    problems: list[str] = []
    results: list[CaseUpdate | None] = []
    to_store: list[_ToStore] = []
    seen_ids: set[str] = set()
    victim_ids: set[str] | None = None
    for index, item in enumerate(items):
        at = f"updates[{index}]." if batch else ""
        if item["event_id"] in seen_ids:
            problems.append(f"{at}event_id: {item['event_id']} appears more than once in this batch")
            continue
        seen_ids.add(item["event_id"])
        stored_id = stored_event_id(caller, item["event_id"])
        existing = already.get(stored_id)
        if existing is not None:
            if existing.case_id != case.id:
                problems.append(f"{at}event_id: {item['event_id']} was already used for another case")
            else:
                results.append(existing)
            continue
        if victim_ids is None:
            victim_ids = {victim.id for victim in audience.victims(session, case)}
        item_problems = _check_item(caller, victim_ids, item, at, now)
        earlier, supersede_problem = _find_superseded(session, caller, case, item, at)
        if supersede_problem:
            item_problems.append(supersede_problem)
        if item_problems:
            problems.extend(item_problems)
            continue
        to_store.append((len(results), index, item, stored_id, earlier))
        results.append(None)  # filled in below, keeping the request's order
    return problems, results, to_store


def _store_if_all_new(call: _Call, to_store: list[_ToStore]) -> list[CaseUpdate] | None:
    """Store and announce the updates if none of their event ids was stored before; else store nothing
    and return None."""
    session, caller, case, audience = call.session, call.caller, call.case, call.audience
    cases_data.serialise_case_writes(session, case.id)
    news = [(_new_update(caller, item, stored_id), earlier) for _, _, item, stored_id, earlier in to_store]
    if len(news) == 1 and news[0][1] is None:  # most calls: one update, correcting none
        update = case_records.store_new_update(session, case, news[0][0], audience)
        if update is None:
            return None
        updates = [update]
    else:
        try:
            with session.begin_nested():
                updates = case_records.store_updates(session, case, news, audience)
        except IntegrityError:
            for _, earlier in news:  # the SAVEPOINT undid any "superseded" marks
                if earlier is not None:
                    session.refresh(earlier)
            return None
    case_records.announce(session, case, updates, audience, call.outgoing)
    return updates


def _store_new(
    call: _Call, to_store: list[_ToStore], results: list[CaseUpdate | None], *, batch: bool
) -> bool:
    """Store the request's new updates, filling in their places in `results`; whether any was new.
    Raises ApiInputError if an event id turned out to be another case's (a concurrent request)."""
    if not to_store:
        return False
    cases_data.serialise_case_writes(call.session, call.case.id)
    stored = _store_all(call, to_store)
    problems: list[str] = []
    created_any = False
    for (position, index, item, _, _), (update, created) in zip(to_store, stored, strict=True):
        if update is None:
            at = f"updates[{index}]." if batch else ""
            problems.append(f"{at}event_id: {item['event_id']} was already used for another case")
            continue
        created_any = created_any or created
        results[position] = update
    if problems:
        raise ApiInputError(problems)
    return created_any


def _new_update(caller: ApiCaller, item: dict[str, Any], stored_id: str) -> case_records.NewUpdate:
    return case_records.NewUpdate(
        agency=caller.agency,
        event_type=item["type"],
        agency_event_id=stored_id,
        occurred_at=_parse_time(item["occurred_at"]),
        received_at=_parse_time(item["received_at"]),
        details=item.get("details") or {},
        message=item.get("message"),
        message_cy=item.get("message_cy"),
        victim_id=item["victim_id"].lower() if item.get("victim_id") else None,
    )


def _store_all(call: _Call, to_store: list[_ToStore]) -> list[tuple[CaseUpdate | None, bool]]:
    """All the request's new updates in one statement, then their messages; one at a time on a conflict."""
    session, caller, case, audience = call.session, call.caller, call.case, call.audience
    news = [(_new_update(caller, item, stored_id), earlier) for _, _, item, stored_id, earlier in to_store]
    try:
        with session.begin_nested():
            updates = case_records.store_updates(session, case, news, audience)
    except IntegrityError:
        # Another request stored one of these event ids first: the SAVEPOINT undid ours (including any
        # "superseded" marks), so each is stored on its own and the losers return the winners' updates.
        for _, earlier in news:
            if earlier is not None:
                session.refresh(earlier)
        return [
            _store_one(call, new, stored_id, earlier)
            for (new, earlier), (_, _, _, stored_id, _) in zip(news, to_store, strict=True)
        ]
    case_records.announce(session, case, updates, audience, call.outgoing)
    return [(update, True) for update in updates]


def _store_one(
    call: _Call, new: case_records.NewUpdate, stored_id: str, earlier: CaseUpdate | None
) -> tuple[CaseUpdate | None, bool]:
    session, case = call.session, call.case
    try:
        with session.begin_nested():
            [update] = case_records.store_updates(session, case, [(new, earlier)], call.audience)
    except IntegrityError:
        winner = updates_data.get_update_by_agency_event(session, call.caller.agency, stored_id)
        if winner is None or winner.case_id != case.id:
            return None, False
        return winner, False
    case_records.announce(session, case, [update], call.audience, call.outgoing)
    return update, True


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
