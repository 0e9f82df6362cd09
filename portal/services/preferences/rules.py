"""Rules for the answers in a victim's preferences and needs: the allowed values, and the checks and
normalisation of phone numbers, email addresses, postcodes and safe times.

Every way in (the victim's question pages, an officer's form, the agency API) goes through
`validate_changes`, so a preference is never stored in a shape the rest of the service cannot use.
Error messages are the GOV.UK ones the question pages show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from notifications import recipients
from portal.services.common.notify_settings import international_letters, international_sms
from portal.services.vocabulary import CATEGORIES

EMAIL = "email"
SMS = "sms"
LETTER = "letter"
PHONE = "phone"
#: Every way we can reach a victim, in the order the questions list them.
CHANNELS: tuple[str, ...] = (EMAIL, SMS, LETTER, PHONE)
#: Channels that carry a written message (and so have discreet or detailed wording).
WRITTEN_CHANNELS: tuple[str, ...] = (EMAIL, SMS, LETTER)
#: The contact point each channel needs: text messages and officers' calls both use the phone number.
CHANNEL_KIND: dict[str, str] = {EMAIL: "email", SMS: "phone", LETTER: "address", PHONE: "phone"}

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FREQUENCIES: tuple[str, ...] = ("every-update", "key-milestones", "daily-digest")
# "both": every message in Welsh and English, the Welsh first (services/messaging/bilingual.py).
LANGUAGES: tuple[str, ...] = ("en", "cy", "both")
ACCESSIBILITY: tuple[str, ...] = ("large-print", "easy-read", "bsl", "braille", "screen-reader", "advocate")
SPECIAL_MEASURES: tuple[str, ...] = ("screens", "video-link", "evidence-in-private")
OPT_OUT_CATEGORIES: tuple[str, ...] = CATEGORIES
TIMEZONE = "Europe/London"

SOURCE_VICTIM_ONLINE = "victim online"
SOURCE_OFFICER_BY_PHONE = "officer by phone"
SOURCE_SUPPORT_WORKER = "support worker"
SOURCE_AGENCY_AT_REPORTING = "agency at reporting"
SOURCES: tuple[str, ...] = (
    SOURCE_VICTIM_ONLINE,
    SOURCE_OFFICER_BY_PHONE,
    SOURCE_SUPPORT_WORKER,
    SOURCE_AGENCY_AT_REPORTING,
)

MAX_TEXT = 100

PHONE_FORMAT = _l("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
MOBILE_FORMAT = _l("Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982")
UK_MOBILE_FORMAT = _l("Enter a UK mobile phone number, like 07700 900 982")
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")
POSTCODE_FORMAT = _l("Enter a real postcode, like SW1A 1AA")
NO_SAFE_CHANNEL = _l(
    "Select at least one way that is safe to contact you, or choose a phone call from an officer only"
)
END_BEFORE_START = _l("The end time must be after the start time")

# Ofcom keeps these UK ranges for drama and testing; GOV.UK Notify's test simulators use them, so they
# are accepted although the numbering plan does not list them as allocated.
_DRAMA_RANGES = re.compile(r"^\+44(7700900\d{3}|1632960\d{3}|20794600\d{2}|1134960\d{3}|1174960\d{3})$")
_BFPO = re.compile(r"^BFPO ?([0-9]{1,4})$")
# A time as people type it, once lower-cased with spaces and the dots of "a.m." taken out: an hour, then
# perhaps minutes (after ":" or ".", or straight after a 1- or 2-digit hour: "0900", "930"), then perhaps
# "am" or "pm". Whether the numbers make a real time is checked after (`parse_time`).
_TIME = re.compile(r"^(?P<hour>[0-9]{1,2})(?:[:.]?(?P<minute>[0-9]{2}))?(?P<half>am|pm)?$")
_MIDDAY = ("midday", "noon", "12midday", "12noon")
_MIDNIGHT = ("midnight", "12midnight")


class InvalidPreferences(ValueError):
    """One or more answers are not valid. `errors` maps each document key to its GOV.UK message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = dict(errors)


def normalise_phone(value: str, *, mobile: bool = False) -> str:
    """A UK or international phone number in E.164 (+447700900982). ValueError with the GOV.UK message.

    `mobile`: the number must be able to receive text messages.
    """
    text = (value or "").strip()
    message = str(MOBILE_FORMAT if mobile else PHONE_FORMAT)
    if not text or len(text) > 32:
        raise ValueError(message)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(message) from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not (phonenumbers.is_valid_number(number) or _DRAMA_RANGES.match(e164)):
        raise ValueError(message)
    if mobile and not can_text(e164):
        raise ValueError(str(MOBILE_FORMAT if international_sms() else UK_MOBILE_FORMAT))
    return e164


def can_text(e164: str) -> bool:
    """Whether Notify would send a text message to this number for this service: a mobile that Notify
    accepts (UK and Crown Dependencies only, unless the service may text international numbers)."""
    if not is_mobile(e164):
        return False
    try:
        recipients.validate_phone_number(e164, international=international_sms())
    except recipients.InvalidRecipient:
        return False
    return True


def is_mobile(e164: str) -> bool:
    """Whether a (normalised) number can receive text messages."""
    if _DRAMA_RANGES.match(e164):
        return e164.startswith("+447")
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def display_phone(e164: str | None) -> str:
    """+447700900982 -> 07700 900982 (UK numbers in national format, others international)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def normalise_email(value: str) -> str:
    text = (value or "").strip()
    if not text or len(text) > 320:
        raise ValueError(str(EMAIL_FORMAT))
    try:
        normalised = validate_email(text, check_deliverability=False).normalized
        # Notify is stricter than the standard (an ASCII local part, a real-looking top-level domain):
        # an address it refuses would never be told anything.
        recipients.validate_email_address(normalised)
    except (EmailNotValidError, recipients.InvalidRecipient):
        raise ValueError(str(EMAIL_FORMAT)) from None
    return normalised


def normalise_postcode(value: str) -> str:
    """A real UK postcode as Royal Mail prints it ("SW1A 1AA"): a real postcode area, and an inward code
    whose letters Royal Mail uses (Notify's rule). A forces address's "BFPO 1234" is kept as it is."""
    text = re.sub(r"\s+", " ", (value or "").strip().upper())
    bfpo = _BFPO.match(text)
    if bfpo:
        return f"BFPO {bfpo.group(1)}"
    try:
        return recipients.format_postcode(text)
    except recipients.InvalidRecipient:
        raise ValueError(str(POSTCODE_FORMAT)) from None


def parse_time(value: str) -> time:
    """A time as people type it -> time(hour, minute). ValueError if it is not a real time.

    GOV.UK asks services to let people enter times how they like, and a phone's keypad may have no ":",
    so all of these are 9:30pm: "21:30", "21.30", "2130", "9:30pm", "9.30 pm", "930pm", "9:30 p.m.".
    "9am", "0900", "900", "9" and "09" are 9am; "12pm", "midday" and "noon" are midday; "12am" and
    "midnight" are midnight. Without "am" or "pm" an hour is on the 24-hour clock: "9" is 9am and "21" is
    9pm (the check-answers page then says "9am", so anyone who meant 9pm sees it). "24:00", "25:00",
    "9:60", "13pm" and "0am" are not times.
    """
    text = re.sub(r"\s+", "", (value or "").lower()).replace("a.m.", "am").replace("p.m.", "pm")
    # Welsh: "9yb", "5:30yh" (y bore, yr hwyr), as the Welsh pages' examples write them.
    text = re.sub(r"y\.?b\.?$", "am", text) if re.search(r"\dy\.?b\.?$", text) else text
    text = re.sub(r"y\.?h\.?$", "pm", text) if re.search(r"\dy\.?h\.?$", text) else text
    text = text.removesuffix(".") if text.endswith(("am.", "pm.")) else text
    if text in _MIDDAY or text == str(_l("midday")).lower().replace(" ", ""):
        return time(12, 0)
    if text in _MIDNIGHT or text == str(_l("midnight")).lower().replace(" ", ""):
        return time(0, 0)
    match = _TIME.match(text)
    if not match:
        raise ValueError(value)
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(value)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(value)
    return time(hour, minute)


def normalise_address(lines: Any) -> list[str]:
    """Address lines, then the town, then the postcode last (as Notify's letters need): 3 to 6 lines
    (the victim's name goes above them on a letter, making at most Notify's 7), each as Notify accepts
    it (see `address_problem`)."""
    if not isinstance(lines, list | tuple) or not all(isinstance(line, str) for line in lines):
        raise ValueError(str(_l("Enter the address")))
    cleaned = [line.strip() for line in lines if line.strip()]
    if len(cleaned) < 3 or len(cleaned) > 6 or any(len(line) > MAX_TEXT for line in cleaned):
        raise ValueError(str(_l("Enter the address: the first line, the town and the postcode")))
    address = [*cleaned[:-1], normalise_postcode(cleaned[-1])]
    problem = address_problem(address)
    if problem:
        raise ValueError(problem)
    return address


def address_problem(lines: list[str]) -> str | None:
    """The GOV.UK error message for an address Notify would not post a letter to, or None.

    Notify's rules (notifications-utils `PostalAddress.valid`): no line may start with
    @ ( ) = [ ] " \\ / , < > ~; the first two lines need a letter or a digit; no "no fixed abode"; the
    last line a real UK postcode (checked first, by `normalise_postcode`).
    """
    try:
        recipients.validate_postal_address(lines, international=international_letters())
    except recipients.InvalidRecipient as error:
        return str(_address_message(error))
    return None


#: Notify's reasons for refusing an address, as GOV.UK error messages for the person entering it.
_ADDRESS_MESSAGES: dict[str, Any] = {
    recipients.BAD_FIRST_CHARACTER: _l(
        "Address lines must not start with any of these characters: %(characters)s",
        characters=" ".join(recipients.BAD_FIRST_CHARACTERS),
    ),
    recipients.NOT_A_REAL_ADDRESS: _l(
        "Enter an address where you can get post. If you do not have one, choose another way for us to "
        "contact you"
    ),
    recipients.FIRST_TWO_LINES: _l("The first 2 lines of the address must include a letter or a number"),
    recipients.TOO_MANY_LINES: _l("Enter the address: the first line, the town and the postcode"),
    recipients.TOO_FEW_LINES: _l("Enter the address: the first line, the town and the postcode"),
}


def address_messages() -> set[str]:
    """The error messages that give a reason Notify would refuse an address (in the current language)."""
    reasons = (recipients.BAD_FIRST_CHARACTER, recipients.NOT_A_REAL_ADDRESS, recipients.FIRST_TWO_LINES)
    return {str(_ADDRESS_MESSAGES[reason]) for reason in reasons} | {str(POSTCODE_FORMAT)}


def _address_message(error: recipients.InvalidRecipient) -> Any:
    return _ADDRESS_MESSAGES.get(error.message, POSTCODE_FORMAT)


def _subset(value: Any, allowed: tuple[str, ...], *, ordered: bool = False) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ValueError(str(_l("Select from the list")))
    if len(set(value)) != len(value) or not set(value) <= set(allowed):
        raise ValueError(str(_l("Select from the list")))
    return list(value) if ordered else [item for item in allowed if item in value]


def _optional_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(str(_l("Select yes or no")))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(str(_l("Select yes or no")))


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value.strip()) > MAX_TEXT:
        raise ValueError(str(_l("Enter %(n)d characters or fewer", n=MAX_TEXT)))
    return value.strip() or None


def _channel_flags(value: Any, channels: tuple[str, ...]) -> dict[str, bool]:
    if not isinstance(value, Mapping) or not set(value) <= set(channels):
        raise ValueError(str(_l("Select yes or no")))
    return {channel: _bool(flag) for channel, flag in value.items()}


def _optional(normalise: Any) -> Any:
    def check(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return normalise(value)

    return check


def _one_of(allowed: tuple[str, ...]) -> Any:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(str(_l("Select from the list")))
        return str(value)

    return check


#: What each safe time is called in its error messages, GOV.UK style (the question pages and the rules).
SAFE_TIME_MISSING = {
    "safe_from": _l("Enter the earliest time it is safe to contact you, like 9am or 21:00"),
    "safe_to": _l("Enter the latest time it is safe to contact you, like 5pm or 17:30"),
}
SAFE_TIME_INVALID = {
    "safe_from": _l("The earliest time it is safe to contact you must be a real time, like 9am or 21:00"),
    "safe_to": _l("The latest time it is safe to contact you must be a real time, like 5pm or 17:30"),
}


def normalise_safe_time(key: str, value: Any) -> str:
    """A safe time (`key` "safe_from" or "safe_to") as people type it -> "HH:MM". ValueError with the
    GOV.UK message that names the answer: nothing given, or not a real time."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(str(SAFE_TIME_MISSING[key]))
    try:
        return parse_time(value).strftime("%H:%M")
    except ValueError:
        raise ValueError(str(SAFE_TIME_INVALID[key])) from None


def _time_text(key: str) -> Any:
    def check(value: Any) -> str:
        return normalise_safe_time(key, value)

    return check


def _days(value: Any) -> list[str]:
    days = _subset(value, DAYS)
    if not days:
        raise ValueError(str(_l("Select at least one day when it is safe to contact you")))
    return days


#: How each document key is checked and normalised.
CHECKS: dict[str, Any] = {
    "channels": lambda value: _subset(value, CHANNELS, ordered=True),
    "officer_phone_only": _bool,
    "safe": lambda value: _channel_flags(value, CHANNELS),
    "detailed": lambda value: _channel_flags(value, WRITTEN_CHANNELS),
    "email": _optional(normalise_email),
    "phone": _optional(normalise_phone),
    "address": _optional(normalise_address),
    "safe_days": _days,
    "safe_from": _time_text("safe_from"),
    "safe_to": _time_text("safe_to"),
    "urgent_any_time": _bool,
    "alternative_phone": _optional(normalise_phone),
    "alternative_email": _optional(normalise_email),
    "alternative_address": _optional(normalise_address),
    "frequency": _one_of(FREQUENCIES),
    "opted_out": lambda value: _subset(value, OPT_OUT_CATEGORIES),
    "language": _one_of(LANGUAGES),
    "interpreter_needed": _bool,
    "interpreter_language": _optional_text,
    "accessibility": lambda value: _subset(value, ACCESSIBILITY),
    "advocate_name": _optional_text,
    "support_referral": _optional_bool,
    "special_measures": lambda value: _subset(value, SPECIAL_MEASURES),
    "pre_trial_visit": _optional_bool,
    "wants_vps": _optional_bool,
    "vcs_opt_in": _optional_bool,
}


def validate_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise each changed answer on its own. Raises InvalidPreferences."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        check = CHECKS.get(key)
        if check is None:
            errors[key] = "unknown preference"
            continue
        try:
            cleaned[key] = check(value)
        except ValueError as error:
            errors[key] = str(error)
    if errors:
        raise InvalidPreferences(errors)
    return cleaned


def asks_urgent_any_time(document: Mapping[str, Any]) -> bool:
    """Whether "tell me at any time about release, escape and orders that protect me" means anything:
    the victim chose a written channel and confirmed it safe (an officer's call only is not a message)."""
    if document["officer_phone_only"]:
        return False
    return any(
        document["safe"].get(channel) for channel in document["channels"] if channel in WRITTEN_CHANNELS
    )


def check_document(document: Mapping[str, Any]) -> dict[str, str]:
    """The rules across answers, on a whole document. Returns {key: message} for each broken rule."""
    errors: dict[str, str] = {}
    if document["officer_phone_only"] and list(document["channels"]) != [PHONE]:
        errors["channels"] = str(_l("A phone call from an officer only cannot be combined with other ways"))
    no_safe = not any(document["safe"].get(channel) for channel in document["channels"])
    if document["channels"] and not document["officer_phone_only"] and no_safe:
        errors["safe"] = str(NO_SAFE_CHANNEL)
    if SMS in document["channels"] and document.get("phone") and not can_text(document["phone"]):
        errors["phone"] = str(MOBILE_FORMAT if international_sms() else UK_MOBILE_FORMAT)
    for channel in document["channels"]:
        if not document.get(CHANNEL_KIND[channel]):
            errors[CHANNEL_KIND[channel]] = {
                "email": str(_l("Enter your email address")),
                "phone": str(_l("Enter your phone number")),
                "address": str(_l("Enter your address")),
            }[CHANNEL_KIND[channel]]
    if parse_time(document["safe_to"]) <= parse_time(document["safe_from"]):
        errors["safe_to"] = str(END_BEFORE_START)
    if document["interpreter_needed"] and not document.get("interpreter_language"):
        errors["interpreter_language"] = str(_l("Enter the language you need an interpreter for"))
    if "advocate" in document["accessibility"] and not document.get("advocate_name"):
        errors["advocate_name"] = str(_l("Enter the name of the person who will speak for you"))
    return errors
