"""One-time secrets for signing in: 6-digit security codes and password reset links.

Only hashes are stored. A code lasts 10 minutes and works once; at most 5 are live per account; its hash
covers the channel and the phone number or email address it was sent to, so it confirms only that one. A
reset link lasts 1 hour, works once, dies when the password changes, and dies after 5 wrong codes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class SignInCode(Base):
    __tablename__ = "sign_in_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # "sign-in", "set-up" (confirming a new second factor) or "reset" (password reset).
    purpose: Mapped[str] = mapped_column(String(20))
    # "sms" or "email".
    channel: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class PasswordReset(Base):
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    # Wrong security codes entered through this link (counted here and on the account, never in the
    # browser's session); the link dies at 5.
    failed_codes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
