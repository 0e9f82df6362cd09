"""Apply the Alembic migrations (used by `flask db-upgrade`, `make run` and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from portal.config import PROJECT_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "heads")
