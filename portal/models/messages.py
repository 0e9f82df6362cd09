"""Secure messages between a victim and the people working on their case (issue 15).

A `MessageThread` is one conversation about one case between one victim and one of the case's roles
(RECIPIENTS: the witness care unit, the officer in the case, the Victim Liaison Officer); the agency that
answers it is `agency` (witness care answers for the unit and, in the portal, for the officer in the case
when the police have no system of their own; agency systems answer through the API). A thread's status
is the officer's inbox state. Each `SecureMessage` is a message from the victim's side (the victim, or a
support worker with the "send-messages" scope), a reply to the victim, or an internal note victims never
see. Attachments are `MessageAttachment` rows: images re-encoded without their metadata, PDFs as sent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, new_id, utcnow

#: Who a victim can write to about a case (portal.models.case_contacts roles, plus the unit itself).
TO_WITNESS_CARE = "witness-care"
TO_OFFICER_IN_CASE = "officer-in-case"
TO_VLO = "victim-liaison-officer"
RECIPIENTS: tuple[str, ...] = (TO_WITNESS_CARE, TO_OFFICER_IN_CASE, TO_VLO)

#: The inbox states of a thread.
NEW = "new"  # a message from the victim's side that nobody has picked up
ASSIGNED = "assigned"  # someone in the unit is dealing with it
WAITING = "waiting"  # answered: waiting for the victim
CLOSED = "closed"
THREAD_STATUSES: tuple[str, ...] = (NEW, ASSIGNED, WAITING, CLOSED)

#: What a message is.
FROM_VICTIM = "from-victim"  # written by the victim, or by a support worker for them
TO_VICTIM = "to-victim"  # a reply from the people on the case
NOTE = "note"  # internal: never shown to the victim or their support worker
DIRECTIONS: tuple[str, ...] = (FROM_VICTIM, TO_VICTIM, NOTE)


def _listed(values: tuple[str, ...]) -> str:
    """The values as an SQL list of string literals (constants of this module, never user input)."""
    return ", ".join(f"'{value}'" for value in values)


class MessageThread(Base):
    __tablename__ = "message_thread"
    __table_args__ = (
        Index("ix_message_thread_victim_case", "victim_id", "case_id"),
        Index("ix_message_thread_agency_updated", "agency", "updated_at"),
        CheckConstraint(f"status IN ({_listed(THREAD_STATUSES)})", name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # What the victim quotes, e.g. "MSG-7K3M-Q9XP".
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(30))  # RECIPIENTS
    # Who answers: an Agency value (witness_care, police, probation).
    agency: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    assigned_to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The London date by which the oldest unanswered message from the victim's side should be answered
    # (None: nothing waits for an answer).
    reply_due: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SecureMessage(Base):
    __tablename__ = "secure_message"
    __table_args__ = (CheckConstraint(f"direction IN ({_listed(DIRECTIONS)})", name="direction"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    thread_id: Mapped[str] = mapped_column(ForeignKey("message_thread.id"), index=True)
    direction: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    # The signed-in person who wrote it (victim, support worker, officer), or the agency system.
    written_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_api_client_id: Mapped[str | None] = mapped_column(String(64))
    # As shown with the message: "Sam Sample", "Alex Adviser for Sam Sample", "Witness Care Unit".
    author_label: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # A message from the victim's side: the London date a reply is due (the unit's target in working
    # days), and when the first reply after it was sent (the measure of replies within target).
    reply_due: Mapped[date | None] = mapped_column()
    replied_at: Mapped[datetime | None] = mapped_column()
    # A reply: when the victim (or their support worker) first opened it.
    read_at: Mapped[datetime | None] = mapped_column()


class MessageAttachment(Base):
    """A file on a message; or, before the message is sent, a file held for the victim's message being
    written (`message_id` None, `held_for_victim_id` and `held_key` set: the journey's draft key), as a
    statement's document is held before it is sent. Held files are never served, and are removed when the
    draft is dropped, the victim erased, or after RETENTION_TOKEN_DAYS."""

    __tablename__ = "message_attachment"
    __table_args__ = (Index("ix_message_attachment_held", "held_for_victim_id", "held_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    message_id: Mapped[str | None] = mapped_column(ForeignKey("secure_message.id"), index=True)
    held_for_victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"))
    held_key: Mapped[str | None] = mapped_column(String(40))
    # The name as the sender gave it (cleaned), shown and offered as the download's name.
    filename: Mapped[str] = mapped_column(String(255))
    # From the content, never the name: image/jpeg, image/png or application/pdf.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    # Images re-encoded without location or camera metadata; PDFs as sent (checked by their content).
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
