"""People and organisations: victims, sign-in identities, witness care units and support services."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, new_id, utcnow


class Role(enum.StrEnum):
    VICTIM = "victim"
    WITNESS_CARE_OFFICER = "witness_care_officer"
    SUPPORT_WORKER = "support_worker"
    ADMIN = "admin"


class OrganisationKind(enum.StrEnum):
    WITNESS_CARE_UNIT = "witness_care_unit"
    SUPPORT_SERVICE = "support_service"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    # For a witness care unit: the 2-digit police force code whose cases it owns.
    force_code: Mapped[str | None] = mapped_column(String(2), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Victim(Base):
    __tablename__ = "victim"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    address_line_1: Mapped[str | None] = mapped_column(String(100))
    address_line_2: Mapped[str | None] = mapped_column(String(100))
    address_town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))
    enhanced_rights: Mapped[bool] = mapped_column(Boolean, default=False)
    enhanced_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column()

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class User(Base):
    """A sign-in identity. Victims have `victim_id`; staff and support workers an organisation."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(40))
    victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Second factor: "sms", "email" or "totp" once chosen (the accounts work fills these in).
    mfa_method: Mapped[str | None] = mapped_column(String(10))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last authenticator-app time step accepted, so a used code cannot be replayed (migration 0005).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # A new authenticator-app secret waiting to be confirmed with a code.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    # When the user was shown the page that explains "Exit this page" (victims, after first sign-in).
    quick_exit_explained_at: Mapped[datetime | None] = mapped_column()
    # Bumped to end every session at once (sign out everywhere, password change).
    session_generation: Mapped[int] = mapped_column(Integer, default=1)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column()
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    victim: Mapped[Victim | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
