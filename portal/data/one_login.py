"""Queries about GOV.UK One Login identities linked to victims' accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import OneLoginIdentity


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
