"""Signing in and the signed-in user as the rest of the portal sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import users as users_data
from portal.models import Role, User
from portal.services.passwords import verify_password


@dataclass(frozen=True)
class Actor:
    """Who is asking: every victim-data access is scoped by this (see services/access.py)."""

    user_id: int
    role: str
    victim_id: str | None = None
    organisation_id: int | None = None
    force_code: str | None = None
    label: str = ""


class SignedInUser:
    """What Flask-Login holds for the request. The session id carries the session generation, so
    bumping the generation in the database ends every session at once."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.role = user.role
        self.display_name = user.display_name
        self.victim_id = user.victim_id
        self.organisation_id = user.organisation_id
        self.force_code = user.organisation.force_code if user.organisation else None
        self.session_generation = user.session_generation

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    @property
    def actor(self) -> Actor:
        return Actor(
            user_id=self.id,
            role=self.role,
            victim_id=self.victim_id,
            organisation_id=self.organisation_id,
            force_code=self.force_code,
            label=self.display_name,
        )

    @property
    def is_victim(self) -> bool:
        return self.role == Role.VICTIM


def load_signed_in_user(session: Session, session_user_id: str) -> SignedInUser | None:
    try:
        raw_id, raw_generation = session_user_id.split(":", 1)
        user_id, generation = int(raw_id), int(raw_generation)
    except ValueError:
        return None
    user = users_data.get_user(session, user_id)
    if user is None or not user.is_active or user.session_generation != generation:
        return None
    return SignedInUser(user)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the email and password match an active, unlocked account; otherwise None.
    Always verifies a hash, so the time taken does not reveal whether the account exists."""
    user = users_data.find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        return None
    now = datetime.now(UTC)
    if not user.is_active or (user.locked_until is not None and user.locked_until > now):
        return None
    if not ok:
        user.failed_sign_ins += 1
        return None
    user.failed_sign_ins = 0
    user.last_sign_in_at = now
    return user
