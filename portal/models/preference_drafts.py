"""A victim's answers in progress on the preferences question pages (a "draft"), kept on the server.

The session cookie is signed but not encrypted, so the answers (email address, phone number, address,
safe times, another safe way to reach them) are never put in it: the cookie holds only a random token,
and the row is keyed by the token's SHA-256 digest, so the table alone does not give a usable cookie
value. A draft belongs to one user, ends when their session would end (idle and absolute limits) and is
deleted at sign-out, at "sign out everywhere", and when the answers are saved or cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class PreferenceDraft(Base):
    __tablename__ = "preference_draft"

    # SHA-256 (hex) of the 32-byte url-safe token held in the session cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The signed-in user whose session started it: no one else can read or change it.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # Whose answers these are (the victim the user is).
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id", ondelete="CASCADE"), index=True)
    # One draft per section: {"contact": {"doc": ..., "base": ..., "answered": [...]}, "needs": ...}.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the session that uses it would end if nothing more happened; unusable and purged after.
    expires_at: Mapped[datetime] = mapped_column(index=True)
