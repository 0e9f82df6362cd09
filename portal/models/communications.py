"""What the portal told each victim (or their support worker), and through which outbox message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, orm_insert_sentinel

from portal.models.base import Base, utcnow


class Communication(Base):
    """One message the portal decided to send. The delivery outcome is on the outbox row
    (`outbound_message`: status, sent_at, delivered_at), which the notifications package owns."""

    __tablename__ = "communication"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    # The update it announces, if any (invitations and sign-in codes have none).
    update_id: Mapped[str | None] = mapped_column(ForeignKey("case_update.id"), index=True)
    # Several rows share one message when a daily digest announces several updates.
    outbound_message_id: Mapped[str] = mapped_column(ForeignKey("outbound_message.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    # "update", "digest", "invitation", "sign-in-code", "verification", "delegation-copy", "fallback"
    purpose: Mapped[str] = mapped_column(String(30))
    detailed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a copy goes to a support worker under a delegation.
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Numbers the rows of one INSERT so that many are written in one statement on every database,
    # each matched to the id it was given (SQLite cannot otherwise return ids in the order inserted).
    _sentinel: Mapped[int | None] = orm_insert_sentinel()
