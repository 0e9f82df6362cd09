"""Notify's JSON schemas for the v2 notification endpoints, checked with jsonschema (the library and
version Notify uses: Draft 7, jsonschema 4.26), and its way of turning schema errors into messages.

Sources in alphagov/notifications-api: app/v2/notifications/notification_schemas.py (the schemas),
app/schema_validation/definitions.py (`uuid`, `personalisation`, `https_url`) and
app/schema_validation/__init__.py (the format checks and `build_error_message`). The schemas are data:
keys are listed in Notify's order because jsonschema reports errors in that order.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema import ValidationError as SchemaError

from notifications import recipients
from notifications.sandbox.errors import ApiError

# Notify's notification statuses, plus the two letter-only names (app/constants.py
# NOTIFICATION_STATUS_TYPES, NOTIFICATION_STATUS_LETTER_ACCEPTED/RECEIVED).
STATUSES = [
    "cancelled",
    "created",
    "sending",
    "sent",
    "delivered",
    "pending",
    "failed",
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "pending-virus-check",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
]
LETTER_STATUSES = ["accepted", "received"]
NOTIFICATION_TYPES = ["email", "sms", "letter"]

_format_checker = FormatChecker(formats=())


@_format_checker.checks("validate_uuid", raises=Exception)
def _uuid_format(instance: Any) -> bool:
    if isinstance(instance, str):
        uuid.UUID(instance)
    return True


@_format_checker.checks("phone_number", raises=SchemaError)
def _phone_format(instance: Any) -> bool:
    # The schema lets through any number some service could send to (international, UK landline); the
    # service's own permissions are checked after the template (validators.py
    # `validate_and_format_recipient`). Messages are the legacy v2 ones ("Not a UK mobile number", ...).
    if isinstance(instance, str):
        try:
            recipients.validate_phone_number(instance, international=True)
        except recipients.InvalidRecipient as error:
            if error.api_error == "ValidationError":  # not a landline refused by the permissions
                raise SchemaError(error.message) from None
    return True


@_format_checker.checks("email_address", raises=SchemaError)
def _email_format(instance: Any) -> bool:
    if isinstance(instance, str):
        try:
            recipients.validate_email_address(instance)
        except recipients.InvalidRecipient as error:
            raise SchemaError(error.message) from None
    return True


@_format_checker.checks("postage", raises=SchemaError)
def _postage_format(instance: Any) -> bool:
    if isinstance(instance, str) and instance not in ("first", "second", "economy"):
        raise SchemaError("invalid. It must be either first, second or economy.")
    return True


@_format_checker.checks("datetime_within_next_day", raises=SchemaError)
def _within_next_day(instance: Any) -> bool:
    # Notify drops any UTC offset without converting, then compares with UTC now.
    if isinstance(instance, str):
        try:
            when = datetime.fromisoformat(instance).replace(tzinfo=None)
        except ValueError:
            raise SchemaError(
                "datetime format is invalid. It must be a valid ISO8601 date time format, "
                "https://en.wikipedia.org/wiki/ISO_8601"
            ) from None
        now = datetime.now(UTC).replace(tzinfo=None)
        if when < now:
            raise SchemaError("datetime can not be in the past")
        if when > now + timedelta(hours=24):
            raise SchemaError("datetime can only be 24 hours in the future")
    return True


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


@_format_checker.checks("uri", raises=SchemaError)
def _uri_format(instance: Any) -> bool:
    # Notify installs jsonschema[format], whose "uri" check needs an RFC 3986 URI (scheme included).
    if isinstance(instance, str) and not _URI.match(instance):
        raise SchemaError("is not a valid URI")
    return True


_UUID = {"type": "string", "format": "validate_uuid", "validationMessage": "is not a valid UUID"}
_PERSONALISATION = {"type": "object"}
_HTTPS_URL = {
    "type": "string",
    "format": "uri",
    "pattern": "^https.*",
    "validationMessage": "is not a valid https url",
}
_REFERENCE = {"type": "string", "maxLength": 1_000}
_SCHEDULED_FOR = {"type": ["string", "null"], "format": "datetime_within_next_day"}

POST_SMS = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "phone_number": {"type": "string", "format": "phone_number"},
        "template_id": _UUID,
        "personalisation": _PERSONALISATION,
        "scheduled_for": _SCHEDULED_FOR,
        "sms_sender_id": _UUID,
    },
    "required": ["phone_number", "template_id"],
    "additionalProperties": False,
}

POST_EMAIL = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "email_address": {"type": "string", "format": "email_address"},
        "template_id": _UUID,
        "personalisation": _PERSONALISATION,
        "scheduled_for": _SCHEDULED_FOR,
        "email_reply_to_id": _UUID,
        "one_click_unsubscribe_url": _HTTPS_URL,
        "sanitise_content_for": {"type": ["array", "null"]},
    },
    "required": ["email_address", "template_id"],
    "additionalProperties": False,
}

# A letter from a template: no `postage` (the template's postage is used, or the country's for an
# international address), no `scheduled_for`. Sending `postage` is refused as an additional property.
POST_LETTER = {
    "type": "object",
    "properties": {
        "reference": _REFERENCE,
        "template_id": _UUID,
        "personalisation": _PERSONALISATION,
    },
    "required": ["template_id", "personalisation"],
    "additionalProperties": False,
}

# A precompiled letter (a base64 PDF in `content`): this is the only letter that may name its postage.
POST_PRECOMPILED_LETTER = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "content": {"type": "string"},
        "postage": {"type": "string", "format": "postage"},
    },
    "required": ["reference", "content"],
    "additionalProperties": False,
}

NOTIFICATION_BY_ID = {
    "type": "object",
    "properties": {"notification_id": _UUID},
    "required": ["notification_id"],
}

GET_NOTIFICATIONS = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "status": {"type": "array", "items": {"enum": STATUSES + LETTER_STATUSES}},
        "template_type": {"type": "array", "items": {"enum": NOTIFICATION_TYPES}},
        "include_jobs": {"enum": ["true", "True"]},
        "older_than": _UUID,
    },
    "additionalProperties": False,
}

_validators: dict[int, Draft7Validator] = {}


def validate(instance: Any, schema: dict[str, Any]) -> Any:
    """Return `instance`, or raise a 400 listing every schema error as Notify words it."""
    validator = _validators.get(id(schema))
    if validator is None:
        validator = _validators[id(schema)] = Draft7Validator(schema, format_checker=_format_checker)
    messages: list[str] = []
    for error in validator.iter_errors(instance):
        message = _message(error)
        if message not in messages:
            messages.append(message)
    if messages:
        raise ApiError(400, "ValidationError", messages)
    return instance


def _message(error: SchemaError) -> str:
    """`{field} {problem}`, as build_error_message/__format_message do: a schema's own validationMessage
    wins; otherwise the format check's message (its cause) or jsonschema's, with quotes removed."""
    path = list(error.path)
    if "validationMessage" in error.schema:
        return f"{path[0] if path else ''} {error.schema['validationMessage']}".strip()
    text = (str(error.cause) if error.cause else error.message).replace("'", "")
    field = path[0] if path else None
    return f"{field} {text}" if field else text
