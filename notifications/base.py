"""The one SQLAlchemy MetaData shared by the portal's models and the outbox.

It lives here because `portal` may import `notifications` but never the reverse.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class NotificationsBase(DeclarativeBase):
    """Declarative base for the notifications package's own tables."""

    metadata = metadata
