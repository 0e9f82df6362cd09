"""A send checked as Notify checks it, in Notify's order, with Notify's words.

The order is alphagov/notifications-api app/v2/notifications/post_notifications.py `post_notification`:
(rate limit and JSON in app.py) the request's JSON schema (schemas.py); the template
(app/notifications/validators.py `validate_template`: not found, wrong type, missing personalisation,
empty, a file in a text or letter); the sender ids (`get_reply_to_text`); then for texts and emails the
recipient against the service's permissions (`validate_and_format_recipient`), simulated recipients,
and the length (`check_is_message_too_long`); for letters the address (`validate_address`). Recipients
are checked by `notifications.recipients`, which follows Notify's rules.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications import recipients
from notifications.sandbox import schemas
from notifications.sandbox.constants import (
    EMAIL_PERMANENT_FAILURE,
    EMAIL_TEMPORARY_FAILURE,
    EUROPE,
    SIMULATED_EMAIL_ADDRESSES,
    SIMULATED_SMS_NUMBERS,
    SMS_PERMANENT_FAILURE,
    SMS_TEMPORARY_FAILURE,
)
from notifications.sandbox.content import normalise_key, render
from notifications.sandbox.errors import ApiError, bad_request, validation_error
from notifications.templates import GenericTemplate

ADMIN_BASE_URL = "https://www.notifications.service.gov.uk"
# The hidden template Notify files precompiled letters under (one per service; this one is the sandbox's).
PRECOMPILED_TEMPLATE_ID = "0d1c1e0f-5d5f-4c3b-9a3e-0c0a1e7e2f10"
_SCHEMAS = {"sms": schemas.POST_SMS, "email": schemas.POST_EMAIL, "letter": schemas.POST_LETTER}


@dataclass(frozen=True)
class ServiceSettings:
    """What the sandbox knows of the Notify service: its templates (id -> template) and permissions."""

    templates: Mapping[str, GenericTemplate]
    international_sms: bool = False
    international_letters: bool = False
    sms_sender_ids: frozenset[str] = frozenset()
    email_reply_to_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Accepted:
    """A send Notify would accept, and what it would store."""

    kind: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    to: str  # as Notify stores it
    normalised_to: str  # as the inbox shows it
    final_status: str
    body: str = ""
    subject: str | None = None
    address_lines: tuple[str, ...] = ()
    postage: str | None = None
    one_click_unsubscribe_url: str | None = None
    units: int = 1
    international: bool = False
    simulated: bool = False
    precompiled: bool = False
    sanitised_content: dict[str, Any] = field(default_factory=dict)


def canonical_id(value: str) -> str:
    return str(uuid.UUID(value))


def check_send(kind: str, body: Any, settings: ServiceSettings, service_id: str) -> Accepted:
    """The notification Notify would create for this request, or ApiError with Notify's answer."""
    if kind == "letter" and isinstance(body, dict) and "content" in body:
        return _precompiled_letter(body)
    schemas.validate(body, _SCHEMAS[kind])
    personalisation: dict[str, Any] = dict(body.get("personalisation") or {})
    sanitised: dict[str, Any] = {}
    if kind == "email":
        personalisation, sanitised = _sanitise(personalisation, body.get("sanitise_content_for") or [])
    template_id = canonical_id(body["template_id"])
    template = settings.templates.get(template_id)
    if template is None:
        raise bad_request("Template not found")
    if template.type != kind:
        raise bad_request(f"{template.type} template is not suitable for {kind} notification")
    rendered = render(template, personalisation)
    if rendered.missing:
        raise bad_request(f"Missing personalisation: {', '.join(rendered.missing)}")
    if rendered.empty:
        raise bad_request("Your message is empty.")
    has_file = any(isinstance(value, dict) and "file" in value for value in personalisation.values())
    if has_file and kind != "email":
        raise bad_request("Can only send a file by email")
    _check_sender_ids(body, settings, service_id)
    common = {
        "kind": kind,
        "template_id": template_id,
        "personalisation": personalisation,
        "reference": body.get("reference"),
        "body": rendered.body,
        "subject": rendered.subject,
        "sanitised_content": sanitised,
    }
    if kind == "letter":
        # the template's postage (GenericTemplate has none: Notify's default is second class), unless
        # the address is abroad (process_letter_notifications.py create_letter_notification)
        template_postage = getattr(template, "postage", None) or "second"
        lines, postage = _letter_address(personalisation, settings, template_postage)
        address = "\n".join(lines)
        return Accepted(
            **common,
            to=address,
            normalised_to=address,
            final_status="delivered",
            address_lines=tuple(lines),
            postage=postage,
            international=postage in ("europe", "rest-of-world"),
        )
    if kind == "sms":
        sent_to = _strip(body["phone_number"])
        number = _recipient(
            recipients.validate_phone_number, body["phone_number"], settings.international_sms
        )
        simulated = number in SIMULATED_SMS_NUMBERS
        shown = "0" + number[2:] if number.startswith("44") else "+" + number
        outcome = {SMS_TEMPORARY_FAILURE: "temporary-failure", SMS_PERMANENT_FAILURE: "permanent-failure"}
        final = outcome.get(shown, "delivered")
        units = rendered.fragments
        unsubscribe = None
        international = not number.startswith("44")
    else:
        sent_to = _strip(body["email_address"])
        address = _recipient(recipients.validate_email_address, body["email_address"]).lower()
        simulated = address in SIMULATED_EMAIL_ADDRESSES
        shown = sent_to
        outcome = {EMAIL_TEMPORARY_FAILURE: "temporary-failure", EMAIL_PERMANENT_FAILURE: "permanent-failure"}
        final = outcome.get(address, "delivered")
        units = 0
        unsubscribe = body.get("one_click_unsubscribe_url")
        international = False
        if has_file:
            raise bad_request(
                "Send files by email has not been set up - add contact details for your service at "
                f"{ADMIN_BASE_URL}/services/{service_id}/service-settings/send-files-by-email"
            )
    if rendered.too_long:
        raise bad_request(rendered.too_long)
    return Accepted(
        **common,
        to=sent_to,
        normalised_to=shown,
        final_status=final,
        one_click_unsubscribe_url=unsubscribe,
        units=units,
        international=international,
        simulated=simulated,
    )


def _strip(value: str) -> str:
    """process_notifications.py: the `to` Notify stores (strip_and_remove_obscure_whitespace)."""
    for character in "\u180e\u200b\u200c\u200d\u2060\ufeff\u2028\u2029\u00a0\u202f":
        value = value.replace(character, "")
    return value.strip()


def _recipient(check: Any, value: str, *args: bool) -> str:
    try:
        return check(value, international=args[0]) if args else check(value)
    except recipients.InvalidRecipient as error:
        raise ApiError(400, error.api_error, error.api_message) from None


def _check_sender_ids(body: Mapping[str, Any], settings: ServiceSettings, service_id: str) -> None:
    """post_notifications.py `get_reply_to_text`: an id the service does not have is refused."""
    for name, known in (
        ("email_reply_to_id", settings.email_reply_to_ids),
        ("sms_sender_id", settings.sms_sender_ids),
    ):
        value = body.get(name)
        if value and canonical_id(value) not in known:
            raise bad_request(f"{name} {value} does not exist in database for service id {service_id}")


def _letter_address(
    personalisation: Mapping[str, Any], settings: ServiceSettings, template_postage: str
) -> tuple[list[str], str]:
    """validators.py `validate_address` on PostalAddress.from_personalisation: address_line_1..6, then
    address_line_7 if given, else `postcode` (keys exactly as spelt). Returns the lines and the postage:
    the template's for a UK address, the country's zone for one abroad."""
    keys = [f"address_line_{index}" for index in range(1, 7)]
    keys.append("address_line_7" if "address_line_7" in personalisation else "postcode")
    lines = [str(personalisation.get(key) or "") for key in keys]
    try:
        normalised = recipients.validate_postal_address(lines, international=settings.international_letters)
    except recipients.InvalidRecipient as error:
        raise validation_error(error.message) from None
    abroad = False
    if settings.international_letters:
        try:
            recipients.validate_postal_address(lines, international=False)
        except recipients.InvalidRecipient:
            abroad = True  # passes only because the service may send abroad: the last line is a country
    if not abroad:
        return normalised, template_postage
    return normalised, "europe" if normalised[-1] in EUROPE else "rest-of-world"


def _precompiled_letter(body: dict[str, Any]) -> Accepted:
    """post_notifications.py `post_precompiled_letter_notification`: a PDF, which may name its postage."""
    schemas.validate(body, schemas.POST_PRECOMPILED_LETTER)
    try:
        base64.b64decode(body["content"])
    except (binascii.Error, ValueError):
        raise bad_request("Cannot decode letter content (invalid base64 encoding)") from None
    return Accepted(
        kind="letter",
        template_id=PRECOMPILED_TEMPLATE_ID,
        personalisation={"address_line_1": "Provided as PDF"},
        reference=body["reference"],
        to="Provided as PDF",
        normalised_to="Provided as PDF",
        final_status="delivered",
        subject="Pre-compiled PDF",
        postage=body.get("postage") or "second",
        precompiled=True,
    )


# -- sanitise_content_for (post_notifications.py `sanitise_personalisation_item`) ---------------------

_URL = re.compile(
    r"(?i)\b(?<![\@\.])(https?:\/\/)?([\w\-]+\.{1})+([a-z]{2,63})(?!\@)\b([/\?#][^<\s]*)?"
)  # notifications-utils formatters.py `url`


def _sanitise(personalisation: dict[str, Any], names: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Email personalisation named in `sanitise_content_for`: links that look accidental are broken up
    ("example.com" -> "example. com"), others removed, markdown characters escaped. Returns the values
    to use and Notify's `sanitised_content` for the answer."""
    wanted = {normalise_key(str(name)) for name in names}
    result: dict[str, Any] = {}
    changed: dict[str, Any] = {}
    for key, value in personalisation.items():
        if normalise_key(str(key)) in wanted and isinstance(value, str):
            clean = _URL.sub(
                lambda m: (
                    re.sub(r"\.", ". ", m.group()) if re.fullmatch(r"[a-zA-Z0-9.\-]+", m.group()) else ""
                ),
                value,
            )
            clean = re.sub(r"([`*_()\\{}\[\]<>#+\-.!|])", r"\\\1", clean, flags=re.M)
            result[key] = clean
            if clean != value:
                changed[key] = {"unsanitised": value, "sanitised": clean}
        else:
            result[key] = value
    return result, {"sanitised_content": changed}  # always there in an email's answer
