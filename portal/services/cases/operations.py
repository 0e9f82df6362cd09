"""Figures for monitoring (`GET /metrics`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import operations as operations_data
from portal.services.vocabulary.deadlines import letters_arrived_if_posted_by, london_date


@dataclass(frozen=True)
class Figures:
    outbox_by_status: dict[str, int]
    updates_past_deadline_untold: int


def figures(session: Session) -> Figures:
    now = datetime.now(UTC)
    untold = operations_data.count_updates_past_deadline_untold(
        session, london_date(now), letters_arrived_if_posted_by(now)
    )
    return Figures(
        outbox_by_status=operations_data.outbox_counts_by_status(session),
        updates_past_deadline_untold=untold,
    )
