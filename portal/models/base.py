"""Declarative base and small column helpers shared by every model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import DeclarativeBase

from notifications.base import metadata
from notifications.types import UTCDateTime

__all__ = ["Base", "UTCDateTime", "new_id", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {datetime: UTCDateTime()}
