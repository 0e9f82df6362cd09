"""Dates a victim cannot go to court and the help they need there, for one of their cases, versioned: every
change is kept with who made it and when, like their preferences (models/preferences.py).

The document itself is described by `portal.services.court_needs.records.CourtNeeds`; it is stored whole,
as JSON, one row per version, so the history can be shown and an officer can see what changed since
their unit last reviewed it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class CourtNeedsVersion(Base):
    """One version of a victim's dates to avoid and needs at court for one case (append-only)."""

    __tablename__ = "court_needs_version"
    __table_args__ = (
        UniqueConstraint("victim_id", "case_id", "version"),
        Index("ix_court_needs_version_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    # 1, 2, 3, ... per victim and case.
    version: Mapped[int] = mapped_column(Integer)
    # The whole document after this change: {"dates": [...], "needs": [...], "interpreter_language",
    # "access_needs", "anything_else"}.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    # "dates" and/or the needs that differ from the previous version.
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    # victim, support_worker or witness_care_officer.
    actor_role: Mapped[str | None] = mapped_column(String(40))
    # "victim online", "officer by phone" or "support worker".
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourtNeedsReview(Base):
    """An officer's review of a victim's court needs for one case, up to and including `version`."""

    __tablename__ = "court_needs_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    version: Mapped[int] = mapped_column(Integer)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_label: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
