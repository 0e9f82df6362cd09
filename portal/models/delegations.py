"""Delegations: a victim lets a support worker (or a whole support organisation) see or do some things
for them, for a time they choose, and can end it at any moment.

The status is never stored: it is worked out from the timestamps every time access is checked
(services/delegations.py `status_of`), so a revocation or an expiry counts on the very next request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow

# What a victim can let someone do (any combination).
SEE_UPDATES = "see-updates"
SEE_PREFERENCES = "see-preferences"
CHANGE_PREFERENCES = "change-preferences"
RECEIVE_COPIES = "receive-copies"
# Write secure messages for the victim on their cases, and read the replies (issue 15).
SEND_MESSAGES = "send-messages"
SCOPES: tuple[str, ...] = (SEE_UPDATES, SEE_PREFERENCES, CHANGE_PREFERENCES, RECEIVE_COPIES, SEND_MESSAGES)

# Where the victim's consent came from.
SOURCE_VICTIM_ONLINE = "victim online"
SOURCE_OFFICER_BY_PHONE = "officer: by phone"
SOURCE_OFFICER_IN_PERSON = "officer: in person"
SOURCES: tuple[str, ...] = (SOURCE_VICTIM_ONLINE, SOURCE_OFFICER_BY_PHONE, SOURCE_OFFICER_IN_PERSON)


class Delegation(Base):
    """One grant from a victim to a support worker (`grantee_user_id`) or to every support worker of an
    organisation (`grantee_organisation_id`); exactly one of the two is set."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victim.id"), index=True)
    grantee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    grantee_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Any of SCOPES.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    # Who recorded it: the victim online, or an officer the victim told by phone or in person.
    granted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    granted_by_label: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40))
    consent_note: Mapped[str | None] = mapped_column(Text)
    # The worker (or, for an organisation, one of its workers) said yes or no.
    accepted_at: Mapped[datetime | None] = mapped_column()
    accepted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    declined_at: Mapped[datetime | None] = mapped_column()
    declined_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Ended by the victim.
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_by_label: Mapped[str | None] = mapped_column(String(200))
    # Ended by the worker.
    stepped_back_at: Mapped[datetime | None] = mapped_column()
    stepped_back_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Stopped by a witness care officer for safeguarding, with the reason (shown to officers only).
    suspended_at: Mapped[datetime | None] = mapped_column()
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    suspended_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    suspended_by_label: Mapped[str | None] = mapped_column(String(200))
    # The victim was sent a message that it expired (the expiry sweep sets this).
    expiry_notified_at: Mapped[datetime | None] = mapped_column()
    # The status the victim has last been shown, so a change made by someone else is shown once.
    victim_seen_status: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
