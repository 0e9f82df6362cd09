"""Where a message to a victim goes on each channel, in the form GOV.UK Notify takes, and only if Notify
would take it.

Every message to a victim (an update, a digest, a notice about their support worker, an invitation) finds
its destination here, so the rule is written once: the channels the victim confirmed safe, in their order,
with a verified contact point (`preferences.safe_channels`), and then only those whose email address,
mobile number or postal address Notify accepts for this service (`notifications.recipients`, with the
service's international permissions from `NOTIFY_INTERNATIONAL_SMS` and `NOTIFY_INTERNATIONAL_LETTERS`).
A channel Notify would refuse is skipped, so the victim is told on their next safe channel rather than
not at all; the details were checked when they were entered, so this only happens when rules or
permissions change after the fact.

A letter is addressed to the victim by name: the name is the first address line, the address the victim
gave (ending with the postcode) the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications import recipients
from notifications.outbox import EMAIL, LETTER, SMS, OutboundMessage, enqueue, new_message
from portal.models import Victim
from portal.services.common.notify_settings import international_letters, international_sms
from portal.services.preferences.records import Preferences, safe_channels

log = logging.getLogger(__name__)

MESSAGE_CHANNELS = (EMAIL, SMS, LETTER)


@dataclass(frozen=True)
class Destination:
    """One channel's destination: `recipient` (email address or phone number) or `address` (letter)."""

    channel: str
    recipient: str | None = None
    address: list[str] | None = None


def letter_address(full_name: str, lines: Sequence[str]) -> list[str]:
    """The victim's name and address as Notify prints them. Raises InvalidRecipient."""
    return recipients.validate_postal_address([full_name, *lines], international=international_letters())


def destination(prefs: Preferences, victim: Victim, channel: str) -> Destination | None:
    """The channel's destination, or None if there is no contact point or Notify would refuse it."""
    contact = prefs.contact_for(channel)
    if not contact or channel not in MESSAGE_CHANNELS:
        return None
    try:
        if channel == LETTER:
            return Destination(LETTER, address=letter_address(victim.full_name, list(contact)))
        if channel == SMS:
            recipients.validate_phone_number(str(contact), international=international_sms())
        else:
            recipients.validate_email_address(str(contact))
    except recipients.InvalidRecipient as error:
        # Never the contact details themselves in a log.
        log.warning("victim %s: Notify would refuse their %s contact (%s)", victim.id, channel, error.message)
        return None
    return Destination(channel, recipient=str(contact))


def _message_fields(
    where: Destination, subject: str, body: str, not_before: datetime | None, correlation: str
) -> dict[str, Any]:
    return {
        "channel": where.channel,
        "recipient": where.recipient,
        "address": where.address,
        "subject": None if where.channel == SMS else subject,
        "body": body,
        "not_before": not_before,
        "correlation": correlation,
    }


def enqueue_to(
    session: Session,
    where: Destination,
    *,
    subject: str,
    body: str,
    not_before: datetime | None,
    correlation: str,
    flush: bool = True,
) -> OutboundMessage:
    """Queue one message to `where` in the caller's transaction: the subject is an email's subject and a
    letter's heading; a text message has none."""
    return enqueue(session, flush=flush, **_message_fields(where, subject, body, not_before, correlation))


def message_to(
    where: Destination, *, subject: str, body: str, not_before: datetime | None, correlation: str
) -> dict[str, Any]:
    """A new outbox row to `where`, as `enqueue_to` would queue it, for `outbox.message_rows`."""
    return new_message(**_message_fields(where, subject, body, not_before, correlation))


def acceptable_email(address: str | None) -> bool:
    """Whether Notify would take this email address (a staff member's or support worker's)."""
    try:
        recipients.validate_email_address(address or "")
    except recipients.InvalidRecipient:
        return False
    return True


def reachable(prefs: Preferences, victim: Victim, *, excluding: str | None = None) -> list[Destination]:
    """The victim's destinations for messages, in their order: safe, verified and acceptable to Notify."""
    found = []
    for channel in safe_channels(prefs):
        if channel == excluding:
            continue
        where = destination(prefs, victim, channel)
        if where is not None:
            found.append(where)
    return found
