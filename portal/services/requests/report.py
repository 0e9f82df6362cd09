"""The "Requests" section of the timeliness report: for the requests an officer's unit may see (made in
the period), per kind and agency, how many were acknowledged and answered within the agency's target,
and how many are still open past it, with the median working days to acknowledge and to answer.

Within target: by the end of the target day (London time), as for updates (deadlines.is_on_time). Still
open past target: not answered or withdrawn, and the acknowledgement target day has ended before it was
acknowledged, or the answer target day has ended. A request without a target is not counted against one.
Working days: from the London date it was made to the date it was acknowledged or answered (0 = the
same day), deadlines.working_days_between.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from portal.models import VictimRequest
from portal.models.victim_requests import KINDS
from portal.services.cases.timeliness import AGENCY_ORDER, Period
from portal.services.common import request_access
from portal.services.common.actors import Actor
from portal.services.requests.kinds import KIND_NAMES
from portal.services.requests.views import agency_label, past_target
from portal.services.vocabulary import deadlines


@dataclass(frozen=True)
class RequestTimeliness:
    kind: str
    agency: str
    total: int
    acknowledged_in_time: int
    acknowledged_late: int
    answered_in_time: int
    answered_late: int
    open_past_target: int
    median_days_to_acknowledge: float | None
    median_days_to_answer: float | None

    @property
    def kind_name(self) -> str:
        return str(KIND_NAMES[self.kind])

    @property
    def agency_label(self) -> str:
        return agency_label(self.agency)


def _in_time(target: date | None, at: datetime | None) -> bool | None:
    """None when there is nothing to measure (no target, or not done)."""
    if target is None or at is None:
        return None
    return deadlines.is_on_time(target, at)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _row(kind: str, agency: str, requests: Sequence[VictimRequest], now: datetime) -> RequestTimeliness:
    acknowledged = [_in_time(r.acknowledge_by, r.acknowledged_at) for r in requests]
    answered = [_in_time(r.answer_by, r.answered_at) for r in requests]
    return RequestTimeliness(
        kind=kind,
        agency=agency,
        total=len(requests),
        acknowledged_in_time=acknowledged.count(True),
        acknowledged_late=acknowledged.count(False),
        answered_in_time=answered.count(True),
        answered_late=answered.count(False),
        open_past_target=sum(1 for r in requests if past_target(r, now)),
        median_days_to_acknowledge=_median(
            [
                deadlines.working_days_between(r.submitted_at, r.acknowledged_at)
                for r in requests
                if r.acknowledged_at
            ]
        ),
        median_days_to_answer=_median(
            [deadlines.working_days_between(r.submitted_at, r.answered_at) for r in requests if r.answered_at]
        ),
    )


def _order(key: tuple[str, str]) -> tuple[int, int]:
    kind, agency = key
    return (
        KINDS.index(kind) if kind in KINDS else len(KINDS),
        AGENCY_ORDER.index(agency) if agency in AGENCY_ORDER else len(AGENCY_ORDER),
    )


def request_timeliness(
    session: Session, actor: Actor, period: Period, *, now: datetime | None = None
) -> list[RequestTimeliness]:
    """One row per kind and agency with requests made in the period on the unit's cases (those the
    officer may see: request_access.officer_requests)."""
    now = now or datetime.now(UTC)
    groups: dict[tuple[str, str], list[VictimRequest]] = {}
    for request, _case, _victim in request_access.officer_requests(session, actor, submitted=period.bounds()):
        groups.setdefault((request.kind, request.agency), []).append(request)
    return [_row(kind, agency, groups[(kind, agency)], now) for kind, agency in sorted(groups, key=_order)]
