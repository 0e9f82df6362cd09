"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Never passwords, codes, tokens or contact details.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
