"""The retention job (SECURITY.md 24): what has expired goes, in batches, audited with counts only; what
has not stays; a second run finds nothing; two workers at once on PostgreSQL do each thing once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseUpdate,
    ContactPoint,
    Invitation,
    PasswordReset,
    PreferenceVersion,
    SignInCode,
    User,
    Victim,
)
from portal.services.retention import job
from portal.services.retention.schedule import ScheduleProblem
from scripts.backup import backup_database
from tests.retention.world import build

pytestmark = pytest.mark.security(24)


def _run(app: Flask, now: datetime, **settings: Any) -> job.Report:
    with app.app_context():
        return job.run(db.job, {**app.config, "RETENTION_BATCH_SIZE": 2, **settings}, now)


def _case(session: Session, urn: str) -> Case:
    case = session.scalar(select(Case).where(Case.urn == urn))
    assert case is not None
    return case


def test_sec24_expired_cases_and_records_go_and_the_rest_stays(app: Flask) -> None:
    now = datetime.now(UTC)
    world = build(app, now)
    report = _run(app, now)

    assert report.removed["closed cases"] == 4  # in batches of 2
    assert report.victims_anonymised == 1
    with app.app_context():
        session = db.session
        for urn in world.old_closed:
            case = _case(session, urn)
            assert (case.status, case.offence) == ("anonymised", "Removed")
            updates = session.scalars(select(CaseUpdate).where(CaseUpdate.case_id == case.id)).all()
            assert len(updates) == 2  # kept for statistics: types and dates
            assert all(u.message is None and u.details == {} for u in updates)
        for urn in (world.recent_closed, world.old_open, world.vcs):
            case = _case(session, urn)
            assert case.status != "anonymised" and case.offence == "Burglary", urn
        gone = session.get(Victim, world.gone_victim)
        assert gone is not None and gone.anonymised_at is not None
        assert (gone.given_name, gone.email, gone.phone) == ("Anonymised", None, None)
        assert session.scalar(select(func.count()).select_from(ContactPoint)) == 0
        assert (
            session.scalar(select(func.count()).where(PreferenceVersion.victim_id == world.gone_victim)) == 0
        )
        user = session.get(User, world.gone_user)
        assert user is not None and not user.is_active and "gwen" not in user.email
        kept = session.get(Victim, world.kept_victim)
        assert kept is not None and kept.anonymised_at is None and kept.given_name == "Kit"
        texts = [m.body for m in session.scalars(select(OutboundMessage))]
        assert "Hello Gwen" not in texts and "An old text" not in texts
        # Short-lived records: the expired one of each kind went, the live one stayed.
        assert session.scalar(select(func.count()).select_from(SignInCode)) == 1
        assert session.scalar(select(func.count()).select_from(PasswordReset)) == 1
        assert session.scalar(select(func.count()).select_from(Invitation)) == 1
        assert session.scalar(select(func.count()).where(AuditEvent.repeat_key.is_not(None))) == 1
        assert session.scalar(select(func.count()).where(AuditEvent.action == "sign-in")) == 0
        events = [
            (event.subject_victim_id, dict(event.detail))
            for event in session.scalars(select(AuditEvent).where(AuditEvent.action == job.RETENTION_APPLIED))
        ]
    by_kind: dict[str, int] = {}
    for subject, detail in events:
        assert subject is None
        assert set(detail) <= {"kind", "count", "victims_anonymised"}
        by_kind[detail["kind"]] = by_kind.get(detail["kind"], 0) + detail["count"]
    assert by_kind["closed cases"] == 4 and by_kind["message text"] == 1  # Gwen's went with her
    assert len([d for _, d in events if d["kind"] == "closed cases"]) == 2  # one per batch
    assert "gwen" not in str(events).lower()

    again = _run(app, now)
    assert sum(again.removed.values()) == 0 and again.victims_anonymised == 0


def test_sec24_a_case_is_kept_until_its_period_is_over(app: Flask) -> None:
    now = datetime.now(UTC)
    world = build(app, now)
    _run(app, now, RETENTION_CASE_YEARS=8)
    with app.app_context():
        assert _case(db.session, world.old_closed[0]).status != "anonymised"
    _run(app, now, RETENTION_CASE_YEARS=1)
    with app.app_context():
        assert _case(db.session, world.recent_closed).status == "anonymised"
        assert _case(db.session, world.old_open).status != "anonymised"  # never closed
        assert _case(db.session, world.vcs).status != "anonymised"  # Victim Contact Scheme


@pytest.mark.parametrize("value", [0, -1, "six", True])
def test_a_bad_retention_setting_is_refused(app: Flask, value: Any) -> None:
    with pytest.raises(ScheduleProblem, match="RETENTION_AUDIT_YEARS"):
        _run(app, datetime.now(UTC), RETENTION_AUDIT_YEARS=value)


def test_sec24_two_workers_at_once_do_each_thing_once(app: Flask, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time; the advisory locks are PostgreSQL's")
    now = datetime.now(UTC)
    build(app, now)
    start = threading.Barrier(2)
    reports: list[job.Report] = []
    errors: list[BaseException] = []

    factory = app.extensions["database"].session_factory

    @contextmanager
    def slow_unit_of_work() -> Iterator[Session]:
        """A batch's transaction that stays open a moment, so the two workers' batches overlap."""
        with factory() as session, session.begin():
            yield session
            time.sleep(0.02)

    def worker() -> None:
        try:
            start.wait(timeout=10)
            with app.app_context():
                reports.append(job.run(slow_unit_of_work, {**app.config, "RETENTION_BATCH_SIZE": 1}, now))
        except BaseException as problem:  # noqa: BLE001 - reported below
            errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(reports) == 2
    assert sum(report.removed.get("closed cases", 0) for report in reports) == 4
    assert sum(report.victims_anonymised for report in reports) == 1
    with app.app_context():
        counted = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == job.RETENTION_APPLIED)
        ).all()
    assert sum(d["count"] for d in counted if d["kind"] == "closed cases") == 4
    assert sum(d.get("victims_anonymised", 0) for d in counted) == 1


def test_sec24_the_command_runs_it_once_and_says_what_it_removed(app: Flask) -> None:
    build(app, datetime.now(UTC))
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "closed cases: 4" in result.output and "victims anonymised: 1" in result.output
    again = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "closed cases: 0" in again.output


def test_a_backup_of_no_database_is_refused(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    with pytest.raises(SystemExit, match="no database"):
        backup_database(missing, tmp_path / "backup.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()
