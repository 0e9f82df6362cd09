"""Contacts recorded by officers: a witness care officer told a victim of one or more updates by phone, in
person, at court or by a letter delivered by hand. Each is a third way a victim is told (with opening the
update in the portal and a message that reached them): the told time is `told_at`.

One `RecordedContact` per conversation, with a link row per update it covered (`RecordedContactUpdate`),
rather than one row per update: one call usually covers several updates, and who told the victim, when,
how and the note are one fact, entered and audited once; the link rows keep the told-time queries a join
on an indexed update id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, utcnow

PHONE = "phone"
IN_PERSON = "in-person"
AT_COURT = "at-court"
LETTER_BY_HAND = "letter-by-hand"
#: Every way an officer may record telling a victim, in the order the form lists them.
METHODS: tuple[str, ...] = (PHONE, IN_PERSON, AT_COURT, LETTER_BY_HAND)


class RecordedContact(Base):
    __tablename__ = "recorded_contact"
    __table_args__ = (
        CheckConstraint("method IN ('phone', 'in-person', 'at-court', 'letter-by-hand')", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    # When the victim was told (not when it was recorded): the told time of every update it covers.
    told_at: Mapped[datetime] = mapped_column()
    # The officer who recorded it, and who told the victim in their words (the officer by default).
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_label: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    updates: Mapped[list[RecordedContactUpdate]] = relationship(back_populates="contact")


class RecordedContactUpdate(Base):
    """One update a recorded contact told the victim of."""

    __tablename__ = "recorded_contact_update"
    __table_args__ = (UniqueConstraint("recorded_contact_id", "update_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_contact_id: Mapped[int] = mapped_column(ForeignKey("recorded_contact.id"))
    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"), index=True)

    contact: Mapped[RecordedContact] = relationship(back_populates="updates")
