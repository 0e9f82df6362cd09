"""The "Replies to victims' messages" section of the timeliness report: for the messages victims (or their
support workers) wrote in the period on the officer's unit's cases, per agency that answers them, how
many were replied to within the unit's target, how many late, how many still wait past it, how many were
closed without a reply, and the median working days to a reply.

Within target: replied by the end of the message's `reply_due` day (London time), as for updates and
requests (deadlines.is_on_time). Waiting past target: no reply, the thread not closed, and the reply-by
day has ended. Working days: from the London date the message was written to the date of its first reply
(0 = the same day), deadlines.working_days_between. Figures only: no victim is named.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.models import MessageThread, SecureMessage
from portal.models.messages import CLOSED
from portal.services import vocabulary
from portal.services.cases.timeliness import AGENCY_ORDER, Period
from portal.services.common import message_access
from portal.services.common.actors import Actor
from portal.services.vocabulary import deadlines


@dataclass(frozen=True)
class ReplyTimeliness:
    agency: str
    total: int
    replied_in_time: int
    replied_late: int
    waiting_past_target: int
    closed_without_reply: int
    median_days_to_reply: float | None

    @property
    def agency_label(self) -> str:
        try:
            return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(self.agency)])
        except ValueError:  # pragma: no cover - a thread's agency is one of threads.RECIPIENT_AGENCY's
            return self.agency


def _waiting_past_target(message: SecureMessage, thread: MessageThread, now: datetime) -> bool:
    return (
        message.replied_at is None
        and thread.status != CLOSED
        and message.reply_due is not None
        and now > deadlines.deadline_end(message.reply_due)
    )


def _row(agency: str, rows: Sequence[tuple[SecureMessage, MessageThread]], now: datetime) -> ReplyTimeliness:
    in_time = late = 0
    days: list[int] = []
    for message, _thread in rows:
        if message.replied_at is None:
            continue
        days.append(deadlines.working_days_between(message.created_at, message.replied_at))
        if message.reply_due is None or deadlines.is_on_time(message.reply_due, message.replied_at):
            in_time += 1
        else:
            late += 1
    return ReplyTimeliness(
        agency=agency,
        total=len(rows),
        replied_in_time=in_time,
        replied_late=late,
        waiting_past_target=sum(1 for m, t in rows if _waiting_past_target(m, t, now)),
        closed_without_reply=sum(1 for m, t in rows if m.replied_at is None and t.status == CLOSED),
        median_days_to_reply=float(statistics.median(days)) if days else None,
    )


def _order(agency: str) -> int:
    return AGENCY_ORDER.index(agency) if agency in AGENCY_ORDER else len(AGENCY_ORDER)


def reply_timeliness(
    session: Session, actor: Actor, period: Period, *, now: datetime | None = None
) -> list[ReplyTimeliness]:
    """One row per agency with messages written in the period on the unit's cases."""
    now = now or datetime.now(UTC)
    groups: dict[str, list[tuple[SecureMessage, MessageThread]]] = {}
    for message, thread in message_access.officer_report_messages(session, actor, period.bounds()):
        groups.setdefault(thread.agency, []).append((message, thread))
    return [_row(agency, groups[agency], now) for agency in sorted(groups, key=_order)]
