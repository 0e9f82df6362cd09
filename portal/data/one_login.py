"""Queries about GOV.UK One Login identities linked to victims' accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.models import OneLoginIdentity, OneLoginLogoutToken


def identity_for_subject(session: Session, subject: str) -> OneLoginIdentity | None:
    return session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.subject == subject))


def identity_for_user(session: Session, user_id: int) -> OneLoginIdentity | None:
    return session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.user_id == user_id))


def add_identity(session: Session, identity: OneLoginIdentity) -> OneLoginIdentity:
    session.add(identity)
    session.flush()
    return identity


def remove_identity(session: Session, identity: OneLoginIdentity) -> None:
    session.delete(identity)
    session.flush()


def logout_token_seen(session: Session, jti: str) -> bool:
    return session.scalar(select(OneLoginLogoutToken.id).where(OneLoginLogoutToken.jti == jti)) is not None


def add_logout_token(session: Session, jti: str, expires_at: datetime) -> bool:
    """Record a logout token as acted on; False when another request recorded the same `jti` first (two
    deliveries of one token at the same moment: the unique `jti` refuses the second, whose own transaction
    goes on, since only the SAVEPOINT around the insert is rolled back)."""
    try:
        with session.begin_nested():
            session.add(OneLoginLogoutToken(jti=jti, expires_at=expires_at))
    except IntegrityError:
        return False
    return True


def forget_expired_logout_tokens(session: Session, now: datetime) -> None:
    """A token past its expiry is refused for that alone, so its `jti` need not be kept."""
    session.execute(delete(OneLoginLogoutToken).where(OneLoginLogoutToken.expires_at < now))
