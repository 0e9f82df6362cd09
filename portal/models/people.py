"""People and organisations: victims, sign-in identities, witness care units and support services.

Authenticator app secrets are encrypted at rest (`EncryptedText`) the way agency API client secrets are:
Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from the app's SECRET_KEY with HKDF-SHA256, with
its own HKDF label so the two never share a key. The model knows nothing of Flask: the service that owns
second factors (portal.services.accounts.mfa) tells it where SECRET_KEY comes from
(`use_secret_key_from`). Anyone with both the database and SECRET_KEY can read the secrets; a changed
SECRET_KEY makes them unreadable (read as None), so every app user then needs an officer's or admin's
reset, as API clients need new keys. Migration 0009 encrypts the rows written before.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import BigInteger, Boolean, Dialect, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from portal.models.base import Base, new_id, utcnow

#: The HKDF label of the key that encrypts authenticator app secrets (migration 0009 uses the same).
TOTP_SECRET_KEY_INFO = b"victims-portal/totp-secrets/v1"

_secret_key_source: Callable[[], str] | None = None


def use_secret_key_from(source: Callable[[], str]) -> None:
    """Where encrypted columns get the app's SECRET_KEY from (called once, by the accounts service)."""
    global _secret_key_source  # one process-wide setting, made once at import
    _secret_key_source = source


def _current_secret_key() -> str:
    if _secret_key_source is None:
        raise RuntimeError("no SECRET_KEY source: import portal.services.accounts.mfa first")
    return _secret_key_source()


@lru_cache(maxsize=16)
def _fernet(secret_key: str, info: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_text(value: str, secret_key: str, info: bytes = TOTP_SECRET_KEY_INFO) -> str:
    return _fernet(secret_key, info).encrypt(value.encode()).decode()


def decrypt_text(token: str, secret_key: str, info: bytes = TOTP_SECRET_KEY_INFO) -> str | None:
    """The plain text, or None if it cannot be decrypted (SECRET_KEY changed since, or not encrypted)."""
    try:
        return _fernet(secret_key, info).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


class EncryptedText(TypeDecorator[str]):
    """A string stored encrypted: Python code reads and writes the plain value; the column holds a Fernet
    token. Writing needs the app's SECRET_KEY (see `use_secret_key_from`)."""

    impl = Text
    cache_ok = True

    def __init__(self, info: bytes = TOTP_SECRET_KEY_INFO) -> None:
        super().__init__()
        self.info = info

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt_text(str(value), _current_secret_key(), self.info)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt_text(str(value), _current_secret_key(), self.info)


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
    # For a witness care unit: working days to answer a victim's message (None: the default, 2).
    message_reply_days: Mapped[int | None] = mapped_column()
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
    # Encrypted at rest (see EncryptedText); read and written as the plain base32 secret.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText())
    # The last authenticator-app time step accepted, so a used code cannot be replayed (migration 0005).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # A new authenticator-app secret waiting to be confirmed with a code.
    totp_pending_secret: Mapped[str | None] = mapped_column(EncryptedText())
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
