"""Back up the portal's database, and restore a backup (`make backup`, `make restore BACKUP=file`).

    python scripts/backup.py backup [FILE]     # default: instance/backups/portal-<UTC time>.<dump|sqlite3>
    python scripts/backup.py restore FILE

The database is DATABASE_URL's, or the default SQLite file (instance/portal.sqlite3). PostgreSQL is
backed up with pg_dump in its custom format (compressed; restored with pg_restore, which replaces every
table the backup holds, in one transaction); SQLite with its online backup API, which copies a
consistent snapshot while the portal keeps running. A restore replaces what the database holds: stop the
web and worker processes first. The backup holds every victim's information: keep it as safe as the
database (encrypted storage, limited access) and delete it when the retention schedule would have.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "instance" / "portal.sqlite3"
BACKUP_DIR = ROOT / "instance" / "backups"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise SystemExit("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """pg_dump / pg_restore connection arguments, and the environment carrying the password."""
    args = ["--dbname", url.database or "postgres"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def default_backup_path(url: str) -> Path:
    extension = "dump" if make_url(url).get_backend_name() == "postgresql" else "sqlite3"
    return BACKUP_DIR / f"portal-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.{extension}"


def backup_database(url: str, path: Path) -> Path:
    """Write a backup of the database at `url` to `path`."""
    parsed = make_url(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "postgresql":
        args, env = _libpq(parsed)
        subprocess.run(  # noqa: S603 - fixed program, arguments from the settings
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(path),
                *args,
            ],
            check=True,
            env=env,
        )
    elif parsed.get_backend_name() == "sqlite":
        source = _sqlite_path(parsed)
        if not source.is_file():
            raise SystemExit(f"no database at {source}")
        _copy_sqlite(source, path)
    else:
        raise SystemExit(f"cannot back up a {parsed.get_backend_name()} database")
    os.chmod(path, 0o600)
    return path


def restore_database(url: str, path: Path) -> None:
    """Replace what the database at `url` holds with the backup at `path`."""
    if not path.is_file():
        raise SystemExit(f"no backup at {path}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        args, env = _libpq(parsed)
        subprocess.run(  # noqa: S603 - fixed program, arguments from the settings
            [
                _program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            check=True,
            env=env,
        )
    elif parsed.get_backend_name() == "sqlite":
        target = _sqlite_path(parsed)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(path, target)
    else:
        raise SystemExit(f"cannot restore a {parsed.get_backend_name()} database")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the portal's database.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup")
    make.add_argument("file", nargs="?", help="where to write it (default: instance/backups/...)")
    back = commands.add_parser("restore", help="replace the database with a backup")
    back.add_argument("file", help="the backup to restore")
    options = parser.parse_args(argv)
    url = database_url()
    if options.command == "backup":
        written = backup_database(url, Path(options.file) if options.file else default_backup_path(url))
        print(f"Backed up to {written}")
    else:
        restore_database(url, Path(options.file))
        print(f"Restored {options.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
