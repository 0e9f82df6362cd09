"""What a victim asks of an agency through the portal (issue 16): a review of a decision (Victims' Right to
Review), a Victim Personal Statement, a complaint. One row per request, one row per change of its status.

Every kind shares one life: received, acknowledged, being considered, answered (or withdrawn by the
victim). Who must answer is `agency` (police, cps, witness_care, probation, or `service` for a complaint
about this portal); the dates by which it should acknowledge and answer are set when the request is made,
from the agency's published targets (services/requests/kinds.py). What the victim wrote is in `answers`,
by kind; nothing there is ever changed after submission: a new version is a new row that `supersedes` it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, new_id, utcnow

REVIEW = "review"
STATEMENT = "statement"
COMPLAINT = "complaint"
KINDS: tuple[str, ...] = (REVIEW, STATEMENT, COMPLAINT)

RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
IN_PROGRESS = "in-progress"
ANSWERED = "answered"
WITHDRAWN = "withdrawn"
STATUSES: tuple[str, ...] = (RECEIVED, ACKNOWLEDGED, IN_PROGRESS, ANSWERED, WITHDRAWN)
#: Statuses after which nothing changes.
FINAL: tuple[str, ...] = (ANSWERED, WITHDRAWN)

#: Who answers a complaint about the portal itself.
SERVICE = "service"


class VictimRequest(Base):
    __tablename__ = "victim_request"
    __table_args__ = (
        Index("ix_victim_request_agency_updated", "agency", "updated_at"),
        Index("ix_victim_request_victim_case", "victim_id", "case_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # What the victim quotes, e.g. "REV-7K3M-Q9XP": the kind's prefix and 8 letters and digits.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"))
    # None only for a complaint about the portal that is not about a case.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    # The update the request answers (the decision to review, the update that offered a statement).
    update_id: Mapped[str | None] = mapped_column(ForeignKey("case_update.id"))
    # Who must answer: an Agency value, or SERVICE.
    agency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RECEIVED)
    # What the victim said, by kind (services/requests/kinds.py describes each kind's answers).
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The signed-in person who sent it: the victim, or a support worker the victim allowed.
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # London dates by which the agency should acknowledge and answer (None: no published target).
    acknowledge_by: Mapped[date | None] = mapped_column()
    answer_by: Mapped[date | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    # The agency's answer in the victim's words, and in Welsh when the agency sent it.
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_cy: Mapped[str | None] = mapped_column(Text)
    # A later version of the same request (a statement updated) points at the one it replaces.
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("victim_request.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VictimRequestEvent(Base):
    """One change of a request's status: who made it and when (shown to the victim on their case)."""

    __tablename__ = "victim_request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("victim_request.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # A person (victim, support worker, officer) or an agency system (its client id).
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_api_client_id: Mapped[str | None] = mapped_column(String(64))
    # What the agency said with the change, for the victim (plain words), if anything.
    note: Mapped[str | None] = mapped_column(Text)
