"""Agency API clients (one per agency system) and the JWT ids they have already used."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, new_id, utcnow


class ApiAgency(enum.StrEnum):
    """Who an API client speaks for. Police and witness care clients belong to one police force."""

    POLICE = "police"
    CPS = "cps"
    WITNESS_CARE = "witness_care"
    PROBATION = "probation"


#: Agencies whose clients are limited to the cases of one police force (the URN's first 2 digits).
FORCE_SCOPED_AGENCIES = frozenset({ApiAgency.POLICE, ApiAgency.WITNESS_CARE})


class ApiClient(Base):
    """One agency system's key. The key is `{name}-{id}-{secret}`; the id travels as the JWT `iss`.

    HS256 needs the verifier to hold the secret itself, so it cannot be kept as a one-way hash: it is
    kept encrypted (Fernet, key derived from SECRET_KEY) and shown again only as a SHA-256 fingerprint.
    """

    __tablename__ = "api_client"
    __table_args__ = (
        CheckConstraint("agency IN ('police', 'cps', 'witness_care', 'probation')", name="agency"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(20))
    # Police and witness care clients: the 2-digit force code whose cases they may read and write.
    force_code: Mapped[str | None] = mapped_column(String(2))
    secret_encrypted: Mapped[str] = mapped_column(Text)
    # SHA-256 of the secret, hex: lets an admin tell keys apart without seeing them.
    secret_fingerprint: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by: Mapped[str | None] = mapped_column(String(200))


class JwtSeen(Base):
    """A JWT id (`jti`) a client has used: a token is accepted once. Rows expire with the clock window."""

    __tablename__ = "api_jwt_seen"
    __table_args__ = (UniqueConstraint("client_id", "jti", name="uq_api_jwt_seen_client_jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("api_client.id", ondelete="CASCADE"))
    jti: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(index=True)
