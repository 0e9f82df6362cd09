"""Victim Personal Statements (Code right 7; issue 16).

When a victim may make one: an update on their case offers the right (a statement for the court when the
witness statement is taken, once someone is charged, and before sentence; a statement for the Parole Board
once a parole review has started). A statement for the court goes to the Crown Prosecution Service through
Witness Care (agency "cps"); one for the Parole Board to probation (its Victim Liaison Officer).

The victim writes it (up to 20,000 characters) or uploads it (a PDF or Word document of at most 10 MB,
checked by what the file holds, not by its name), says whether they want to read it aloud, and sends it.
What they write is kept between visits (portal.models.statement_drafts), whatever happens to the session,
until it is sent. A statement sent is never changed: "update your statement" sends a new version that
supersedes the one before (the agency sees both).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import statement_drafts as drafts_data
from portal.data import updates as updates_data
from portal.data import victim_requests as requests_data
from portal.models import Case, StatementDocument, VictimRequest
from portal.models.statement_drafts import COURT, PAROLE, PURPOSES
from portal.models.victim_requests import STATEMENT, WITHDRAWN
from portal.services import vocabulary
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.requests import lifecycle

__all__ = ["COURT", "PAROLE", "PURPOSES"]

MAX_TEXT = 20_000
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Whether the victim wants to read their statement aloud in court.
READ_MYSELF = "myself"
READ_FOR_ME = "someone-else"
NO_PREFERENCE = "no-preference"
READ_ALOUD_CHOICES: dict[str, LazyString] = {
    READ_MYSELF: _l("I want to read it out myself"),
    READ_FOR_ME: _l("I want someone to read it out for me"),
    NO_PREFERENCE: _l("I do not mind, or I do not want it read out"),
}
#: Whether the victim wants to read their statement at the Parole Board hearing.
HEARING_CHOICES: dict[str, LazyString] = {
    "yes": _l("Yes, I want to read it at the hearing"),
    "no": _l("No"),
}
PURPOSE_NAMES: dict[str, LazyString] = {
    COURT: _l("Victim Personal Statement for the court"),
    PAROLE: _l("Victim Personal Statement for the Parole Board"),
}


class StatementRefused(ValueError):
    """What the victim gave cannot be taken: `message` says why, in words for them."""

    def __init__(self, message: LazyString | str) -> None:
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Opportunity:
    """A statement the victim may make now: on which case, for whom, and the update that offered it."""

    victim_id: str
    case: Case
    purpose: str
    update_id: str
    agency: str


# --- Who may make a statement -------------------------------------------------------------------------


def _purpose_of(right: vocabulary.ReviewRight) -> str | None:
    if vocabulary.right_kind(right) != STATEMENT:
        return None
    return PAROLE if right is vocabulary.PAROLE_VPS else COURT


def _opportunities(session: Session, victim_id: str, case: Case) -> dict[str, Opportunity]:
    """purpose -> the statement the victim may make on this case, offered by its newest update."""
    found: dict[str, Opportunity] = {}
    for update in updates_data.updates_for_victim(session, [case.id], victim_id):  # newest first
        for right in vocabulary.rights_offered(update.event_type, update.details or {}):
            purpose = _purpose_of(right)
            if purpose is not None and purpose not in found:
                agency = "probation" if purpose == PAROLE else "cps"
                found[purpose] = Opportunity(victim_id, case, purpose, update.id, agency)
    return found


def opportunity(session: Session, actor: Actor, urn: str, purpose: str) -> Opportunity:
    """The statement the signed-in victim may make on their case `urn`; NotFound for anyone else, another
    victim's case, or a case with no update offering this statement."""
    victim_id = access.own_victim_id(actor)
    case = access.case_for_actor(session, actor, urn)
    found = _opportunities(session, victim_id, case).get(purpose) if purpose in PURPOSES else None
    if found is None:
        raise NotFound
    return found


def opportunity_from_update(session: Session, actor: Actor, update_id: str) -> Opportunity:
    """The statement offered by one of the victim's updates (the link on the timeline)."""
    victim_id = access.own_victim_id(actor)
    cases = {case.id: case for case in access.own_cases(session, actor)}
    for update in updates_data.updates_for_victim(session, list(cases), victim_id):
        if update.id != update_id:
            continue
        for right in vocabulary.rights_offered(update.event_type, update.details or {}):
            purpose = _purpose_of(right)
            if purpose is not None:
                return opportunity(session, actor, cases[update.case_id].urn, purpose)
    raise NotFound


# --- The statements already sent ------------------------------------------------------------------------


def statements_sent(session: Session, chance: Opportunity) -> list[VictimRequest]:
    """The victim's statements for this case and purpose, newest first (withdrawn ones included)."""
    return [
        request
        for request in requests_data.requests_of_victim(
            session, chance.victim_id, case_id=chance.case.id, kind=STATEMENT
        )
        if request.answers.get("purpose") == chance.purpose
    ]


def next_version(session: Session, chance: Opportunity) -> int:
    """The version number the next statement sent will have (1 for the first; withdrawn ones count)."""
    return max((int(r.answers.get("version") or 1) for r in statements_sent(session, chance)), default=0) + 1


def latest_statement(session: Session, chance: Opportunity) -> VictimRequest | None:
    """The statement a new one would supersede: the newest not withdrawn."""
    return next((r for r in statements_sent(session, chance) if r.status != WITHDRAWN), None)


# --- Writing it: the text kept between visits, and the document uploaded -------------------------------


def draft_text(session: Session, chance: Opportunity) -> str | None:
    """The text written so far, or None when nothing has been kept."""
    draft = drafts_data.get_draft(session, chance.victim_id, chance.case.id, chance.purpose)
    return None if draft is None else draft.text


def starting_text(session: Session, chance: Opportunity) -> str:
    """What the writing box starts with: the text kept, else the last statement sent (to change or add
    to: the one sent stays as it was), else nothing."""
    kept = draft_text(session, chance)
    if kept is not None:
        return kept
    latest = latest_statement(session, chance)
    return str(latest.answers.get("text") or "") if latest is not None else ""


def clean_text(text: str | None) -> str:
    """The text as kept: line endings made one kind, spaces at the ends removed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_text(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise StatementRefused(_l("Your statement must be 20,000 characters or fewer"))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise StatementRefused(_l("Your statement must not contain special control characters"))


def save_text(session: Session, chance: Opportunity, text: str, *, now: datetime | None = None) -> None:
    """Keep what the victim has written (on every "Continue" and "Save and come back later"). Text over
    the limit is still kept, so that nothing typed is lost; it cannot be sent until it is shorter."""
    drafts_data.save_draft(
        session, chance.victim_id, chance.case.id, chance.purpose, text, now or datetime.now(UTC)
    )


def document_type(data: bytes) -> str:
    """The document's type from what it holds (never from its name): a PDF, or a Word .docx (a zip file
    holding word/document.xml). StatementRefused for anything else, an empty file or one over 10 MB."""
    if not data:
        raise StatementRefused(_l("The selected file is empty"))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise StatementRefused(_l("The selected file must be smaller than 10MB"))
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except (zipfile.BadZipFile, ValueError):
            pass
    raise StatementRefused(_l("The selected file must be a PDF or a Word document (.docx)"))


def _safe_filename(filename: str, content_type: str) -> str:
    name = "".join(ch for ch in filename.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    extension = ".pdf" if content_type == PDF else ".docx"
    return (name or f"statement{extension}")[:255]


def upload(
    session: Session, chance: Opportunity, filename: str, data: bytes, *, now: datetime | None = None
) -> StatementDocument:
    """Keep an uploaded document for the statement being written, in place of one uploaded before."""
    content_type = document_type(data)
    document = StatementDocument(
        victim_id=chance.victim_id,
        case_id=chance.case.id,
        purpose=chance.purpose,
        filename=_safe_filename(filename, content_type),
        content_type=content_type,
        size=len(data),
        content=data,
        uploaded_at=now or datetime.now(UTC),
    )
    drafts_data.replace_pending_document(session, document)
    return document


def pending_document(session: Session, chance: Opportunity) -> StatementDocument | None:
    return drafts_data.pending_document(session, chance.victim_id, chance.case.id, chance.purpose)


def remove_document(session: Session, chance: Opportunity) -> None:
    drafts_data.remove_pending_document(session, chance.victim_id, chance.case.id, chance.purpose)


def document_for_victim(session: Session, actor: Actor, document_id: str) -> StatementDocument:
    """A document the signed-in victim uploaded (sent or not); NotFound for anyone else's."""
    document = drafts_data.document_of_victim(session, document_id, access.own_victim_id(actor))
    if document is None:
        raise NotFound
    return document


def document_of_request(session: Session, request: VictimRequest) -> StatementDocument | None:
    """The document sent with a statement, for whoever may already read `request` (the agency answering
    it, scoped by services/common/access.py)."""
    if request.kind != STATEMENT:
        return None
    return drafts_data.document_of_request(session, request.id)


# --- Sending it --------------------------------------------------------------------------------------


def check_choice(chance: Opportunity, choice: str | None) -> str:
    choices = HEARING_CHOICES if chance.purpose == PAROLE else READ_ALOUD_CHOICES
    if choice not in choices:
        if chance.purpose == PAROLE:
            raise StatementRefused(_l("Select whether you want to read your statement at the hearing"))
        raise StatementRefused(_l("Select whether you want to read your statement out in court"))
    return choice


def ready_to_send(session: Session, chance: Opportunity) -> bool:
    """Something to send: text within the limit, or a document."""
    text = draft_text(session, chance) or ""
    if len(text) > MAX_TEXT:
        return False
    return bool(text) or pending_document(session, chance) is not None


def submit(
    session: Session,
    chance: Opportunity,
    *,
    choice: str,
    submitted_by_user_id: int | None,
    now: datetime | None = None,
) -> VictimRequest:
    """Send the statement: a new request (a new version superseding the last statement, if any) holding
    the text and the document's description; the document is tied to it and the draft deleted."""
    text = draft_text(session, chance) or ""
    check_text(text)
    document = pending_document(session, chance)
    if not text and document is None:
        raise StatementRefused(_l("Write your statement or upload a document"))
    choice = check_choice(chance, choice)
    previous = latest_statement(session, chance)
    answers: dict[str, Any] = {
        "purpose": chance.purpose,
        "version": next_version(session, chance),
        "text": text,
        "document_name": None if document is None else document.filename,
        "document": None
        if document is None
        else {
            "id": document.id,
            "filename": document.filename,
            "content_type": document.content_type,
            "size": document.size,
        },
        ("read_at_hearing" if chance.purpose == PAROLE else "read_aloud"): choice,
        "declaration": True,
    }
    request = lifecycle.submit(
        session,
        kind=STATEMENT,
        victim_id=chance.victim_id,
        agency=chance.agency,
        answers=answers,
        submitted_by_user_id=submitted_by_user_id,
        case_id=chance.case.id,
        update_id=chance.update_id,
        supersedes=previous,
        now=now,
    )
    if document is not None:
        document.request_id = request.id
    drafts_data.delete_draft(session, chance.victim_id, chance.case.id, chance.purpose)
    return request


def sent_statement(session: Session, chance: Opportunity, reference: str) -> VictimRequest:
    """One of the victim's statements for this case and purpose, by its reference; NotFound otherwise."""
    for request in statements_sent(session, chance):
        if request.reference == reference:
            return request
    raise NotFound


# --- Showing the answers ------------------------------------------------------------------------------


def answer_labels() -> dict[str, LazyString]:
    """The answers a statement's page shows as they are stored, each with its label, in order. The
    coded answers (who it is for, reading it aloud) need `answer_values` to be read."""
    return {
        "version": _l("Version"),
        "text": _l("Your statement"),
        "document_name": _l("Document uploaded"),
        "declaration": _l("I understand that the defendant and their lawyers will see my statement"),
    }


def all_answer_labels() -> dict[str, LazyString]:
    """Every key `answer_values` may give, with its label, in order."""
    return {
        "purpose": _l("Who the statement is for"),
        **answer_labels(),
        "read_aloud": _l("Reading it out in court"),
        "read_at_hearing": _l("Reading it at the Parole Board hearing"),
    }


def answer_values(answers: dict[str, Any]) -> dict[str, str]:
    """Each answer in words for the victim (keyed as `all_answer_labels`), leaving out what is not given."""
    shown: dict[str, str] = {}
    if answers.get("purpose") in PURPOSE_NAMES:
        shown["purpose"] = str(PURPOSE_NAMES[answers["purpose"]])
    if answers.get("version"):
        shown["version"] = str(answers["version"])
    if answers.get("text"):
        shown["text"] = str(answers["text"])
    if answers.get("document_name"):
        shown["document_name"] = str(answers["document_name"])
    if answers.get("declaration"):
        shown["declaration"] = str(_l("Yes"))
    if answers.get("read_aloud") in READ_ALOUD_CHOICES:
        shown["read_aloud"] = str(READ_ALOUD_CHOICES[answers["read_aloud"]])
    if answers.get("read_at_hearing") in HEARING_CHOICES:
        shown["read_at_hearing"] = str(HEARING_CHOICES[answers["read_at_hearing"]])
    return shown
