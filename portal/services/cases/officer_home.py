"""The witness care officer's home page: how much of each kind of work is waiting for their unit.

Counts only: no victim is named, so opening the home page audits no view of anyone's information. The
pages each count links to list the work itself (and audit what they show).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.services.accessible_formats import tasks as accessible_format_tasks
from portal.services.cases import call_list, delivery_problems, timeliness
from portal.services.common.actors import Actor
from portal.services.preferences import reviews


@dataclass(frozen=True)
class OfficerWork:
    to_review: int  # victims whose preferences or needs are new or changed since the unit last reviewed them
    not_told: int  # updates not told past their deadline, or urgent and not told (the timeliness report)
    urgent_not_told: int  # of which urgent: safety news the victim must hear at once
    told_late: int
    not_delivered: int  # messages that will never arrive
    period: timeliness.Period  # the timeliness report's default period, which the counts cover
    # updates to send or explain in a form Notify cannot (large print, braille, BSL...), not done yet
    formats_to_send: int = 0
    to_call: int = 0  # victims on the call list (call_list.py)


def officer_work(session: Session, actor: Actor, now: datetime | None = None) -> OfficerWork:
    now = now or datetime.now(UTC)
    period = timeliness.default_period(now.astimezone(timeliness.LONDON).date())
    items = timeliness.unit_timeliness(session, actor, period, now=now)
    not_told = timeliness.not_yet_told(items)
    return OfficerWork(
        to_review=reviews.waiting_count(session, actor),
        not_told=len(not_told),
        urgent_not_told=sum(1 for item in not_told if item.urgent),
        told_late=len(timeliness.late(items)),
        not_delivered=len(delivery_problems.delivery_problems(session, actor)),
        period=period,
        formats_to_send=accessible_format_tasks.open_count(session, actor),
        to_call=call_list.victims_to_call(session, items),
    )
