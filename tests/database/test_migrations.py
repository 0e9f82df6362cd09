"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

import notifications.outbox  # noqa: F401 - registers the outbox table
import portal.models  # noqa: F401
from notifications.base import metadata


def test_migrations_match_the_models(app: Flask) -> None:
    engine = app.extensions["database"].engine
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = compare_metadata(context, metadata)
    assert differences == [], "a model changed without a migration: " + repr(differences)
