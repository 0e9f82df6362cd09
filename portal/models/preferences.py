"""A victim's preferences and needs, versioned: every change is kept with who made it and from where.

The document itself is described by `portal.services.preferences.records.Preferences`; here it is stored whole,
as JSON, one row per version, so the history can be shown and an officer can see what changed since
they last reviewed it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class PreferenceVersion(Base):
    """One version of a victim's preferences and needs (append-only)."""

    __tablename__ = "preference_version"
    __table_args__ = (UniqueConstraint("victim_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    # 1, 2, 3, ... per victim.
    version: Mapped[int] = mapped_column(Integer)
    # The whole document after this change (see services/preferences.py for its shape).
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The document keys that differ from the previous version ("safe.email" for one channel's setting).
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Who made the change: a user (victim, officer, support worker) or an agency system (no user id).
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str | None] = mapped_column(String(40))
    # "victim online", "officer by phone", "support worker" or "agency at reporting".
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PreferenceReview(Base):
    """An officer's review of a victim's preferences and needs, up to and including `version`."""

    __tablename__ = "preference_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_label: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
