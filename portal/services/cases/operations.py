"""Figures for monitoring (`GET /metrics`) and the health check (`GET /_status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from notifications.heartbeat import STALE_SECONDS
from portal.data import operations as operations_data
from portal.data import outbox_health
from portal.services.vocabulary.deadlines import letters_arrived_if_posted_by, london_date


@dataclass(frozen=True)
class Delivery:
    """How delivery is going now: the workers' heartbeat and the messages waiting to go out."""

    now: datetime
    last_heartbeat: datetime | None
    waiting: int
    oldest_waiting_since: datetime | None

    @property
    def heartbeat_age(self) -> float | None:
        if self.last_heartbeat is None:
            return None
        return max((self.now - self.last_heartbeat).total_seconds(), 0.0)

    @property
    def worker_running(self) -> bool:
        """A heartbeat within STALE_SECONDS (a worker beats every 10 seconds)."""
        age = self.heartbeat_age
        return age is not None and age <= STALE_SECONDS

    @property
    def oldest_waiting_age(self) -> float:
        if self.oldest_waiting_since is None:
            return 0.0
        return max((self.now - self.oldest_waiting_since).total_seconds(), 0.0)


@dataclass(frozen=True)
class Figures:
    outbox_by_status: dict[str, int]
    updates_past_deadline_untold: int
    delivery: Delivery
    notify_failures: dict[str, int]


def delivery(session: Session) -> Delivery:
    now = datetime.now(UTC)
    count, oldest = outbox_health.waiting(session, now)
    return Delivery(
        now=now,
        last_heartbeat=outbox_health.last_heartbeat(session),
        waiting=count,
        oldest_waiting_since=oldest,
    )


def figures(session: Session) -> Figures:
    now = datetime.now(UTC)
    untold = operations_data.count_updates_past_deadline_untold(
        session, london_date(now), letters_arrived_if_posted_by(now)
    )
    return Figures(
        outbox_by_status=operations_data.outbox_counts_by_status(session),
        updates_past_deadline_untold=untold,
        delivery=delivery(session),
        notify_failures=outbox_health.failures_by_kind(session, now),
    )
