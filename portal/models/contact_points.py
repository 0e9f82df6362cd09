"""Contact points (an email address, a phone number, a postal address) and their verification.

A new email address or phone number is used only once the victim has entered the code we sent to it;
a point that Notify reports as permanently failing is marked unusable and not used again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class ContactPoint(Base):
    __tablename__ = "contact_point"
    __table_args__ = (UniqueConstraint("victim_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    # "email", "phone" (text messages and officers' calls) or "address" (letters).
    kind: Mapped[str] = mapped_column(String(10))
    # Normalised: lower-case email, E.164 phone number, address lines joined by newlines.
    value: Mapped[str] = mapped_column(String(700))
    verified_at: Mapped[datetime | None] = mapped_column()
    unusable_at: Mapped[datetime | None] = mapped_column()
    unusable_reason: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactVerification(Base):
    """A 6-digit code sent to a new email address or phone number: hashed, 10 minutes, single use."""

    __tablename__ = "contact_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(320))
    code_hash: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
