"""Queries about sign-in identities (users: victims, officers, support workers, admins) and the
organisations staff belong to."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.models import Delegation, Organisation, PreferenceVersion, User


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


@functools.cache
def _user_for_request_statement() -> Select[Any]:
    """Built once per process (read on every request); parameter user_id."""
    latest_document = (
        select(PreferenceVersion.document)
        .where(PreferenceVersion.victim_id == User.victim_id)
        .order_by(PreferenceVersion.version.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    gave_delegation = exists().where(Delegation.victim_id == User.victim_id).correlate(User)
    return select(User, latest_document, gave_delegation).where(User.id == bindparam("user_id"))


def user_for_request(session: Session, user_id: int) -> tuple[User, dict[str, Any] | None, bool] | None:
    """The signed-in user, read on every request, with what every page of a victim's asks next: their
    latest preferences document (None before any is recorded, and for staff) and whether they have ever
    given a delegation (whose changes by others are shown once as banners). One statement."""
    row = session.execute(_user_for_request_statement(), {"user_id": user_id}).first()
    if row is None:
        return None
    user, document, delegated = row
    return user, (None if document is None else dict(document)), bool(delegated)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user_by_victim(session: Session, victim_id: str) -> User | None:
    """The (first) account of this victim record."""
    return session.scalar(select(User).where(User.victim_id == victim_id).order_by(User.id).limit(1))


def users_by_id(session: Session, user_ids: Iterable[int | None]) -> dict[int, User]:
    """The users with these ids (Nones and ids not found are left out)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}


def list_staff_users(session: Session) -> Sequence[User]:
    """Every account that is not a victim's, by name."""
    return session.scalars(
        select(User).where(User.role != "victim").order_by(func.lower(User.display_name), User.id)
    ).all()


def add_failed_sign_in(session: Session, user: User) -> int:
    """One more failed password or code for this account, counted by the database itself so that
    requests running at the same time cannot lose a count. Returns the new count."""
    session.flush()
    count = session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(failed_sign_ins=User.failed_sign_ins + 1)
        .returning(User.failed_sign_ins)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(user, "failed_sign_ins", count)
    return int(count or 0)


def add_user(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


# --- Organisations: witness care units and support services ---------------------------------------


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def organisations_by_id(session: Session, organisation_ids: Iterable[int | None]) -> dict[int, Organisation]:
    """The organisations with these ids (Nones and ids not found are left out)."""
    ids = {organisation_id for organisation_id in organisation_ids if organisation_id is not None}
    if not ids:
        return {}
    return {org.id: org for org in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}


def list_organisations(session: Session, kind: str | None = None) -> Sequence[Organisation]:
    """Every organisation (of one kind, if given), by name."""
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    return session.scalars(query.order_by(func.lower(Organisation.name), Organisation.id)).all()


def add_organisation(session: Session, organisation: Organisation) -> Organisation:
    session.add(organisation)
    session.flush()
    return organisation
