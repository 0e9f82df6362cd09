"""Email addresses, phone numbers and postal addresses checked and normalised exactly as GOV.UK Notify
checks them, so that nothing we send is refused with a 400.

Used by the portal (when people enter their contact details, and again before anything is queued or sent)
and by the local Notify sandbox, which must answer as Notify would. Pure functions: no Flask, no database,
and nothing from `portal`.

The rules are Notify's (alphagov/notifications-utils `notifications_utils/recipient_validation/` and the
v2 API in alphagov/notifications-api `app/notifications/validators.py`, `app/schema_validation/`), written
afresh here. The facts they need (postcode areas, country names, the SMS country codes Notify supports) are
in `recipients_data.json`, derived from Notify's data files (see its "source").

Where Notify's rules differ from a naive reading (we follow Notify, not the naive reading):

* Phone numbers come back as Notify normalises them: E.164 digits without the "+", e.g. "447700900123"
  for "07700 900123", "33612345678" for "+33 6 12 34 56 78". A number Notify cannot parse is parsed
  again with "+" removed, leading zeros stripped and punctuation folded to ASCII, so "0+44(0)7700900100"
  and "1‑202–555—0104" are accepted. Digits that are not a possible UK number are retried as international.
* Notify's "TV number" rule (Ofcom's drama range 07700 900000-900999) is written as a character class, so
  in effect ANY possible number whose national part starts "7700" and a digit is accepted, in any country.
* UK numbers: mobiles and 070 personal numbers pass; landlines (01, 02, 03, 0550...) are "Not a UK mobile
  number"; 0800, 09 and unassigned ranges are "Number is not valid". Jersey, Guernsey and Isle of Man numbers
  are +44 and so need no international permission. With international=True, foreign landlines pass too (as
  in Notify); an unsupported country code (e.g. +247 Ascension) is refused even then.
* A country line is recognised from ~1,700 spellings and codes: "GB", "England", "Cymru", "Jersey",
  "Deutschland", and ISO codes such as "DE" or "CA" (so an address ending "CA" is in Canada).
  Trailing UK country lines are dropped; when the last line is a UK country Notify drops as many lines as
  there are UK country lines at the end, skipping non-country lines while counting (so "England / SW1A 1AA
  / UK" loses the postcode too, and is refused).
* Letters: the postcode must be a real one (real area, and the inward code's letters exclude C I K M O V),
  "GIR 0AA" is not, a country line is only allowed with international=True, and the "BFPO 123" line is
  moved after the postcode. Where Notify itself fails with a 500 (an address of BFPO lines only; a line
  holding a character whose decomposition lies outside the BMP, e.g. U+2F90D, which breaks its country
  lookup), we answer as if that character were any other: "Address must be at least 3 lines" and so on.
* `InvalidRecipient.message` is Notify's wording; `api_error`/`api_message` are what its 400 body says
  (schema errors are prefixed with the field, e.g. "phone_number Too many digits").
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import phonenumbers

__all__ = [
    "InvalidRecipient",
    "format_postcode",
    "is_real_uk_postcode",
    "validate_email_address",
    "validate_phone_number",
    "validate_postal_address",
]

_DATA = json.loads(Path(__file__).with_name("recipients_data.json").read_text(encoding="utf-8"))
UK = "United Kingdom"
_POSTCODE_AREAS: frozenset[str] = frozenset(_DATA["postcode_areas"])
_SMS_COUNTRY_CODES: frozenset[int] = frozenset(_DATA["sms_country_codes"])
_COUNTRIES: dict[str, str] = {key: name for name, keys in _DATA["countries"].items() for key in keys}

# -- Notify's wording ---------------------------------------------------------------------------------
# Notify: notifications_utils/recipient_validation/errors.py (LEGACY_V2_API_ERROR_MESSAGES) and
# notifications-api app/notifications/validators.py (validate_address, validate_and_format_recipient).
NOT_A_VALID_EMAIL = "Not a valid email address"
TOO_MANY_DIGITS = "Too many digits"
NOT_ENOUGH_DIGITS = "Not enough digits"
LETTERS_OR_SYMBOLS = "Must not contain letters or symbols"
NOT_A_VALID_COUNTRY_PREFIX = "Not a valid country prefix"
NUMBER_NOT_VALID = "Number is not valid – double check the phone number you entered"
NOT_A_UK_MOBILE = "Not a UK mobile number"
NO_INTERNATIONAL_SMS = "Cannot send to international mobile numbers"
TOO_FEW_LINES = "Address must be at least 3 lines"
TOO_MANY_LINES = "Address must be no more than 7 lines"
FIRST_TWO_LINES = "The first 2 lines of the address must both include at least one alphanumeric character"
BFPO_WITH_COUNTRY = "The last line of a BFPO address must not be a country."
NOT_A_REAL_POSTCODE = "Must be a real UK postcode"
NOT_A_POSTCODE_OR_COUNTRY = "Last line of address must be a real UK postcode or another country"
BAD_FIRST_CHARACTER = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] \u201d \\ / , < >"
)
NOT_A_REAL_ADDRESS = "Must be a real address"


class InvalidRecipient(ValueError):
    """A recipient Notify would refuse. `.message` is Notify's own wording for the v2 API error (what
    Notify would answer in its 400); `.field` is "email_address", "phone_number" or "address".

    `.api_error` and `.api_message` are the `error` and `message` of Notify's 400 body: schema errors are
    "ValidationError" with the field in front ("email_address Not a valid email address"); a landline is
    an "InvalidPhoneError", a foreign number without permission a "BadRequestError"."""

    message: str
    field: str
    api_error: str
    api_message: str

    def __init__(
        self,
        message: str,
        field: str = "",
        *,
        api_error: str = "ValidationError",
        api_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.api_error = api_error
        self.api_message = message if api_message is None else api_message


# -- Whitespace and ASCII folding (Notify: notifications_utils/formatters.py, sanitise_text.py) -----------
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff\u2028\u2029"
_NO_BREAK_SPACES = "\u00a0\u202f"
_ALL_WHITESPACE = string.whitespace + _ZERO_WIDTH + _NO_BREAK_SPACES
_DROP_OBSCURE = str.maketrans("", "", _ZERO_WIDTH + _NO_BREAK_SPACES)
_OBSCURE_TO_SPACE = str.maketrans(dict.fromkeys(_NO_BREAK_SPACES, " ") | dict.fromkeys(_ZERO_WIDTH, None))
_DROP_ALL_WHITESPACE = str.maketrans("", "", _ALL_WHITESPACE)
_PRINTABLE_ASCII = frozenset(chr(code) for code in range(32, 127))
# Notify: sanitise_text.py SanitiseText.REPLACEMENT_CHARACTERS (characters without a useful decomposition).
_ASCII_REPLACEMENTS = {
    **dict.fromkeys("\u2011\u2013\u2014\u2212", "-"),
    "\u2026": "...",
    **dict.fromkeys("\u2018\u2019\u201a", "'"),
    **dict.fromkeys("\u201c\u201d\u201e", '"'),
    **dict.fromkeys(_ZERO_WIDTH, ""),
    **dict.fromkeys(_NO_BREAK_SPACES + "\t", " "),
    "\u0141": "L",
    "\u0142": "l",
}


@lru_cache(maxsize=4096)
def _ascii_char(char: str) -> str:
    """Notify's SanitiseASCII for one character: kept if printable ASCII, else the first character of its
    canonical decomposition if that is printable ASCII (é -> e), else a known replacement, else "?"."""
    if char in _PRINTABLE_ASCII:
        return char
    decomposition = unicodedata.decomposition(char)
    if decomposition and "<" not in decomposition:
        base = chr(int(decomposition.split()[0], 16))
        return base if base in _PRINTABLE_ASCII else "?"
    return _ASCII_REPLACEMENTS.get(char, "?")


def _ascii(value: str) -> str:
    return "".join(_ascii_char(char) for char in value)


# -- Email addresses (Notify: recipient_validation/email_address.py) --------------------------------------
_EMAIL = re.compile(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)")  # ASCII local part only
_HOST_LABEL = re.compile(r"(?:xn|[a-z0-9]+)(?:--?[a-z0-9]+)*", re.IGNORECASE)
_TLD = re.compile(r"[a-z]{2,63}|xn--(?:[a-z0-9]+-)*[a-z0-9]+", re.IGNORECASE)


def validate_email_address(value: str) -> str:
    """Return the address with surrounding whitespace and any zero-width or no-break spaces removed, case
    kept (Notify lowercases only what it stores). Raise InvalidRecipient("Not a valid email address")
    unless: the local part is ASCII letters, digits and .!#$%&'*+/=?^_`{|}~- ; there is one "@"; no ".."
    anywhere; at most 320 characters; the domain (IDNA-encoded, at most 253 characters) has 2+ labels of
    letters/digits/single or double hyphens up to 63 characters; the last is 2-63 letters or punycode."""
    address = value.translate(_DROP_OBSCURE).strip(string.whitespace)
    match = _EMAIL.fullmatch(address)
    if not match or len(address) > 320 or ".." in address:
        raise _email_error()
    try:
        hostname = match.group(1).encode("idna").decode("ascii")
    except UnicodeError:
        raise _email_error() from None
    labels = hostname.split(".")
    if len(hostname) > 253 or len(labels) < 2:
        raise _email_error()
    if not all(label and len(label) <= 63 and _HOST_LABEL.fullmatch(label) for label in labels):
        raise _email_error()
    if not _TLD.fullmatch(labels[-1]):
        raise _email_error()
    return address


def _email_error() -> InvalidRecipient:
    return InvalidRecipient(
        NOT_A_VALID_EMAIL, "email_address", api_message=f"email_address {NOT_A_VALID_EMAIL}"
    )


# -- Phone numbers (Notify: recipient_validation/phone_number.py) ---------------------------------------
_PHONE_CHARACTERS = frozenset(_ALL_WHITESPACE + "()-+0123456789")
_TYPE, _RESULT = phonenumbers.PhoneNumberType, phonenumbers.ValidationResult
_LANDLINE_TYPES = frozenset({_TYPE.FIXED_LINE, _TYPE.FIXED_LINE_OR_MOBILE, _TYPE.UAN})
_ALLOWED_TYPES = _LANDLINE_TYPES | {_TYPE.MOBILE, _TYPE.PERSONAL_NUMBER}  # premium rate, freephone... are not
_UNPOSSIBLE_MESSAGES = {
    _RESULT.TOO_LONG: TOO_MANY_DIGITS,
    _RESULT.TOO_SHORT: NOT_ENOUGH_DIGITS,
    _RESULT.IS_POSSIBLE_LOCAL_ONLY: NOT_ENOUGH_DIGITS,
    _RESULT.INVALID_COUNTRY_CODE: NOT_A_VALID_COUNTRY_PREFIX,
}


def validate_phone_number(value: str, *, international: bool = False) -> str:
    """Return the number as Notify normalises it: E.164 digits without "+" ("447700900123").

    By default only UK (+44) mobile and personal numbers, including Jersey, Guernsey and the Isle of Man,
    and Ofcom's TV numbers such as 07700 900003; with international=True also numbers in every country
    Notify texts. Raise InvalidRecipient with the v2 API's wording, in Notify's order: "Must not contain
    letters or symbols", "Not enough digits", "Too many digits", "Number is not valid – double check the
    phone number you entered", "Not a valid country prefix", then "Cannot send to international mobile
    numbers" and "Not a UK mobile number" (UK landline)."""
    try:
        number = _parse_phone_number(value)
    except InvalidRecipient:
        # Notify: PhoneNumber.__init__ retries with _thoroughly_normalise_number.
        number = _parse_phone_number(_ascii(value.replace("+", "").lstrip("0")))
    if number.country_code not in _SMS_COUNTRY_CODES:
        raise _phone_error(NOT_A_VALID_COUNTRY_PREFIX)
    if not international and number.country_code != 44:
        if _is_tv_number(number):  # Notify: validators.is_international_number is False for these
            raise InvalidRecipient(NOT_A_UK_MOBILE, "phone_number", api_error="InvalidPhoneError")
        raise InvalidRecipient(NO_INTERNATIONAL_SMS, "phone_number", api_error="BadRequestError")
    if number.country_code == 44 and phonenumbers.number_type(number) in _LANDLINE_TYPES:
        raise InvalidRecipient(NOT_A_UK_MOBILE, "phone_number", api_error="InvalidPhoneError")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).removeprefix("+")


def _parse_phone_number(value: str) -> phonenumbers.PhoneNumber:
    """Notify's PhoneNumber.parse_phone_number: parse as GB, else as international if only that is possible."""
    if not set(value) <= _PHONE_CHARACTERS:
        raise _phone_error(LETTERS_OR_SYMBOLS)
    if not value:
        raise _phone_error(NOT_ENOUGH_DIGITS)
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise _phone_error(NUMBER_NOT_VALID) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != _RESULT.IS_POSSIBLE:
        forced = _as_international(value)
        if forced is None:
            raise _phone_error(_UNPOSSIBLE_MESSAGES.get(reason, NUMBER_NOT_VALID))
        number = forced
    valid = phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _ALLOWED_TYPES
    if not valid and not _is_tv_number(number):
        raise _phone_error(NUMBER_NOT_VALID)
    return number


def _as_international(value: str) -> phonenumbers.PhoneNumber | None:
    """The digits read as an international number (spreadsheets drop the "+"), if that is possible."""
    try:
        number = phonenumbers.parse(f"+{value}")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def _is_tv_number(number: phonenumbers.PhoneNumber) -> bool:
    # Notify: PhoneNumber._is_tv_number matches "7700[900000-900999]", a character class that includes the
    # range 0-9: any national number starting 7700 and one more digit, whatever the country code.
    national = str(number.national_number)
    return len(national) > 4 and national.startswith("7700")


def _phone_error(message: str) -> InvalidRecipient:
    return InvalidRecipient(message, "phone_number", api_message=f"phone_number {message}")


# -- Postcodes (Notify: recipient_validation/postal_address.py) -----------------------------------------
# Outward code: a real area, a district digit and maybe a digit or letter; inward code: a digit and two
# letters other than C I K M O V. Matching the area as the whole letter prefix is the same as Notify's
# alternation of zones, since every zone is letters and is followed by a digit.
_POSTCODE = re.compile(r"([A-Z]{1,3})[0-9][0-9A-Z]?[0-9][ABD-HJLNP-UW-Z]{2}")


def _compact_postcode(value: str) -> str:
    return value.translate(_DROP_ALL_WHITESPACE).upper()


def is_real_uk_postcode(value: str) -> bool:
    """True for a real UK postcode in any case and spacing ("sw1a1aa", " SW1A  1AA "), including BFPO
    postcodes (BF1 1AA); False for "BFPO 123", "GIR 0AA", Gibraltar's GX11 1AA and made-up areas."""
    match = _POSTCODE.fullmatch(_compact_postcode(value))
    return match is not None and match.group(1) in _POSTCODE_AREAS


def format_postcode(value: str) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'. Raise InvalidRecipient("Must be a real UK postcode") if it is not real."""
    if not is_real_uk_postcode(value):
        raise InvalidRecipient(NOT_A_REAL_POSTCODE, "address")
    compact = _compact_postcode(value)
    return f"{compact[:-3]} {compact[-3:]}"


def _postcode_or_none(value: str) -> str | None:
    return format_postcode(value) if is_real_uk_postcode(value) else None


# -- Countries (Notify: notifications_utils/countries/__init__.py) ---------------------------------------
_COUNTRY_NAME_IGNORED = frozenset(" _-'\u2019,.()")


def _country(line: str) -> str | None:
    """The canonical country name for an address line, or None if it is not a country Notify knows."""
    if any(char.isdigit() for char in line):
        return None  # Notify: a line with a digit is never a country (it is probably a postcode).
    spaced = line.replace("&", "and").replace("+", "and")
    key = "".join(char.lower() for char in spaced if char not in _COUNTRY_NAME_IGNORED)
    folded = _ascii(key)
    if "?" not in folded:
        key = folded
    for prefix in ("", "the", "yr", "y"):  # Notify also tries "the {name}", "yr {name}", "y {name}".
        if (name := _COUNTRIES.get(prefix + key)) is not None:
            return name
    return None


# -- Postal addresses (Notify: recipient_validation/postal_address.py, api validators.validate_address) ----
MIN_LINES, MAX_LINES = 3, 7
#: No address line may start with one of these (PostalAddress.INVALID_CHARACTERS_AT_START_OF_ADDRESS_LINE).
BAD_FIRST_CHARACTERS = '@()=[]"\\/,<>~'
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[,.])")
_BFPO_LINE = re.compile(r"\s*bfpo\s*(?:c/o)?(?:\s*(\d+))?\s*")
_NO_FIXED_ABODE = re.compile(r"no fixed (abode|address)", re.IGNORECASE)


def validate_postal_address(lines: Sequence[str], *, international: bool = False) -> list[str]:
    """Return the address lines as Notify would print them, or raise InvalidRecipient with the first problem
    Notify's v2 API reports, in its order (see the module's docstring and the messages above).

    Lines are split on newlines, whitespace is collapsed, trailing " ," and spaces before "," and "." are
    removed, and empty lines dropped; then "BFPO 123" lines are taken out and a last line naming a country
    is replaced by its canonical name (UK country lines are dropped). The result ends with the formatted
    postcode; for BFPO addresses with the postcode (if any) then "BFPO 123"; abroad, with the country.
    A plain string is taken as the whole address, one line per line of text."""
    # Notify normalises what we send once more: what we return must be accepted, and stay as it is, then.
    once = _normalised(lines, international)
    return _normalised(once, international)


def _normalised(lines: Sequence[str] | str, international: bool) -> list[str]:
    """One pass of Notify's normalising and checks (PostalAddress, then validate_address)."""
    raw = lines if isinstance(lines, str) else "\n".join(line or "" for line in lines)
    cleaned = []
    for line in raw.splitlines():
        line = " ".join(line.translate(_OBSCURE_TO_SPACE).split()).rstrip(" ,")
        if line:
            cleaned.append(_SPACE_BEFORE_PUNCTUATION.sub("", line))
    bfpo, body = _extract_bfpo(cleaned or [""])
    if not body:  # only BFPO lines: Notify fails with a 500 here
        raise InvalidRecipient(TOO_FEW_LINES, "address")
    country = _country(body[-1])
    if country is None:
        country = UK
    else:
        body = body[: -(_count_trailing_uk_lines(body) or 1)]
    abroad = country != UK
    postcode = None if abroad or not body else _postcode_or_none(body[-1])
    tail = [f"BFPO {bfpo}"] if bfpo is not None else []
    if abroad:
        normalised = [*body, *tail, country]
    elif postcode:
        normalised = [*body[:-1], postcode, *tail]
    else:
        normalised = [*body, *tail]
    _check_address(normalised, bfpo is not None, abroad, postcode, international)
    return normalised


def _extract_bfpo(lines: list[str]) -> tuple[int | None, list[str]]:
    """The first BFPO number and the lines without any BFPO line ("BFPO", "BFPO 1", "bfpo c/o 1"), if a
    numbered BFPO line is there; otherwise (None, the lines unchanged)."""
    matches = [_BFPO_LINE.fullmatch(line.lower()) for line in lines]
    numbers = [int(match.group(1)) for match in matches if match and match.group(1)]
    if not numbers:
        return None, lines
    return numbers[0], [line for line, match in zip(lines, matches, strict=True) if not match]


def _count_trailing_uk_lines(lines: list[str]) -> int:
    """Notify: PostalAddress.trailing_uk_countries. Lines naming the UK, counted from the bottom up to the
    first other country; lines that are not countries are skipped, not a stop."""
    count = 0
    for line in reversed(lines):
        name = _country(line)
        if name is None:
            continue
        if name != UK:
            break
        count += 1
    return count


def _check_address(
    lines: list[str], is_bfpo: bool, abroad: bool, postcode: str | None, international: bool
) -> None:
    """Notify's validate_address, in its order."""
    count = len("\n".join(lines).splitlines())
    if count < MIN_LINES:
        raise InvalidRecipient(TOO_FEW_LINES, "address")
    if count > MAX_LINES:
        raise InvalidRecipient(TOO_MANY_LINES, "address")
    if not all(re.search(r"[a-zA-Z0-9]", line) for line in lines[:2]):
        raise InvalidRecipient(FIRST_TWO_LINES, "address")
    if is_bfpo and abroad:
        raise InvalidRecipient(BFPO_WITH_COUNTRY, "address")
    if not ((international and abroad) or postcode or is_bfpo):
        raise InvalidRecipient(NOT_A_POSTCODE_OR_COUNTRY if international else NOT_A_REAL_POSTCODE, "address")
    if any(line.startswith(tuple(BAD_FIRST_CHARACTERS)) for line in lines):
        raise InvalidRecipient(BAD_FIRST_CHARACTER, "address")
    if any(line.lower() == "nfa" for line in lines) or _NO_FIXED_ABODE.search("\n".join(lines)):
        raise InvalidRecipient(NOT_A_REAL_ADDRESS, "address")
