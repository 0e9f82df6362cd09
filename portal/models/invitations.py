"""Invitations: the only way to get an account (no open self-registration).

A victim is invited when an agency or an officer adds them to a case; staff are invited by an admin; an
officer's second-factor recovery also sends one. The link carries a random token; only its SHA-256 is
stored. A link works once, for 7 days, and an officer can re-send (a new token) or cancel it. Wrong
security codes entered through it are counted here (and on the account), never in the browser's session;
it ends after 5.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class InvitationKind:
    VICTIM = "victim"  # a victim without an account: create one
    STAFF = "staff"  # an officer, support worker or admin created by an admin: set password and TOTP
    RECOVERY = "recovery"  # an existing account whose second factor an officer or admin reset


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The role the account will have: victim, witness_care_officer, support_worker or admin.
    role: Mapped[str] = mapped_column(String(40))
    victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"), index=True)
    # The case the victim was added to when invited (shown when an existing account accepts it).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"))
    # The account being set up (staff and recovery invitations; a victim's once they start).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # "email" or "sms", and the address or number the link went to.
    channel: Mapped[str] = mapped_column(String(10))
    sent_to: Mapped[str] = mapped_column(String(320))
    sent_count: Mapped[int] = mapped_column(Integer, default=1)
    last_sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    # Wrong security codes entered through this link: setting up the second factor, or the code sent to
    # `sent_to` before the case joins an existing account. The invitation ends at 5 (cancelled_at is set).
    failed_codes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Recovery only: the officer or admin was told the person has forgotten their password as well. Unless
    # set, a recovery link asks for the account's current password: the link alone is not enough to take
    # the account over (issue 14). When set, a victim confirms the new second factor with a code sent to
    # a channel on record (an authenticator app is not offered until they are signed in again).
    password_forgotten: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
