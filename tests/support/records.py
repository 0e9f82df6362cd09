"""Reading records back from the database after a test has acted."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Delegation, User


def count(app: Flask, model: Any, *where: Any) -> int:
    """How many rows of `model` match every condition in `where`."""
    with app.app_context(), db.job() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def user_by_email(app: Flask, email: str) -> User:
    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        session.expunge(user)
        return user


def email_of_newest_user(app: Flask) -> str:
    with app.app_context(), db.job() as session:
        user = session.scalars(select(User).order_by(User.id.desc())).first()
        assert user is not None
        return user.email


def get_delegation(app: Flask, delegation_id: int) -> Delegation:
    with app.app_context(), db.job() as session:
        delegation = session.get(Delegation, delegation_id)
        assert delegation is not None
        session.expunge(delegation)
        return delegation
