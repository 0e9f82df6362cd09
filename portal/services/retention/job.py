"""The retention job: removes or anonymises what the schedule (schedule.py) says has expired.

Each kind of record is worked through in batches (RETENTION_BATCH_SIZE), each batch its own transaction
with an audit event that says what kind and how many (counts only, never who). Running it again finds
nothing more: it is idempotent. Two workers may run it at once: on PostgreSQL a batch holds that kind's
advisory lock for its transaction (a worker that finds it taken leaves that kind to the other this time)
and takes its rows with FOR UPDATE SKIP LOCKED; SQLite lets one writer at a time.

The worker runs it with its housekeeping (every 10 minutes); `flask --app portal retention run` runs it
once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import retention as retention_data
from portal.models import AuditEvent, ErasureRequest
from portal.services.common import audit
from portal.services.retention.schedule import Cutoffs, cutoffs, ends_case

RETENTION_APPLIED = "retention-applied"
ACTOR_LABEL = "Retention schedule"
#: Batches of one kind in one run, at most (the rest waits for the next run).
MAX_BATCHES = 1000

UnitOfWork = Callable[[], AbstractContextManager[Session]]

# Kinds, in the order they run, with their advisory lock numbers.
KINDS: dict[str, int] = {
    "security codes": 1,
    "links and invitations": 2,
    "refused API call counts": 3,
    "audit trail": 4,
    "message text": 5,
    "closed cases": 6,
}


@dataclass
class Report:
    """What one run removed, by kind; kinds another worker was doing at the time are in `skipped`."""

    removed: dict[str, int] = field(default_factory=dict)
    victims_anonymised: int = 0
    skipped: list[str] = field(default_factory=list)

    def add(self, kind: str, count: int) -> None:
        self.removed[kind] = self.removed.get(kind, 0) + count


def _delete_kind(session: Session, limits: Cutoffs, kind: str) -> int:
    """One batch of one of the kinds that are simply deleted; how many rows went."""
    size = limits.batch_size
    if kind == "security codes":
        targets = retention_data.expired_codes_where(limits.codes_expired_before)
    elif kind == "links and invitations":
        targets = retention_data.ended_tokens_where(limits.tokens_ended_before)
    elif kind == "refused API call counts":
        targets = ((AuditEvent, retention_data.api_refusals_where(limits.api_refusals_before)),)
    else:  # the audit trail, and the records of erasures done (or withdrawn) as long ago
        ended = ErasureRequest.carried_out_at < limits.audit_before
        ended |= ErasureRequest.cancelled_at < limits.audit_before
        targets = (
            (AuditEvent, retention_data.audit_where(limits.audit_before)),
            (ErasureRequest, ended),
        )
    total = 0
    for model, where in targets:
        total += retention_data.delete_batch(session, model, where, size - total)
        if total >= size:
            break
    return total


def _cases_batch(
    session: Session, limits: Cutoffs, after_id: int, report: Report, now: datetime
) -> tuple[int, int, bool]:
    """One batch of closed cases: (cases anonymised, the last id looked at, whether there may be more)."""
    candidates = retention_data.candidate_cases(
        session, limits.cases_closed_before, after_id, limits.batch_size
    )
    done = 0
    last_updates = retention_data.last_updates(session, [case.id for case in candidates])
    for case in candidates:
        closed_since = case.closed_at
        if closed_since is None:
            last = last_updates.get(case.id)
            if last is not None and ends_case(last.event_type, last.details):
                closed_since = last.received_at
        if closed_since is None or closed_since >= limits.cases_closed_before:
            continue
        report.add("updates cleared", retention_data.anonymise_case(session, case, closed_since))
        done += 1
        for victim_id in retention_data.victims_with_no_case_left(session, case.id):
            retention_data.clear_victim(session, victim_id, now)
            report.victims_anonymised += 1
    last_id = candidates[-1].id if candidates else after_id
    return done, last_id, len(candidates) == limits.batch_size


def _audit(session: Session, kind: str, count: int, extra: Mapping[str, Any] | None = None) -> None:
    audit.record(
        session, ACTOR_LABEL, RETENTION_APPLIED, detail={"kind": kind, "count": count, **(extra or {})}
    )


def _run_kind(unit_of_work: UnitOfWork, limits: Cutoffs, kind: str, report: Report, now: datetime) -> None:
    after_id = 0
    for _batch in range(MAX_BATCHES):
        with unit_of_work() as session:
            if not retention_data.take_lock(session, KINDS[kind]):
                report.skipped.append(kind)
                return
            if kind == "closed cases":
                victims_before = report.victims_anonymised
                count, after_id, more = _cases_batch(session, limits, after_id, report, now)
                victims = report.victims_anonymised - victims_before
                if count:
                    _audit(session, kind, count, {"victims_anonymised": victims})
            else:
                if kind == "message text":
                    count = retention_data.scrub_messages_batch(
                        session, limits.messages_final_before, limits.batch_size
                    )
                else:
                    count = _delete_kind(session, limits, kind)
                more = count >= limits.batch_size
                if count:
                    _audit(session, kind, count)
        report.add(kind, count)
        if not more:
            return


def run(unit_of_work: UnitOfWork, config: Mapping[str, Any], now: datetime) -> Report:
    """Apply the schedule once, every kind in turn. `unit_of_work()` gives a session whose transaction
    commits when its block ends (db.job). Raises schedule.ScheduleProblem for a bad setting."""
    limits = cutoffs(config, now)
    report = Report()
    for kind in KINDS:
        _run_kind(unit_of_work, limits, kind, report, now)
    return report
