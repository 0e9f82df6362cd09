"""A checker, written from GOV.UK Notify's own validation rules, for the requests the portal makes: would
Notify accept this notification? Used on outbox messages (through the gateway's personalisation) and on
what reached the sandbox. Not a test module: the tests import it.

The rules, as Notify's API applies them (notifications-api `post_notifications.py`, `validators.py`;
notifications-utils `recipient_validation/` and `template.py`):
- the recipient: an email address, a UK mobile (international only with that permission), or a postal
  address of 3 to 7 lines ending with a real UK postcode (see notifications.recipients);
- every placeholder of the template present in the personalisation, none of them null;
- a text message of at most 918 characters, and no message empty;
- the `reference` holds no personal data: here, it must be the outbox message's id (a UUID).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from notifications import recipients
from notifications.outbox import OutboundMessage
from notifications.templates import ADDRESS_KEYS, TEMPLATES, personalisation_for

SMS_LIMIT = 918


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def problems(
    kind: str,
    *,
    to: str | None,
    personalisation: Mapping[str, Any],
    reference: str | None,
    international_sms: bool = False,
    international_letters: bool = False,
) -> list[str]:
    """Everything Notify would refuse in one request, as readable strings (empty if it would accept it)."""
    found: list[str] = []
    template = TEMPLATES[kind]
    missing = [name for name in template.placeholders if personalisation.get(name) is None]
    if missing:
        found.append(f"Missing personalisation: {', '.join(missing)}")
    body = str(personalisation.get("body") or "")
    if not body.strip():
        found.append("the message is empty")
    if kind == "sms" and len(body) > SMS_LIMIT:
        found.append(f"Text messages cannot be longer than {SMS_LIMIT} characters ({len(body)})")
    if kind in ("email", "letter") and not str(personalisation.get("subject") or "").strip():
        found.append(f"an {kind} with no subject")
    if reference is None or not _is_uuid(reference):
        found.append(f"reference {reference!r} is not an outbox id")
    try:
        if kind == "email":
            recipients.validate_email_address(to or "")
        elif kind == "sms":
            recipients.validate_phone_number(to or "", international=international_sms)
        else:
            lines = [str(personalisation[key]) for key in ADDRESS_KEYS if personalisation.get(key)]
            recipients.validate_postal_address(lines, international=international_letters)
    except recipients.InvalidRecipient as error:
        found.append(f"recipient: {error.message}")
    return found


def outbox_problems(message: OutboundMessage) -> list[str]:
    """`problems` for an outbox message, sent as the gateway would send it."""
    personalisation = personalisation_for(
        message.channel, subject=message.subject, body=message.body, address=message.address
    )
    return problems(
        message.channel, to=message.recipient, personalisation=personalisation, reference=message.id
    )


def sandbox_problems(item: Mapping[str, Any]) -> list[str]:
    """`problems` for one item of the sandbox's inbox (GET /_sandbox/notifications)."""
    kind = item["type"]
    to = None if kind == "letter" else item["to"]
    return problems(kind, to=to, personalisation=item["personalisation"], reference=item["reference"])
