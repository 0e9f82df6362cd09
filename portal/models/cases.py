"""Cases, the victims on them, the updates the agencies send, and when a victim saw each update."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, new_id, utcnow
from portal.models.people import Victim


class Case(Base):
    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String(11), unique=True)
    # The 2-digit police force code from the URN: tells which witness care unit owns the case.
    force_code: Mapped[str] = mapped_column(String(2), index=True)
    # Victim-facing description of the offence, e.g. "Assault". Never sent in a discreet message.
    offence: Mapped[str] = mapped_column(String(200))
    crn: Mapped[str | None] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(20), default="open")
    reported_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    victims: Mapped[list[CaseVictim]] = relationship(back_populates="case")


class CaseVictim(Base):
    __tablename__ = "case_victim"
    __table_args__ = (UniqueConstraint("case_id", "victim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    # The agency's own reference for this person, if it gave one.
    agency_person_reference: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by the database's own triggers (migration 0028) whenever anything the victim's standing in
    # the case is worked out from changes: a kept standing (CaseStanding) is used only at this revision.
    standing_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    case: Mapped[Case] = relationship(back_populates="victims")
    # Loaded with the link: whoever reads a case's victims reads the people (one query, not one each).
    victim: Mapped[Victim] = relationship(lazy="joined")


class CaseUpdate(Base):
    """One thing that happened in a case, as an agency told us."""

    __tablename__ = "case_update"
    __table_args__ = (
        UniqueConstraint("agency", "agency_event_id", name="uq_case_update_agency_event"),
        Index("ix_case_update_case_occurred", "case_id", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    # Who is speaking: police, cps, witness_care or probation.
    agency: Mapped[str] = mapped_column(String(20))
    event_type: Mapped[str] = mapped_column(String(60))
    agency_event_id: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime] = mapped_column()
    # When the responsible agency had the information: the Code clock starts here.
    received_at: Mapped[datetime] = mapped_column()
    # The last day by which the victim must be told (end of that working day), or None if the
    # event has no Code timescale.
    code_deadline: Mapped[date | None] = mapped_column(Date)
    enhanced: Mapped[bool] = mapped_column(Boolean, default=False)
    # Typed details by event type (hearing date, court, charges, ...), validated on the way in.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Free text from the agency written for the victim, if any.
    message: Mapped[str | None] = mapped_column(Text)
    # The same words in Welsh, when the agency sent them: shown to victims who chose Welsh.
    message_cy: Mapped[str | None] = mapped_column(Text)
    # A correction replaces an earlier update in the timeline; the earlier one is kept.
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("case_update.id"))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    # None: for every victim on the case; otherwise only for this victim.
    victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()


class UpdateSeen(Base):
    """The first time a victim opened an update in the portal (a "told" time for timeliness)."""

    __tablename__ = "update_seen"
    __table_args__ = (UniqueConstraint("update_id", "victim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"), index=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseStanding(Base):
    """Where things stand in a victim's case, worked out from every update of it and kept, so that the
    case page does not work it out again on every view (`portal.services.cases.kept_standing`).

    Used only while `revision` is the pair's `CaseVictim.standing_revision` and before `good_until`. The
    database's triggers (migration 0028) raise that revision and delete these rows whenever an update,
    a seen record, a delivery, a recorded contact or the case changes, so nothing erased stays here."""

    __tablename__ = "case_standing"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    good_until: Mapped[datetime] = mapped_column()
    # JSON of the standing without the named contacts, and the counts of updates by source.
    payload: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_case_standing_victim", "victim_id"),)
