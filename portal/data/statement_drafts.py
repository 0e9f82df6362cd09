"""Queries about Victim Personal Statements being written (portal.models.statement_drafts): the text kept
between visits, and the documents a victim uploads. May flush, never commits. Who may ask is decided in
services (services/requests/statement.py, through services/common/access.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.models import StatementDocument, StatementDraft


def get_draft(session: Session, victim_id: str, case_id: int, purpose: str) -> StatementDraft | None:
    return session.scalar(
        select(StatementDraft).where(
            StatementDraft.victim_id == victim_id,
            StatementDraft.case_id == case_id,
            StatementDraft.purpose == purpose,
        )
    )


def save_draft(
    session: Session, victim_id: str, case_id: int, purpose: str, text: str, now: datetime
) -> None:
    """Keep the text written so far (one row per victim, case and purpose)."""
    draft = get_draft(session, victim_id, case_id, purpose)
    if draft is None:
        session.add(
            StatementDraft(victim_id=victim_id, case_id=case_id, purpose=purpose, text=text, updated_at=now)
        )
    else:
        draft.text = text
        draft.updated_at = now
    session.flush()


def delete_draft(session: Session, victim_id: str, case_id: int, purpose: str) -> None:
    session.execute(
        delete(StatementDraft).where(
            StatementDraft.victim_id == victim_id,
            StatementDraft.case_id == case_id,
            StatementDraft.purpose == purpose,
        ),
        execution_options={"synchronize_session": False},
    )


def pending_document(
    session: Session, victim_id: str, case_id: int, purpose: str
) -> StatementDocument | None:
    """The document uploaded for the statement being written (not sent yet), if any."""
    return session.scalar(
        select(StatementDocument).where(
            StatementDocument.victim_id == victim_id,
            StatementDocument.case_id == case_id,
            StatementDocument.purpose == purpose,
            StatementDocument.request_id.is_(None),
        )
    )


def replace_pending_document(session: Session, document: StatementDocument) -> None:
    """Store a newly uploaded document in place of the one uploaded before for the same statement."""
    remove_pending_document(session, document.victim_id, document.case_id, document.purpose)
    session.add(document)
    session.flush()


def remove_pending_document(session: Session, victim_id: str, case_id: int, purpose: str) -> None:
    session.execute(
        delete(StatementDocument).where(
            StatementDocument.victim_id == victim_id,
            StatementDocument.case_id == case_id,
            StatementDocument.purpose == purpose,
            StatementDocument.request_id.is_(None),
        ),
        execution_options={"synchronize_session": False},
    )


def document_of_victim(session: Session, document_id: str, victim_id: str) -> StatementDocument | None:
    """A document, only if it is this victim's (sent or not)."""
    return session.scalar(
        select(StatementDocument).where(
            StatementDocument.id == document_id, StatementDocument.victim_id == victim_id
        )
    )


def document_of_request(session: Session, request_id: str) -> StatementDocument | None:
    """The document sent with a statement (the agency reading the statement; scope the request first)."""
    return session.scalar(select(StatementDocument).where(StatementDocument.request_id == request_id))


def documents_of_requests(session: Session, request_ids: Sequence[str]) -> dict[str, StatementDocument]:
    """request id -> the document sent with it, for these requests."""
    if not request_ids:
        return {}
    found = session.scalars(select(StatementDocument).where(StatementDocument.request_id.in_(request_ids)))
    return {document.request_id: document for document in found if document.request_id is not None}
