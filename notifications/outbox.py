"""The transactional outbox: the `outbound_message` table and `enqueue()`.

The portal renders a message and calls `enqueue(session, ...)` in the same transaction as the change that
causes it, so a message exists if and only if that change committed. The worker (`notifications.worker`)
delivers it later; receipts (`notifications.receipts`) record the outcome.

Status lifecycle (`OutboundMessage.status`):

    queued --claim--> sending --201--> sent --receipt--> delivered | permanent-failure
       ^                 |                   \\--receipt--> temporary-failure | technical-failure --+
       |                 +--429/5xx/timeout--> queued (later)                                        |
       +---------------------------------- claimed again when next_attempt_at is due <--------------+
    400/403 from Notify, or still failing at give_up_at --> failed

`delivered`, `permanent-failure` and `failed` are final. The row id is also the Notify `reference`, so it
must never carry personal data; nor may `correlation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from notifications import recipients
from notifications.base import NotificationsBase
from notifications.rows import Write
from notifications.types import UTCDateTime, new_id, utcnow

EMAIL = "email"
SMS = "sms"
LETTER = "letter"
CHANNELS = (EMAIL, SMS, LETTER)

QUEUED = "queued"
SENDING = "sending"  # claimed by a worker (see claimed_until); may or may not have reached Notify
SENT = "sent"  # accepted by Notify; waiting for a delivery receipt
DELIVERED = "delivered"
PERMANENT_FAILURE = "permanent-failure"
TEMPORARY_FAILURE = "temporary-failure"  # Notify gave up for now; we send again at next_attempt_at
TECHNICAL_FAILURE = "technical-failure"  # Notify could not pass it on; we send again at next_attempt_at
FAILED = "failed"  # rejected by Notify or given up by us
STATUSES = (
    QUEUED,
    SENDING,
    SENT,
    DELIVERED,
    PERMANENT_FAILURE,
    TEMPORARY_FAILURE,
    TECHNICAL_FAILURE,
    FAILED,
)
FINAL_STATUSES = frozenset({DELIVERED, PERMANENT_FAILURE, FAILED})
RETRY_STATUSES = (QUEUED, TEMPORARY_FAILURE, TECHNICAL_FAILURE)  # claimable once next_attempt_at is due

MAX_ADDRESS_LINES = 7  # Notify's address_line_1 .. address_line_7; the last one holds the postcode
MIN_ADDRESS_LINES = 3
MAX_CORRELATION = 100
SMS_CHARACTER_LIMIT = 918  # Notify refuses longer texts (notifications-utils SMS_CHAR_COUNT_LIMIT)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class OutboundMessage(NotificationsBase):
    """One message to one recipient on one channel, and everything known about its delivery."""

    __tablename__ = "outbound_message"
    __table_args__ = (
        CheckConstraint(f"channel IN ({_in(CHANNELS)})", name="channel"),
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        # The worker's claim query: due retries by time, and expired leases.
        Index("ix_outbound_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbound_message_status_claimed_until", "status", "claimed_until"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str | None] = mapped_column(String(320))
    address: Mapped[list[str] | None] = mapped_column(JSON)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notify_id: Mapped[str | None] = mapped_column(String(36), index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    give_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    correlation: Mapped[str | None] = mapped_column(String(MAX_CORRELATION), index=True)
    #: Someone is waiting for it on a page (a security code, a password reset link): claimed before the
    #: messages that were due earlier, so a burst of updates does not hold up a sign-in.
    waited_for: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def __repr__(self) -> str:  # never the recipient or the text
        return f"<OutboundMessage {self.id} {self.channel} {self.status} attempts={self.attempts}>"


def _validate(
    channel: str,
    recipient: str | None,
    address: list[str] | None,
    subject: str | None,
    body: str,
    not_before: datetime | None,
    correlation: str | None,
) -> None:
    """Refuse anything Notify would refuse whatever the service's permissions (recipients.py), and
    anything the generic templates (templates.py) cannot carry. The service's own permissions
    (international texts and letters) are checked again by the gateway just before sending."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("body must be a non-empty string")
    _validate_destination(channel, recipient, address)
    _validate_content(channel, subject, body)
    if not_before is not None and (not isinstance(not_before, datetime) or not_before.tzinfo is None):
        raise ValueError("not_before must be a timezone-aware datetime")
    if correlation is not None and (not isinstance(correlation, str) or len(correlation) > MAX_CORRELATION):
        raise ValueError(f"correlation must be a string of at most {MAX_CORRELATION} characters")


def _validate_destination(channel: str, recipient: str | None, address: list[str] | None) -> None:
    if channel == LETTER:
        if recipient is not None:
            raise ValueError("a letter has an address, not a recipient")
        if not isinstance(address, list) or not MIN_ADDRESS_LINES <= len(address) <= MAX_ADDRESS_LINES:
            raise ValueError(f"a letter needs {MIN_ADDRESS_LINES} to {MAX_ADDRESS_LINES} address lines")
        if not all(isinstance(line, str) and line.strip() for line in address):
            raise ValueError("address lines must be non-empty strings")
    else:
        if address is not None:
            raise ValueError(f"an {channel} message has a recipient, not an address")
        if not isinstance(recipient, str) or not recipient.strip():
            raise ValueError(f"an {channel} message needs a recipient")
    _check_recipient(channel, recipient, address)


def _validate_content(channel: str, subject: str | None, body: str) -> None:
    if channel == SMS and len(body) > SMS_CHARACTER_LIMIT:
        raise ValueError(f"a text message is at most {SMS_CHARACTER_LIMIT} characters")
    if channel in (EMAIL, LETTER):
        if not isinstance(subject, str) or not subject.strip():
            raise ValueError(
                "an email needs a subject" if channel == EMAIL else "a letter needs a heading (subject)"
            )
    elif subject is not None:
        raise ValueError("text messages have no subject")


def _check_recipient(channel: str, recipient: str | None, address: list[str] | None) -> None:
    try:
        if channel == LETTER:
            recipients.validate_postal_address(address or [], international=True)
        elif channel == EMAIL:
            recipients.validate_email_address(recipient or "")
        else:
            recipients.validate_phone_number(recipient or "", international=True)
    except recipients.InvalidRecipient as error:
        raise ValueError(f"Notify would refuse this recipient: {error.message}") from None


def new_message(
    *,
    channel: str,
    recipient: str | None = None,
    address: list[str] | None = None,
    subject: str | None = None,
    body: str,
    not_before: datetime | None = None,
    correlation: str | None = None,
    waited_for: bool = False,
) -> dict[str, Any]:
    """A new outbox row, every column, checked as `enqueue` checks it (raises ValueError): for
    `message_rows` and `rows.insert_tables`, which write many rows in one statement."""
    _validate(channel, recipient, address, subject, body, not_before, correlation)
    now = utcnow()
    return {
        "id": new_id(),
        "channel": channel,
        "recipient": recipient.strip() if recipient is not None else None,
        "address": [line.strip() for line in address] if address is not None else None,
        "subject": subject,
        "body": body,
        "status": QUEUED,
        "attempts": 0,
        "not_before": not_before,
        "next_attempt_at": max(now, not_before) if not_before is not None else now,
        "claimed_until": None,
        "notify_id": None,
        "failure_reason": None,
        "give_up_at": None,
        "correlation": correlation,
        "waited_for": waited_for,
        "created_at": now,
        "sent_at": None,
        "delivered_at": None,
        "updated_at": now,
    }


def message_rows(rows: Sequence[dict[str, Any]]) -> Write:
    """New outbox rows (`new_message`) for `rows.insert_tables`, which writes them in the caller's
    transaction without the ORM's unit of work (they are not objects in the session: read them back if
    needed), with other tables' rows. Never commits."""
    return cast(Table, OutboundMessage.__table__), rows


def enqueue(
    session: Session,
    *,
    channel: str,
    recipient: str | None = None,
    address: list[str] | None = None,
    subject: str | None = None,
    body: str,
    not_before: datetime | None = None,
    correlation: str | None = None,
    waited_for: bool = False,
    flush: bool = True,
) -> OutboundMessage:
    """Add a message to the outbox in the caller's transaction (adds and flushes; never commits).

    `flush=False` leaves the INSERT to the session's next flush (the message's id is set already), so a
    caller adding many messages writes them in one statement.

    - email: `recipient` (address) and `subject`; sms: `recipient` (phone number); letter: `address`,
      3 to 7 lines with the postcode (or country) last, no recipient, and `subject`: the letter's heading.
      Recipients Notify would refuse raise ValueError (see notifications.recipients).
    - `not_before`: earliest send time (the victim's safe time); None means as soon as possible.
    - `correlation`: an opaque handle for the caller (e.g. "communication:42"), never personal data.
    - `waited_for`: someone is waiting for it on a page (a security code): workers claim it before the
      messages due earlier (claims.py), within the same rate limit.
    Raises ValueError for invalid arguments.
    """
    row = new_message(
        channel=channel,
        recipient=recipient,
        address=address,
        subject=subject,
        body=body,
        not_before=not_before,
        correlation=correlation,
        waited_for=waited_for,
    )
    message = OutboundMessage(**row)
    session.add(message)
    if flush:
        session.flush()
    return message


def lock_message(session: Session, message_id: str) -> OutboundMessage | None:
    """Load one message for update, holding its row lock until the transaction ends.

    PostgreSQL: `SELECT ... FOR UPDATE`. SQLite has no row locks, so a no-op UPDATE first takes the
    database's write lock; either way the returned row cannot change under us before we commit.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message_id)
            .values(id=OutboundMessage.id)
            .execution_options(synchronize_session=False)
        )
    statement: Any = (
        select(OutboundMessage)
        .where(OutboundMessage.id == message_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()
