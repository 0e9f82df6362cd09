"""Column types and clock helpers for the notifications package's tables.

Datetimes are timezone-aware UTC on every backend: SQLite stores them naive, PostgreSQL as timestamptz.
(The portal's models use these too; this package must not import the portal.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A random UUID4 as a string: outbox ids, which are also the Notify `reference`."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend; naive datetimes are refused. The portal's models use
    this same type (portal/models/base.py)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None]:
        """Each time read, in one call rather than TypeDecorator's two (the driver's processor, none for
        PostgreSQL's, then process_result_value): naive (SQLite) taken as UTC, another zone converted, and
        a time already in UTC returned as it is, as PostgreSQL connections in UTC hand back every time
        (the portal's engine sets that zone). A page of updates reads a few hundred."""
        given = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if given is not None:
                value = given(value)
            if value is None or value.tzinfo is UTC:
                return value
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)

        return process
