"""Queries about sign-in identities, organisations and the victims they belong to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Organisation, User, Victim


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_for_victim(session: Session, victim_id: str) -> User | None:
    return session.scalar(select(User).where(User.victim_id == victim_id).order_by(User.id).limit(1))


def add_user(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def staff_users(session: Session) -> Sequence[User]:
    return session.scalars(
        select(User).where(User.role != "victim").order_by(func.lower(User.display_name), User.id)
    ).all()


def get_victim(session: Session, victim_id: str) -> Victim | None:
    return session.get(Victim, victim_id)


def organisations(session: Session, kind: str | None = None) -> Sequence[Organisation]:
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    return session.scalars(query.order_by(func.lower(Organisation.name), Organisation.id)).all()


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def add_organisation(session: Session, organisation: Organisation) -> Organisation:
    session.add(organisation)
    session.flush()
    return organisation
