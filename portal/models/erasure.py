"""Erasure on request: a witness care officer checks a victim's request and records it; an administrator
carries it out. Two people, so no one person can erase a victim's information alone.

The row is the record that an erasure was asked for and done: it holds ids, who acted, when and counts,
never the victim's name or contact details (those are what is erased). It is kept for the audit period
(RETENTION_AUDIT_YEARS), like the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class ErasureRequest(Base):
    __tablename__ = "erasure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    # The officer who checked the request (identity, and that erasure is what the victim asked for).
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_by_label: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # How the officer checked it ("by phone, security questions"): no personal details.
    check_note: Mapped[str] = mapped_column(Text)
    # The administrator who carried it out, and what was removed (counts only).
    carried_out_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    carried_out_by_label: Mapped[str | None] = mapped_column(String(200))
    carried_out_at: Mapped[datetime | None] = mapped_column(index=True)
    removed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Withdrawn by an officer or refused by an administrator before it was carried out.
    cancelled_at: Mapped[datetime | None] = mapped_column()
    cancelled_by_label: Mapped[str | None] = mapped_column(String(200))
