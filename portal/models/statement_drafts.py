"""A Victim Personal Statement being written, and documents a victim uploads as their statement (issue 16).

Unlike the answers of the other question pages (portal.models.preference_drafts, which end with the
session), a statement can take days to write: its text is kept in `statement_draft`, one row per victim,
case and purpose (the court, or the Parole Board), until the victim sends it or their information is
erased. It survives the session timing out and signing out; it is deleted when the statement is sent.

A document (PDF or Word) the victim uploads is kept in `statement_document`: while the statement is being
written it belongs to no request (`request_id` None, at most one per victim, case and purpose); once sent,
it belongs to the request and never changes, like the request's answers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, new_id, utcnow

#: A statement for the court (made when the witness statement is taken, or before sentence).
COURT = "court"
#: A statement for the Parole Board (through probation).
PAROLE = "parole"
PURPOSES: tuple[str, ...] = (COURT, PAROLE)


class StatementDraft(Base):
    __tablename__ = "statement_draft"
    __table_args__ = (UniqueConstraint("victim_id", "case_id", "purpose", name="uq_statement_draft"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    # COURT or PAROLE.
    purpose: Mapped[str] = mapped_column(String(10))
    # What the victim has written so far (may be empty when they only uploaded a document).
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatementDocument(Base):
    __tablename__ = "statement_document"
    __table_args__ = (Index("ix_statement_document_owner", "victim_id", "case_id", "purpose"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    # The statement it was sent with; None while the statement is still being written.
    request_id: Mapped[str | None] = mapped_column(ForeignKey("victim_request.id"), index=True)
    # The file's name as the victim's device gave it (shown back to them only), and its checked type.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
