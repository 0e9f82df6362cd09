"""Updates a victim needs in a form GOV.UK Notify cannot send: an officer's task (issue 17).

A victim's recorded needs must change what the service does. When a victim who needs large print, braille
or easy read is sent an update by letter, or a victim who needs British Sign Language or an interpreter is
told of an update at all, the unit that owns the case gets a task: send or explain this update in that form.
The task's deadline is the update's Code deadline; it is done when an officer records it sent, and the
timeliness report counts it on time or late like any other telling. One task per victim, update and need.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow

LARGE_PRINT = "large-print"
BRAILLE = "braille"
EASY_READ = "easy-read"
BSL = "bsl"
INTERPRETER = "interpreter"
#: Needs met only by a letter the unit makes itself (Notify prints standard letters only).
LETTER_FORMATS: tuple[str, ...] = (LARGE_PRINT, BRAILLE, EASY_READ)
#: Every kind of task, in the order an officer sees them.
KINDS: tuple[str, ...] = (*LETTER_FORMATS, BSL, INTERPRETER)


class AccessibleFormatTask(Base):
    __tablename__ = "accessible_format_task"
    __table_args__ = (UniqueConstraint("victim_id", "update_id", "kind", name="uq_accessible_format_task"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    update_id: Mapped[str] = mapped_column(ForeignKey("case_update.id"))
    # One of KINDS.
    kind: Mapped[str] = mapped_column(String(20))
    # The interpreter's language, as the victim gave it (INTERPRETER only).
    language: Mapped[str | None] = mapped_column(String(100))
    # The update's Code deadline (a London date); None when the update has none.
    due_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    done_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
