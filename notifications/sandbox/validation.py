"""Request validation the way Notify does it, with Notify's error wording where we know it.

Each `validate_*` returns the normalised recipient and personalisation, or raises `ApiError` carrying
every problem found (Notify reports all schema errors at once).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

SMS_TEMPORARY_FAILURE = "07700900003"
SMS_PERMANENT_FAILURE = "07700900002"
EMAIL_TEMPORARY_FAILURE = "temp-fail@simulator.notify"
EMAIL_PERMANENT_FAILURE = "perm-fail@simulator.notify"

_COMMON_FIELDS = {"template_id", "personalisation", "reference"}
_ALLOWED_FIELDS = {
    "sms": _COMMON_FIELDS | {"phone_number", "sms_sender_id"},
    "email": _COMMON_FIELDS
    | {"email_address", "email_reply_to_id", "one_click_unsubscribe_url", "sanitise_content_for"},
    "letter": _COMMON_FIELDS | {"postage"},
}
_EMAIL_RE = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+@([^.@\s]+\.)+[^.@\s]{2,}$")
_POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|BFPO ?[0-9]{1,4})$")


class ApiError(Exception):
    """An error answer in Notify's shape: `{"status_code": ..., "errors": [{"error": ..., "message": ...}]}`."""

    def __init__(self, status_code: int, error: str, messages: list[str] | str) -> None:
        self.status_code = status_code
        self.error = error
        self.messages = [messages] if isinstance(messages, str) else messages
        super().__init__(f"{status_code} {error}: {'; '.join(self.messages)}")

    def body(self) -> dict[str, Any]:
        return {
            "status_code": self.status_code,
            "errors": [{"error": self.error, "message": message} for message in self.messages],
        }


@dataclass(frozen=True)
class ValidRequest:
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    to: str  # phone number, email address, or the address lines joined by newlines
    address_lines: tuple[str, ...] = ()


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def normalise_phone(value: str) -> str:
    """UK numbers to 07xxxxxxxxx; international numbers keep their leading +. Raises ValueError."""
    digits = re.sub(r"[\s().\-]", "", value)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("44"):
            if not digits.isdigit() or not 8 <= len(digits) <= 15:
                raise ValueError("Not a valid international number")
            return "+" + digits
    if not digits.isdigit():
        raise ValueError("Must not contain letters or symbols")
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and len(digits) > 10:
            digits = "0" + digits[len(prefix) :]
            break
    if not digits.startswith("07"):
        raise ValueError("Not a UK mobile number")
    if len(digits) > 11:
        raise ValueError("Too many digits")
    if len(digits) < 11:
        raise ValueError("Not enough digits")
    return digits


def _common(body: Any, kind: str, errors: list[str]) -> tuple[str, dict[str, Any], str | None]:
    if not isinstance(body, dict):
        raise ApiError(400, "BadRequestError", "Invalid JSON supplied in POST data")
    for key in sorted(set(body) - _ALLOWED_FIELDS[kind]):
        errors.append(f"Additional properties are not allowed ({key} was unexpected)")
    template_id = body.get("template_id")
    if template_id is None:
        errors.append("template_id is a required property")
    elif not is_uuid(template_id):
        errors.append("template_id is not a valid UUID")
    personalisation = body.get("personalisation", {})
    if personalisation is None:
        personalisation = {}
    if not isinstance(personalisation, dict):
        errors.append("personalisation should contain key value pairs")
        personalisation = {}
    reference = body.get("reference")
    if reference is not None and not isinstance(reference, str):
        errors.append(f"reference {reference!r} is not of type string, null")
        reference = None
    if isinstance(reference, str) and len(reference) > 1000:
        errors.append("reference is too long")
    return str(template_id or ""), personalisation, reference


def validate_sms(body: Any) -> ValidRequest:
    errors: list[str] = []
    template_id, personalisation, reference = _common(body, "sms", errors)
    phone = body.get("phone_number")
    to = ""
    if phone is None:
        errors.append("phone_number is a required property")
    elif not isinstance(phone, str):
        errors.append(f"phone_number {phone!r} is not of type string")
    else:
        try:
            to = normalise_phone(phone)
        except ValueError as error:
            errors.append(f"phone_number {error}")
    if errors:
        raise ApiError(400, "ValidationError", errors)
    return ValidRequest(template_id, personalisation, reference, to)


def validate_email(body: Any) -> ValidRequest:
    errors: list[str] = []
    template_id, personalisation, reference = _common(body, "email", errors)
    address = body.get("email_address")
    if address is None:
        errors.append("email_address is a required property")
    elif not isinstance(address, str) or len(address) > 320 or not _EMAIL_RE.match(address.strip()):
        errors.append("email_address Not a valid email address")
    if errors:
        raise ApiError(400, "ValidationError", errors)
    return ValidRequest(template_id, personalisation, reference, str(address).strip())


def validate_letter(body: Any) -> ValidRequest:
    errors: list[str] = []
    template_id, personalisation, reference = _common(body, "letter", errors)
    if "personalisation" not in body:
        errors.append("personalisation is a required property")
    for required in ("address_line_1", "address_line_2"):
        if body.get("personalisation") is not None and required not in personalisation:
            errors.append(f"personalisation {required} is a required property")
    postage = body.get("postage")
    if postage is not None and postage not in ("first", "second", "economy"):
        errors.append("postage invalid. It must be first, second or economy.")
    if errors:
        raise ApiError(400, "ValidationError", errors)
    lines = [str(personalisation.get(f"address_line_{index}") or "").strip() for index in range(1, 8)]
    if personalisation.get("postcode"):
        lines.append(str(personalisation["postcode"]).strip())
    lines = [line for line in lines if line]
    if len(lines) < 3:
        raise ApiError(400, "ValidationError", "Address must be at least 3 lines")
    if len(lines) > 7:
        raise ApiError(400, "ValidationError", "Address must be no more than 7 lines")
    if not _POSTCODE_RE.match(re.sub(r"\s+", " ", lines[-1].upper())):
        raise ApiError(400, "ValidationError", "Last line of address must be a real UK postcode")
    return ValidRequest(template_id, personalisation, reference, "\n".join(lines), tuple(lines))


def simulated_outcome(kind: str, to: str) -> str:
    """The final status Notify's test recipients produce; everything else is delivered (letters received)."""
    if kind == "letter":
        return "received"
    if kind == "sms":
        return {SMS_TEMPORARY_FAILURE: "temporary-failure", SMS_PERMANENT_FAILURE: "permanent-failure"}.get(
            to, "delivered"
        )
    return {EMAIL_TEMPORARY_FAILURE: "temporary-failure", EMAIL_PERMANENT_FAILURE: "permanent-failure"}.get(
        to.lower(), "delivered"
    )
