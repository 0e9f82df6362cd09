"""Named contacts for a case: the officer in the case (police), the witness care officer (witness care
unit) and the Victim Liaison Officer (probation), with how and when a victim can reach them.

One row per case, role and victim: `victim_id` None means every victim on the case; a row for one victim
(a Victim Liaison Officer works with each victim separately) wins over the case's for that victim.
`victim_key` repeats `victim_id` ("all" for every victim) so that the unique constraint holds on every
database (NULLs are never equal in a unique constraint). Setting a contact replaces the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow

OFFICER_IN_CASE = "officer-in-case"
WITNESS_CARE_OFFICER = "witness-care-officer"
VICTIM_LIAISON_OFFICER = "victim-liaison-officer"
#: Every role, in the order a victim sees them.
CONTACT_ROLES: tuple[str, ...] = (OFFICER_IN_CASE, WITNESS_CARE_OFFICER, VICTIM_LIAISON_OFFICER)
#: `victim_key` of a contact for every victim on the case.
ALL_VICTIMS = "all"


class CaseContact(Base):
    __tablename__ = "case_contact"
    __table_args__ = (
        UniqueConstraint("case_id", "role", "victim_key", name="uq_case_contact_case_role_victim"),
        CheckConstraint(
            "role IN ('officer-in-case', 'witness-care-officer', 'victim-liaison-officer')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    role: Mapped[str] = mapped_column(String(30))
    # None: for every victim on the case; otherwise for this victim only.
    victim_id: Mapped[str | None] = mapped_column(ForeignKey("victim.id"), index=True)
    # `victim_id`, or ALL_VICTIMS: part of the unique key.
    victim_key: Mapped[str] = mapped_column(String(36))
    # As the victim should address them, e.g. "DC Sam Patel".
    name: Mapped[str] = mapped_column(String(100))
    # E.164, e.g. +441632960201.
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    # Free text, e.g. "Monday to Friday, 9am to 5pm".
    when_to_reach: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who set it: the agency API client's name, or the officer's.
    updated_by: Mapped[str] = mapped_column(String(200))
