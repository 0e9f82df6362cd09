"""Erasure on request, by two people: a witness care officer checks the victim's request (who is asking,
and that erasure is what they want) and records it; an administrator carries it out. An administrator
never sees the victim's name: the request is shown by the victim's pseudonym.

Carrying it out removes the victim's personal data: their name and contact details, their contact
points, preferences and needs with their history, drafts, people helping them, invitations and codes,
the requests they made (reviews, personal statements, complaints: what they wrote, the answers and every
status), their secure messages (every thread of theirs with the messages, replies, internal notes about
them and the files), their hearing reminders and the notes of contacts recorded with them, the text and
recipient of every message sent to them, updates meant for them alone, and the case's own information on
any case where nobody else is left; their account can no longer sign in.

Kept, because the law or the service's own accountability requires it: the audit trail (with their name
taken out of it), the record of this request (who checked, who carried it out, when, and counts), and
counts for statistics (that an update of a type was sent on a date, that a message went by a channel and
was delivered). The victim is known there only by a random id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import erasure_requests as erasure_data
from portal.data import retention as retention_data
from portal.models import ErasureRequest
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound

ERASURE_REQUESTED = "erasure-requested"
ERASURE_CARRIED_OUT = "erasure-carried-out"
ERASURE_REFUSED = "erasure-refused"
MAX_NOTE = 500


class ErasureProblem(Exception):
    """The request cannot be recorded or carried out (the message says why, in plain words)."""


@dataclass(frozen=True)
class OpenRequest:
    """A request waiting for an administrator, as an administrator sees it: no name, a pseudonym."""

    victim_id: str
    pseudonym: str
    requested_by: str
    requested_at: datetime
    check_note: str


def status_for_officer(session: Session, actor: Actor, victim_id: str) -> tuple[bool, ErasureRequest | None]:
    """(already erased, the request waiting for an administrator) for a victim of the officer's unit."""
    victim = access.victim_for_officer(session, actor, victim_id)
    return victim.anonymised_at is not None, erasure_data.open_request_for_victim(session, victim_id)


def request_erasure(session: Session, actor: Actor, victim_id: str, check_note: str) -> ErasureRequest:
    """An officer records a checked request. NotFound outside their unit; ErasureProblem if already
    asked for or done."""
    victim = access.victim_for_officer(session, actor, victim_id)
    if victim.anonymised_at is not None:
        raise ErasureProblem("This person's information has already been erased")
    if erasure_data.open_request_for_victim(session, victim_id) is not None:
        raise ErasureProblem("Erasure has already been asked for: an administrator will carry it out")
    request = erasure_data.add_request(
        session,
        ErasureRequest(
            victim_id=victim_id,
            requested_by_user_id=actor.user_id,
            requested_by_label=actor.label[:200],
            check_note=check_note.strip()[:MAX_NOTE],
            removed={},
        ),
    )
    audit.record_for_actor(session, actor, ERASURE_REQUESTED, subject_victim_id=victim_id)
    return request


def open_requests(session: Session, actor: Actor) -> list[OpenRequest]:
    """Requests waiting, for an administrator (NotFound for anyone else)."""
    access.require_admin(actor)
    return [
        OpenRequest(
            victim_id=request.victim_id,
            pseudonym=access.victim_pseudonym(request.victim_id),
            requested_by=request.requested_by_label,
            requested_at=request.requested_at,
            check_note=request.check_note,
        )
        for request in erasure_data.open_requests(session)
    ]


def _open_for_admin(session: Session, actor: Actor, victim_id: str) -> ErasureRequest:
    access.require_admin(actor)
    request = erasure_data.open_request_for_victim(session, victim_id)
    if request is None:
        raise NotFound
    return request


def open_request(session: Session, actor: Actor, victim_id: str) -> OpenRequest:
    """One waiting request, for an administrator; NotFound when there is none for this victim."""
    request = _open_for_admin(session, actor, victim_id)
    return OpenRequest(
        victim_id=request.victim_id,
        pseudonym=access.victim_pseudonym(request.victim_id),
        requested_by=request.requested_by_label,
        requested_at=request.requested_at,
        check_note=request.check_note,
    )


def carry_out(session: Session, actor: Actor, victim_id: str, now: datetime) -> dict[str, int]:
    """An administrator carries out the waiting request: what was removed, by kind (counts)."""
    request = _open_for_admin(session, actor, victim_id)
    if request.requested_by_user_id == actor.user_id:
        raise ErasureProblem("The person who checked the request cannot also carry it out")
    removed = retention_data.clear_victim(session, victim_id, now)
    cases_cleared = 0
    for case in cases_data.cases_for_victim(session, victim_id):
        others = [
            cv for cv in cases_data.case_victims_for_case(session, case.id) if cv.victim_id != victim_id
        ]
        if case.status != retention_data.ANONYMISED and all(cv.victim.anonymised_at for cv in others):
            retention_data.anonymise_case(session, case, now)
            cases_cleared += 1
    removed["cases with nobody else left"] = cases_cleared
    request.carried_out_at = now
    request.carried_out_by_user_id = actor.user_id
    request.carried_out_by_label = actor.label[:200]
    request.removed = removed
    audit.record_for_actor(
        session, actor, ERASURE_CARRIED_OUT, subject_victim_id=victim_id, detail={"removed": removed}
    )
    return removed


def refuse(session: Session, actor: Actor, victim_id: str, now: datetime) -> None:
    """An administrator does not carry out the request (it goes back to the officer to check again)."""
    request = _open_for_admin(session, actor, victim_id)
    request.cancelled_at = now
    request.cancelled_by_label = actor.label[:200]
    audit.record_for_actor(session, actor, ERASURE_REFUSED, subject_victim_id=victim_id)
