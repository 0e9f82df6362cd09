"""A victim's GOV.UK One Login, linked to their account: they sign in with it instead of a password and a
portal second factor (One Login checks both).

A One Login is linked only through a victim's invitation (never by matching an email address): the
person who holds the invitation signs in to One Login and confirms the link. `subject` is One Login's
`sub` for this service (a pairwise identifier, the same at every sign-in). One link per account and one
account per One Login. An officer can remove the link; the victim then needs a new invitation to sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class OneLoginIdentity(Base):
    __tablename__ = "one_login_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    subject: Mapped[str] = mapped_column(String(255), unique=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who made the link, as the audit trail names them (the victim, through their invitation).
    linked_by_label: Mapped[str] = mapped_column(String(200))
    # How it was linked: "invitation" (the only way so far).
    linked_via: Mapped[str] = mapped_column(String(20))
    last_sign_in_at: Mapped[datetime | None] = mapped_column()


class OneLoginLogoutToken(Base):
    """A back-channel logout token already acted on (its `jti`), kept until it expires so that the same
    token cannot end a session started after it (One Login: refuse a `jti` seen before)."""

    __tablename__ = "one_login_logout_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), unique=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
