"""Backups (`make backup` / `make restore`, scripts/backup.py): a backup of the database, restored into a
fresh one, gives the same portal back: a victim signs in and reads their case's timeline."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_update
from tests.support.checking_client import CheckingClient
from tests.support.databases import empty_postgresql_database
from tests.support.demo import VICTIM
from tests.support.pages import page_text
from tests.support.signing_in import signed_in

ROOT = Path(__file__).resolve().parents[2]
MARKER = "The backup keeps this update"


def _script(command: str, path: Path, database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backup.py"), command, str(path)],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def fresh_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind, that nothing has been migrated into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with empty_postgresql_database("vp_restore") as url:
        yield url


def test_a_backup_restored_into_a_fresh_database_shows_the_victims_timeline(
    seeded: Flask, database_url: str, fresh_database: str, tmp_path: Path
) -> None:
    create_update(
        seeded, DEMO_CASE_URN, "investigation-update", agency="police", agency_event_id="BK-1", message=MARKER
    )
    backup = tmp_path / "portal.backup"
    assert "Backed up to" in _script("backup", backup, database_url)
    assert backup.stat().st_size > 0 and (backup.stat().st_mode & 0o077) == 0  # only its owner reads it
    assert "Restored" in _script("restore", backup, fresh_database)

    restored = create_app({**seeded.config, "DATABASE_URL": fresh_database})
    restored.test_client_class = CheckingClient
    try:
        client = signed_in(restored, VICTIM)
        timeline = client.get(f"/cases/{DEMO_CASE_URN}")
        assert timeline.status_code == 200
        assert MARKER in page_text(timeline)
    finally:
        restored.extensions["database"].engine.dispose()
