"""The worker's heartbeat: each worker process writes the time it last went round its loop, so operators
(`/_status`, `/metrics`) can see a worker that has stopped.

One row per worker process, named `host:pid` (no personal data). Rows not written for a week are deleted
by the next beat, so restarts leave no trail.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from notifications.base import NotificationsBase
from notifications.types import UTCDateTime

BEAT_SECONDS = 10.0  # how often a running worker writes its heartbeat
STALE_SECONDS = 30.0  # a heartbeat older than this means the worker has stopped (or is stuck)
FORGET_AFTER = timedelta(days=7)


class WorkerHeartbeat(NotificationsBase):
    __tablename__ = "worker_heartbeat"

    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def process_name() -> str:
    """This process as a heartbeat names it: `host:pid`."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def beat(session: Session, worker: str, *, now: datetime, started_at: datetime) -> None:
    """Record that `worker` is alive at `now` (the caller commits)."""
    row = session.get(WorkerHeartbeat, worker)
    if row is None:
        session.add(WorkerHeartbeat(worker=worker, started_at=started_at, beat_at=now))
    else:
        row.beat_at = now
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER))


def latest(session: Session) -> datetime | None:
    """When any worker last beat; None if none ever has (or not for a week)."""
    return session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
