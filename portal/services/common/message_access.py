"""Who may see or write in which secure message thread (issue 15), in the style of access.py: a victim
only their own threads, on their own case, through that case's URN; a support worker only under an
active delegation with "send-messages", read from the database on every call; officers and agency
systems by the functions appended below. Out of scope is NotFound (a 404), never a 403."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import secure_messages as messages_data
from portal.models import Case, Delegation, MessageAttachment, MessageThread, SecureMessage, Victim
from portal.models.delegations import SEND_MESSAGES
from portal.models.messages import FROM_VICTIM, NOTE
from portal.services.common.access import (
    api_client_covers_force,
    case_for_actor,
    delegation_for_worker,
    officer_force_code,
    own_victim_id,
)
from portal.services.common.actors import Actor, ApiCaller
from portal.services.common.errors import NotFound

# --- The victim: their own threads on their own cases ------------------------------------------------


def case_for_victim_messages(session: Session, actor: Actor, urn: str) -> tuple[str, Case]:
    """The signed-in victim's id and one of their cases (anyone else's case, or anyone else: NotFound)."""
    victim_id = own_victim_id(actor)
    return victim_id, case_for_actor(session, actor, urn)


def thread_for_victim(
    session: Session, actor: Actor, urn: str, thread_id: str
) -> tuple[str, Case, MessageThread]:
    """One of the victim's threads on the case named by `urn` (another victim's thread, or one on
    another case, looks like no thread)."""
    victim_id, case = case_for_victim_messages(session, actor, urn)
    return victim_id, case, _thread_on(session, thread_id, victim_id, case)


# --- Support workers: a victim's threads under a delegation with "send-messages" ----------------------


def cases_for_worker_messages(
    session: Session, actor: Actor, victim_id: str
) -> tuple[list[Case], Delegation]:
    """The victim's cases, for a support worker the victim lets send messages for them now."""
    delegation = delegation_for_worker(session, actor, victim_id, SEND_MESSAGES)
    return list(cases_data.cases_for_victim(session, victim_id)), delegation


def case_for_worker_messages(
    session: Session, actor: Actor, victim_id: str, urn: str
) -> tuple[Case, Delegation]:
    """A case of the victim's, for a support worker the victim lets send messages for them now."""
    delegation = delegation_for_worker(session, actor, victim_id, SEND_MESSAGES)
    case = cases_data.get_case_by_urn(session, urn)
    if case is None or not cases_data.is_victim_on_case(session, victim_id, case.id):
        raise NotFound
    return case, delegation


def thread_for_worker(
    session: Session, actor: Actor, victim_id: str, urn: str, thread_id: str
) -> tuple[Case, Delegation, MessageThread]:
    """One of the victim's threads on that case, for a worker allowed to send messages for them."""
    case, delegation = case_for_worker_messages(session, actor, victim_id, urn)
    return case, delegation, _thread_on(session, thread_id, victim_id, case)


def _thread_on(session: Session, thread_id: str, victim_id: str, case: Case) -> MessageThread:
    thread = messages_data.get_thread(session, thread_id)
    if thread is None or thread.victim_id != victim_id or thread.case_id != case.id:
        raise NotFound
    return thread


# --- Witness care officers: threads on their unit's cases that the unit answers -----------------------
# The unit answers what victims write to witness care and, in the portal, to the officer in the case (the
# police answer there when they have no system of their own). What is written to the Victim Liaison
# Officer is probation's: its own system reads and answers it through the API, and the unit does not see it.

#: The agencies whose threads a witness care unit's officers see and answer.
OFFICER_AGENCIES: tuple[str, ...] = ("witness_care", "police")


def officer_threads(
    session: Session, actor: Actor, *, statuses: Sequence[str], limit: int | None = None
) -> Sequence[tuple[MessageThread, Case, Victim]]:
    """The unit's threads in `statuses`, with case and victim, the most recently changed first."""
    return messages_data.threads_in_force(
        session, officer_force_code(actor), OFFICER_AGENCIES, statuses=statuses, limit=limit
    )


def officer_thread_statuses(session: Session, actor: Actor) -> Sequence[tuple[str, int | None, int]]:
    """(status, assigned user id, count) of the unit's threads."""
    return messages_data.thread_statuses_in_force(session, officer_force_code(actor), OFFICER_AGENCIES)


def thread_for_officer(session: Session, actor: Actor, thread_id: str) -> tuple[MessageThread, Case, Victim]:
    """A thread the officer's unit answers, on one of its cases; another unit's, one written to the Victim
    Liaison Officer, or an id that is nobody's is NotFound."""
    found = messages_data.thread_in_force(
        session, thread_id.strip().lower(), officer_force_code(actor), OFFICER_AGENCIES
    )
    if found is None:
        raise NotFound
    return found


# --- Agency systems (the API): messages from the victim's side on the threads their agency answers ------
# The rule of the requests feed (request_access.requests_for_api_client): the caller's agency's threads only;
# police and witness care only on their force's cases, the CPS and probation on every force's. Replies and
# internal notes are never listed or answerable: their ids look like no message.


def _api_client_may_see(caller: ApiCaller, message: SecureMessage, thread: MessageThread, case: Case) -> bool:
    return (
        message.direction == FROM_VICTIM
        and thread.agency == caller.agency
        and api_client_covers_force(caller, case.force_code)
    )


def messages_for_api_client(
    session: Session, caller: ApiCaller, *, since: datetime | None, limit: int
) -> list[tuple[SecureMessage, MessageThread, Case]]:
    """Messages from the victim's side the caller's agency answers, written after `since`, oldest first."""
    if caller.force_scoped and not caller.force_code:
        return []
    rows = messages_data.from_victim_for_agency(
        session,
        caller.agency,
        since=since,
        force_code=caller.force_code if caller.force_scoped else None,
        limit=limit,
    )
    return [row for row in rows if _api_client_may_see(caller, *row)]


def message_for_api_client(
    session: Session, caller: ApiCaller, message_id: str
) -> tuple[SecureMessage, MessageThread, Case]:
    """One message from the victim's side the caller's agency answers; another agency's or force's, a
    reply, a note or an id that is nobody's is NotFound (the same 404)."""
    found = messages_data.message_with_thread(session, message_id.strip().lower())
    if found is None or not _api_client_may_see(caller, *found):
        raise NotFound
    return found


def attachment_for_api_client(
    session: Session, caller: ApiCaller, message_id: str, attachment_id: str
) -> tuple[SecureMessage, MessageThread, MessageAttachment]:
    """A file attached to a message the caller may read (`message_for_api_client`); a file of another
    message is NotFound."""
    message, thread, _case = message_for_api_client(session, caller, message_id)
    attachment = messages_data.get_attachment(session, attachment_id.strip().lower())
    if attachment is None or attachment.message_id != message.id:
        raise NotFound
    return message, thread, attachment


# --- The timeliness report: figures about messages on the unit's cases (every agency's; no names) ------


def officer_report_messages(
    session: Session, actor: Actor, written: tuple[datetime, datetime]
) -> Sequence[tuple[SecureMessage, MessageThread]]:
    """Messages from the victim's side on the officer's unit's cases written in [start, end), with their
    threads, for the unit's figures (every agency's threads, as the report counts every agency's updates)."""
    start, end = written
    return messages_data.from_victim_in_force(
        session, officer_force_code(actor), written_from=start, written_before=end
    )


# --- Downloads of attached files (services/secure_messages/attachments.py) ------------------------------
# Whoever may read the thread may download the files of its messages, except that the files of an
# internal note are the unit's alone: to the victim and their support worker they look like no file.


def attachment_for_victim(
    session: Session, actor: Actor, urn: str, thread_id: str, attachment_id: str
) -> tuple[MessageThread, MessageAttachment]:
    """A file on a message of one of the signed-in victim's threads (`thread_for_victim`)."""
    _victim_id, _case, thread = thread_for_victim(session, actor, urn, thread_id)
    return thread, _attachment_in(session, thread, attachment_id, with_notes=False)


def attachment_for_worker(
    session: Session, actor: Actor, victim_id: str, urn: str, thread_id: str, attachment_id: str
) -> tuple[MessageThread, MessageAttachment]:
    """A file on a message of the victim's thread, for a support worker allowed to send messages for
    them now (`thread_for_worker`)."""
    _case, _delegation, thread = thread_for_worker(session, actor, victim_id, urn, thread_id)
    return thread, _attachment_in(session, thread, attachment_id, with_notes=False)


def attachment_for_officer(
    session: Session, actor: Actor, thread_id: str, attachment_id: str
) -> tuple[MessageThread, MessageAttachment]:
    """A file on any message (internal notes too) of a thread the officer's unit answers
    (`thread_for_officer`)."""
    thread, _case, _victim = thread_for_officer(session, actor, thread_id)
    return thread, _attachment_in(session, thread, attachment_id, with_notes=True)


def _attachment_in(
    session: Session, thread: MessageThread, attachment_id: str, *, with_notes: bool
) -> MessageAttachment:
    found = messages_data.attachment_in_thread(session, attachment_id.strip().lower(), thread.id)
    if found is None or (found[1].direction == NOTE and not with_notes):
        raise NotFound
    return found[0]
