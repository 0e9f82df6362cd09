"""The append-only audit trail.

One exception to "append-only": refused agency API calls are counted rather than written one by one
(security finding 6). The first refusal with a given `repeat_key` (its caller's address hash, the client
its token named, the verb, the reason and the minute) adds the row; each later one within that minute
adds 1 to its `occurrences`, and nothing else about the row ever changes. Every other event has
`repeat_key` None and `occurrences` 1.
"""

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
    # Only for events counted rather than repeated (see above); unique, so concurrent refusals in the
    # same minute add to one row.
    repeat_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    occurrences: Mapped[int] = mapped_column(default=1, server_default="1")
