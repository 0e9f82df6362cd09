"""The quality of what victims are told: the checks run on each update an agency sends, victims' answers
to "Was this update clear?", and officers' reviews of a sample of updates against the same elements.

`checks` and `elements` map a check name (portal.services.quality.elements.CHECKS) to True (passed),
False (failed); a check that does not apply to the update is left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow

#: Longest answer to "What was unclear?".
UNCLEAR_MAX = 500


class UpdateQualityCheck(Base):
    """The automatic checks on one update, run when it arrived; one row per update."""

    __tablename__ = "update_quality_check"

    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Flesch reading ease of the agency's own free text (None: too little text to score).
    readability: Mapped[float | None] = mapped_column(Float)
    words: Mapped[int] = mapped_column(Integer, default=0)
    checks: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # What the agency was told: [{"check", "field", "message"}], as returned by the API.
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Seeded demo data, labelled as such in the report.
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class UpdateRating(Base):
    """A victim's answer to "Was this update clear?": one per victim and update, changeable."""

    __tablename__ = "update_rating"
    __table_args__ = (UniqueConstraint("update_id", "victim_id", name="uq_update_rating_update_victim"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"), index=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    clear: Mapped[bool] = mapped_column(Boolean)
    # "What was unclear?" (only with clear False; optional). Never shown with the victim's name.
    unclear: Mapped[str | None] = mapped_column(String(UNCLEAR_MAX))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class UpdateReview(Base):
    """An officer's review of one sampled update against the same elements as the checks."""

    __tablename__ = "update_review"

    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"), primary_key=True)
    reviewer_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    satisfactory: Mapped[bool] = mapped_column(Boolean)
    elements: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
