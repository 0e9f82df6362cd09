"""Reminders before a hearing a victim is needed at (issue 15): one row for each reminder queued, so that
a victim is never reminded twice about the same hearing date of the same case (`uq_hearing_reminder`).

The row is written in the same transaction as the outbox message it queues
(portal/services/cases/hearing_reminders.py), so the row exists if and only if the message does.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class HearingReminder(Base):
    """The discreet reminder a victim was sent before a hearing they are needed at as a witness."""

    __tablename__ = "hearing_reminder"
    __table_args__ = (UniqueConstraint("victim_id", "case_id", "hearing_on", name="uq_hearing_reminder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    # The hearing's date in London: the key that stops a second reminder for the same day.
    hearing_on: Mapped[date] = mapped_column(Date)
    # When the hearing started, as it stood when the reminder was queued.
    hearing_at: Mapped[datetime] = mapped_column()
    outbound_message_id: Mapped[str] = mapped_column(ForeignKey("outbound_message.id"))
    channel: Mapped[str] = mapped_column(String(10))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
