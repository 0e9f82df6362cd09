"""Recipients are checked as GOV.UK Notify checks them (notifications/recipients.py).

The cases are Notify's own: alphagov/notifications-utils tests/recipient_validation/test_*.py and the v2
API's tests (tests/app/v2/notifications/test_post_letter_notifications.py, test_notification_schemas.py,
tests/app/notifications/test_validators.py), with the answer Notify's v2 API gives for each. No database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications import recipients
from notifications.recipients import (
    InvalidRecipient,
    format_postcode,
    is_real_uk_postcode,
    validate_email_address,
    validate_phone_number,
    validate_postal_address,
)

NOT_VALID = "Number is not valid – double check the phone number you entered"
BAD_START = "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
FIRST_TWO = "The first 2 lines of the address must both include at least one alphanumeric character"
NOT_A_POSTCODE_OR_COUNTRY = "Last line of address must be a real UK postcode or another country"


def _refusal(call, *args, **kwargs) -> InvalidRecipient:
    with pytest.raises(InvalidRecipient) as caught:
        call(*args, **kwargs)
    return caught.value


# -- Email addresses ----------------------------------------------------------------------------------

VALID_EMAILS = [
    "email@domain.com",
    "email@domain.COM",
    "firstname.lastname@domain.com",
    "firstname.o'lastname@domain.com",
    "email@subdomain.domain.com",
    "firstname+lastname@domain.com",
    "1234567890@domain.com",
    "email@domain-one.com",
    "_______@domain.com",
    "email@domain.name",
    "email@domain.superlongtld",
    "email@domain.co.jp",
    "firstname-lastname@domain.com",
    "info@german-financial-services.vermögensberatung",  # IDNA top-level domain
    "info@german-financial-services.reallylongarbitrarytldthatiswaytoohugejustincase",
    "japanese-info@例え.テスト",  # IDNA domain
    "email@double--hyphen.com",
    "Victim.Name@Example.GOV.UK",  # case is kept
]

INVALID_EMAILS = [
    "email@123.123.123.123",  # numeric "TLD"
    "email@[123.123.123.123]",
    "plainaddress",
    "@no-local-part.com",
    "Outlook Contact <outlook-contact@domain.com>",
    "no-at.domain.com",
    "no-tld@domain",
    ";beginning-semicolon@domain.co.uk",
    "middle-semicolon@domain.co;uk",
    "trailing-semicolon@domain.com;",
    '"email+leading-quotes@domain.com',
    'email+middle"-quotes@domain.com',
    '"quoted-local-part"@domain.com',
    '"quoted@domain.com"',
    "lots-of-dots@domain..gov..uk",
    "two-dots..in-local@domain.com",
    "multiple@domains@domain.com",
    "spaces in local@domain.com",
    "spaces-in-domain@dom ain.com",
    "underscores-in-domain@dom_ain.com",
    "pipe-in-domain@example.com|gov.uk",
    "comma,in-local@gov.uk",
    "comma-in-domain@domain,gov.uk",
    "pound-sign-in-local£@domain.com",
    "local-with-’-apostrophe@domain.com",
    "local-with-”-quotes@domain.com",
    "domain-starts-with-a-dot@.domain.com",
    "brackets(in)local@domain.com",
    f"email-too-long-{'a' * 320}@example.com",
    "incorrect-punycode@xn---something.com",
    "josé@example.com",  # unicode local part
    "用户@例子.广告",
    "email@domain.c",  # one-letter TLD
    "email@domain.co1",  # digit in TLD
    "email@domain.com.",  # empty last label
    "email@-domain.com",
    f"email@{'a' * 64}.com",  # label over 63 characters
    "",
    "   ",
]


@pytest.mark.parametrize("address", VALID_EMAILS)
def test_valid_email_addresses_are_returned_unchanged(address: str) -> None:
    assert validate_email_address(address) == address


@pytest.mark.parametrize(
    "address",
    [" email@domain.com ", "\temail@domain.com", "\temail@domain.com\n", "\u200bemail@domain.com\u200b"],
)
def test_email_whitespace_is_removed_as_notify_removes_it(address: str) -> None:
    assert validate_email_address(address) == "email@domain.com"


def test_obscure_whitespace_inside_an_email_address_is_removed() -> None:
    assert validate_email_address("ema\u00a0il@dom\u200bain.com") == "email@domain.com"


@pytest.mark.parametrize("address", INVALID_EMAILS)
def test_invalid_email_addresses_are_refused_in_notifys_words(address: str) -> None:
    error = _refusal(validate_email_address, address)
    assert error.message == str(error) == "Not a valid email address"
    assert error.field == "email_address"
    assert (error.api_error, error.api_message) == (
        "ValidationError",
        "email_address Not a valid email address",
    )
    assert isinstance(error, ValueError)


# -- Phone numbers ------------------------------------------------------------------------------------

UK_MOBILES = [
    "7723456789",
    "07723456789",
    "07723 456789",
    "07723-456-789",
    "00447723456789",
    "00 44 7723456789",
    "+447723456789",
    "+44 7723 456 789",
    "+44 (0)7723 456 789",
    "\u200b\t\t+44 (0)7723 456 789\ufeff \r\n",
]

# Notify's test_validate_normalised_succeeds, test_tv_number_passes and Crown Dependency numbers.
NORMALISED_UK = [
    ("+07044123456", "447044123456"),  # 070 personal numbers count as mobiles
    ("0+44(0)7779123456", "447779123456"),
    ("0+447988123456", "447988123456"),
    ("00447911123456", "447911123456"),
    ("04407379123456", "447379123456"),
    ("0447300123456", "447300123456"),
    ("000007392123456", "447392123456"),
    ("0007465123456", "447465123456"),
    ("007341123456", "447341123456"),
    ("07700900010", "447700900010"),
    ("447700900020", "447700900020"),
    ("+447700900030", "447700900030"),
    ("07700 900 003", "447700900003"),  # Notify's sandbox "temporary failure" number
    ("07700123456", "447700123456"),
    ("07700523456", "447700523456"),  # not a valid number, but "7700" + a digit is a "TV number" to Notify
    ("+447797292290", "447797292290"),  # Jersey
    ("+447797333214", "447797333214"),  # Jersey
    ("07797800123", "447797800123"),  # Jersey
    ("07781123456", "447781123456"),  # Guernsey
    ("07624123456", "447624123456"),  # Isle of Man
]

INTERNATIONAL = [
    ("+7 (8) (495) 123-45-67", "74951234567"),  # Russia
    ("007 (8) (495) 123-45-67", "74951234567"),
    ("784951234567", "74951234567"),  # Russia without + or 00
    ("77234567890", "77234567890"),
    ("1-202-555-0104", "12025550104"),  # USA
    ("1‑202–555—010−4", "12025550104"),  # non-breaking hyphen, en dash, em dash, minus sign
    ("+12025550104", "12025550104"),
    ("0012025550104", "12025550104"),
    ("+0012025550104", "12025550104"),
    ("+14158961600", "14158961600"),
    ("230 5 2512345", "23052512345"),  # Mauritius
    ("+682 50 123", "68250123"),  # Cook Islands
    ("+33122334455", "33122334455"),  # France (a landline: Notify accepts foreign landlines)
    ("0033122334455", "33122334455"),
    ("+3225484211", "3225484211"),  # Belgium
    ("+43 676 111 222 333 4", "436761112223334"),  # Austria, 13 digits
    ("20-12-1234-1234", "201212341234"),  # Egypt
    ("16644913789", "16644913789"),  # Montserrat
    ("+04915161123456", "4915161123456"),  # Germany
]

TOO_LONG = [
    "772345678910",
    "0772345678910",
    "0044772345678910",
    "+44 (0)7723 456 789 10",
    "80100000000",
    "+12345 12345 12345 6",
    "(07417)4123456",
    "+0065951123456",
    "0038097123456",
    "00407833123456",
    "005915209123456",
    "009677337123456",
    "047354123456",
]

INVALID_NUMBERS = [
    "0772345678",
    "004477234567",
    "00447723456",
    "+44 (0)7723 456 78",
    "1234567",
    "+682 1234",
    "0400 123 4567",  # not in use
    "0600 123 4567",
    "0300 46 46",
    "0800 11 12",
    "0845 46 31",
    "0845 46 46",
    "0900 123 4567",  # premium rate
    "0800 123 4567",  # freephone
    "(06)25123456",
    "00129123456",
    "003570123456",
    "0041903123456",
    "00617584123456",
    "0064 495123456",
    "00667123456",
    "0092363123456",
    "0049 160 123456",
    "0033877123456",
]

LETTERS_OR_SYMBOLS = [
    "07890x32109",
    "07723 456789...",
    "07723 ☟☜⬇⬆☞☝",
    "07723☟☜⬇⬆☞☝",
    '07";DROP TABLE;"',
    "+44 07ab cde fgh",
    "ALPHANUM3R1C",
    "abcd",
    "079OO900123",
    "０７７００９００１２３",  # full-width digits
]

NOT_ENOUGH_DIGITS = ["", "+", "12345", "+12345", "1-2-3-4-5", "077009"]

UK_LANDLINES = [
    "0117 496 0860",
    "0044 117 496 0860",
    "44 117 496 0860",
    "+44 117 496 0860",
    "016064 1234",
    "020 7946 0991",
    "030 1234 5678",  # non-geographic
    "0550 123 4567",  # corporate numbering and VoIP
    "001708123456",  # could be American; Notify takes it as a UK landline
    "+01158123456",
    "+03332123456",
    "+441534123456",  # Jersey landline
]


@pytest.mark.parametrize("international", [False, True])
@pytest.mark.parametrize("number", UK_MOBILES)
def test_uk_mobiles_are_normalised_as_notify_normalises_them(number: str, international: bool) -> None:
    assert validate_phone_number(number, international=international) == "447723456789"


@pytest.mark.parametrize("international", [False, True])
@pytest.mark.parametrize(("number", "normalised"), NORMALISED_UK)
def test_uk_numbers_including_crown_dependencies_need_no_permission(
    number: str, normalised: str, international: bool
) -> None:
    assert validate_phone_number(number, international=international) == normalised


def test_every_notify_tv_number_is_accepted() -> None:
    for last in range(1000):
        assert validate_phone_number(f"07700900{last:03}") == f"447700900{last:03}"


@pytest.mark.parametrize(("number", "normalised"), INTERNATIONAL)
def test_international_numbers_need_the_international_permission(number: str, normalised: str) -> None:
    assert validate_phone_number(number, international=True) == normalised
    error = _refusal(validate_phone_number, number)
    assert error.message == error.api_message == "Cannot send to international mobile numbers"
    assert (error.field, error.api_error) == ("phone_number", "BadRequestError")


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (TOO_LONG, "Too many digits"),
        (INVALID_NUMBERS, NOT_VALID),
        (LETTERS_OR_SYMBOLS, "Must not contain letters or symbols"),
        (NOT_ENOUGH_DIGITS, "Not enough digits"),
        (
            ["24741111", "+247 4111 1", "+850 2 381 2321", "+688 20123", "+290 22158"],
            "Not a valid country prefix",
        ),
    ],
    ids=["too-long", "not-valid", "letters-or-symbols", "not-enough-digits", "country-prefix"],
)
@pytest.mark.parametrize("international", [False, True])
def test_impossible_numbers_are_refused_in_the_v2_api_words(
    numbers: list[str], message: str, international: bool
) -> None:
    for number in numbers:
        error = _refusal(validate_phone_number, number, international=international)
        assert (number, error.message) == (number, message)
        assert (error.field, error.api_error, error.api_message) == (
            "phone_number",
            "ValidationError",
            f"phone_number {message}",
        )


@pytest.mark.parametrize("international", [False, True])
@pytest.mark.parametrize("number", UK_LANDLINES)
def test_uk_landlines_are_not_uk_mobiles(number: str, international: bool) -> None:
    error = _refusal(validate_phone_number, number, international=international)
    assert error.message == error.api_message == "Not a UK mobile number"
    assert (error.field, error.api_error) == ("phone_number", "InvalidPhoneError")


@pytest.mark.parametrize(
    ("number", "normalised"), [("+1 770 012 3456", "17700123456"), ("+33 7700 12345", "33770012345")]
)
def test_notifys_tv_number_rule_reaches_other_countries(number: str, normalised: str) -> None:
    """Invalid numbers whose national part starts "7700" pass as "TV numbers" in any country; without the
    international permission Notify calls them "Not a UK mobile number", not "Cannot send to international"."""
    assert validate_phone_number(number, international=True) == normalised
    error = _refusal(validate_phone_number, number)
    assert (error.message, error.api_error) == ("Not a UK mobile number", "InvalidPhoneError")


@given(st.text(st.sampled_from("0123456789+()- \u00a0\u200b–x"), max_size=20), st.booleans())
def test_phone_numbers_are_refused_or_normalised_to_a_fixed_point(value: str, international: bool) -> None:
    try:
        normalised = validate_phone_number(value, international=international)
    except InvalidRecipient as error:
        assert error.field == "phone_number"
        return
    assert normalised.isdigit()
    assert validate_phone_number(f"+{normalised}", international=international) == normalised
    assert validate_phone_number(normalised, international=True) == normalised


@given(
    st.integers(min_value=0, max_value=999_999_999), st.sampled_from(["07{}", "+44 7{}", "00447{}", "447{}"])
)
def test_uk_mobile_shapes_agree(digits: int, shape: str) -> None:
    """However a UK 07 number is written, it is accepted or refused the same way, and normalised alike."""
    outcomes = set()
    for written in (f"07{digits:09}", shape.format(f"{digits:09}")):
        try:
            outcomes.add(validate_phone_number(written))
        except InvalidRecipient as error:
            outcomes.add(error.message)
    assert len(outcomes) == 1


# -- Postcodes ----------------------------------------------------------------------------------------

REAL_POSTCODES = [
    ("SW1 3EF", "SW1 3EF"),
    ("SW13EF", "SW1 3EF"),
    ("SE1 63EF", "SE16 3EF"),
    ("N5 1AA", "N5 1AA"),
    ("SO14 6WB", "SO14 6WB"),
    ("so14 6wb", "SO14 6WB"),
    ("so14\u00a06wb", "SO14 6WB"),
    ("n5 \u00a0 \t 3Ef", "N5 3EF"),
    ("N53EF   ", "N5 3EF"),
    ("BF1 3AA", "BF1 3AA"),  # BFPO postcodes are real postcodes
    (" BF2 0FR ", "BF2 0FR"),
    ("sw1a1aa", "SW1A 1AA"),
    ("EC1A 1BB", "EC1A 1BB"),
    ("JE2 3AB", "JE2 3AB"),  # Jersey
    ("GY1 1AA", "GY1 1AA"),  # Guernsey
    ("IM1 1AA", "IM1 1AA"),  # Isle of Man
    ("BT1 1AA", "BT1 1AA"),
]

NOT_POSTCODES = [
    "N5",
    "SO144 6WB",
    "SO14 6WBA",
    "NF1 1AA",  # no such area
    "",
    "Bad postcode",
    "BFPO1234",
    "BFPO C/O 1234",
    "BFPO 1234",
    "BFPO1",
    "BFPO",
    "BFPO12345",
    "GIR0AA",  # Girobank's is deprecated
    "GX111AA",  # Gibraltar is in Europe's postal zone
    "SW1A 1CA",  # inward code letters exclude C I K M O V
    "SW1A 1AI",
    "SW1A 1KA",
    "SW1A 1AM",
    "SW1A 1OA",
    "SW1A 1AV",
    "QQ1 1AA",
]


@pytest.mark.parametrize(("postcode", "formatted"), REAL_POSTCODES)
def test_real_postcodes_are_formatted_for_royal_mail(postcode: str, formatted: str) -> None:
    assert is_real_uk_postcode(postcode)
    assert format_postcode(postcode) == formatted


@pytest.mark.parametrize("postcode", NOT_POSTCODES)
def test_unreal_postcodes_are_refused(postcode: str) -> None:
    assert not is_real_uk_postcode(postcode)
    error = _refusal(format_postcode, postcode)
    assert (error.message, error.field) == ("Must be a real UK postcode", "address")


def test_every_postcode_area_in_notifys_list_is_real() -> None:
    data = json.loads(Path(recipients.__file__).with_name("recipients_data.json").read_text(encoding="utf-8"))
    areas = data["postcode_areas"]
    assert {"SW", "E", "BF", "JE", "GY", "IM", "ZE"} <= set(areas)
    for area in areas:
        assert is_real_uk_postcode(f"{area}1 1AA")
    assert not is_real_uk_postcode("XX1 1AA")


# -- Postal addresses ---------------------------------------------------------------------------------

VALID_ADDRESSES = [
    # (lines, international, normalised)
    (
        ["123 Example    St  .", "City    of Town", "", "S W1 A 1 AA"],
        False,
        ["123 Example St.", "City of Town", "SW1A 1AA"],
    ),
    (
        ["123 Example St. \t  ,    ", ", , ,  ,   ,     ,        ,", "City of Town, Region,", "SW1A 1AA,,"],
        False,
        ["123 Example St.", "City of Town, Region", "SW1A 1AA"],
    ),
    (["Senedd Cymru", "Cardiff", "CF99 1SN", "Cymru", "UK"], False, ["Senedd Cymru", "Cardiff", "CF99 1SN"]),
    (
        ["123 Example Street", "City of Town", "EH1 1TG", "Scotland", "United Kingdom"],
        False,
        ["123 Example Street", "City of Town", "EH1 1TG"],
    ),
    (["A", "B", "SW1A 1AA", "GB"], False, ["A", "B", "SW1A 1AA"]),
    (["A", "B", "JE2 3AB", "Jersey"], False, ["A", "B", "JE2 3AB"]),
    (["UK address", "Service can’t send internationally", "SW1A 1AA"], False, None),
    (["UK address", "Service can send internationally", "SW1A 1AA"], True, None),
    (
        ["123 Example Street", "NFA NFA2024", "SW1 A 1 AA"],
        False,
        ["123 Example Street", "NFA NFA2024", "SW1A 1AA"],
    ),
    (["Mr X", "Line one\nLine two", "sw1a1aa"], False, ["Mr X", "Line one", "Line two", "SW1A 1AA"]),
    (["1", "2", "3", "4", "5", "6", "SW1A 1AA"], False, None),  # seven lines
    # BFPO: the postcode moves before the BFPO number; blank "BFPO" lines go.
    (["Mx One", "BFPO", "BFPO 123", "BF1 1AA"], False, ["Mx One", "BF1 1AA", "BFPO 123"]),
    (["Mx One", "BFPO", "BF1 1AA", "BFPO 123"], False, ["Mx One", "BF1 1AA", "BFPO 123"]),
    (["Mx One", "Unit 1", "BFPO", "BFPO 123"], False, ["Mx One", "Unit 1", "BFPO 123"]),
    (["Mr X", "Unit 1", "bfpo", "bf11aa", "bfpo1"], False, ["Mr X", "Unit 1", "BF1 1AA", "BFPO 1"]),
    (
        ["Mr X", "Unit 5", "BFPO C/O 5432", "London", "BF1 1AA"],
        False,
        ["Mr X", "Unit 5", "London", "BF1 1AA", "BFPO 5432"],
    ),
    (["Mr X", "Unit 5", "BFPOC/O1"], True, ["Mr X", "Unit 5", "BFPO 1"]),
    # International letters: the country's canonical name last.
    (["Overseas address", "Service can send internationally", "Guinea-Bissau"], True, None),
    (["A", "B", "Chad"], True, None),
    (["123  Example Straße", "Berlin", "Deutschland"], True, ["123 Example Straße", "Berlin", "Germany"]),
    (["1 Rue Example", "Abidjan", "Côte d’Ivoire"], True, ["1 Rue Example", "Abidjan", "Ivory Coast"]),
    (["A", "B", "the gambia"], True, ["A", "B", "The Gambia"]),
    (["A", "B", "usa"], True, ["A", "B", "United States"]),
    (["A", "B", "CA"], True, ["A", "B", "Canada"]),  # ISO codes are countries too
    (["A", "B", "Ελλάς"], True, ["A", "B", "Greece"]),
    (["A", "B", "SW1A 1AA", "France"], True, ["A", "B", "SW1A 1AA", "France"]),
]


@pytest.mark.parametrize(("lines", "international", "normalised"), VALID_ADDRESSES)
def test_valid_addresses_are_normalised_as_notify_prints_them(
    lines: list[str], international: bool, normalised: list[str] | None
) -> None:
    expected = normalised if normalised is not None else lines
    assert validate_postal_address(lines, international=international) == expected
    assert validate_postal_address("\n".join(lines), international=international) == expected
    # what we return is what Notify would print, and Notify would take it unchanged
    assert validate_postal_address(expected, international=international) == expected


INVALID_ADDRESSES = [
    # (lines, message without the international permission, message with it)
    ([], "Address must be at least 3 lines", None),
    (["", "", ""], "Address must be at least 3 lines", None),
    (["Address too short", "2"], "Address must be at least 3 lines", None),
    (["Too short, valid postcode", "SW1A 1AA"], "Address must be at least 3 lines", None),
    (["Too short, valid country", "Bhutan"], "Address must be at least 3 lines", None),
    (["123 Example Street", "City of Town", "United Kingdom"], "Address must be at least 3 lines", None),
    (
        ["123 Example Street", "City of Town", "Scotland", "United Kingdom"],
        "Address must be at least 3 lines",
        None,
    ),
    (["A", "B", "Jersey"], "Address must be at least 3 lines", None),
    (["Northern Ireland", "United Kingdom"], "Address must be at least 3 lines", None),
    (["", "", "GBR", "", ""], "Address must be at least 3 lines", None),
    # UK country lines are counted from the bottom, skipping other lines: the postcode goes too.
    (["A", "England", "SW1A 1AA", "UK"], "Address must be at least 3 lines", None),
    (["A", "B", "England", "SW1A 1AA", "UK"], "Must be a real UK postcode", NOT_A_POSTCODE_OR_COUNTRY),
    (["BFPO 123"], "Address must be at least 3 lines", None),  # Notify itself fails with a 500 here
    (
        ["Overly long address", "2", "3", "4", "5", "6", "7", "8"],
        "Address must be no more than 7 lines",
        None,
    ),
    (["1", "2", "3", "4", "5", "6", "7", "SW1A 1AA"], "Address must be no more than 7 lines", None),
    (
        ["Too long, valid country", "2", "3", "4", "5", "6", "7", "Bhutan"],
        "Address must be no more than 7 lines",
        None,
    ),
    (["--", "Buckingham Palace", "SW1A 1AA"], FIRST_TWO, None),
    (["Mr Recipient", "..", "SW1A 1AA"], FIRST_TWO, None),
    (["!!!", "123 Example Street", "SW1A 1AA"], FIRST_TWO, None),
    (["Mr. Recipient", "???", "SW1A 1AA"], FIRST_TWO, None),
    (["日本", "1 High Street", "SW1A 1AA"], FIRST_TWO, None),  # ASCII letters or digits only
    (
        ["International BFPO", "BFPO 1", "BF1 1AA", "France"],
        "The last line of a BFPO address must not be a country.",
        None,
    ),
    (
        ["International BFPO", "BFPO 1", "BF1 1AA", "usa"],
        "The last line of a BFPO address must not be a country.",
        None,
    ),
    (
        ["Her Royal Highness Queen Elizabeth II", "Buckingham Palace", "London", "not a real postcode"],
        "Must be a real UK postcode",
        NOT_A_POSTCODE_OR_COUNTRY,
    ),
    (
        ["No postcode or country", "Service can’t send internationally", "3"],
        "Must be a real UK postcode",
        NOT_A_POSTCODE_OR_COUNTRY,
    ),
    (
        ["Overseas address", "Service can’t send internationally", "Guinea-Bissau"],
        "Must be a real UK postcode",
        "ok",
    ),
    (
        ["Postcode and country", "Service can’t send internationally", "SW1 1AA", "France"],
        "Must be a real UK postcode",
        "ok",
    ),
    (["A", "B", "SW1A 1CA"], "Must be a real UK postcode", NOT_A_POSTCODE_OR_COUNTRY),
    (["A", "B", "GIR 0AA"], "Must be a real UK postcode", NOT_A_POSTCODE_OR_COUNTRY),
    (["A", "B", "BFPO"], "Must be a real UK postcode", NOT_A_POSTCODE_OR_COUNTRY),
    (["Her Royal Highness Queen Elizabeth II", "]Buckingham Palace", "SW1A 1AA"], BAD_START, None),
    # the last line is checked before first characters: "]S W1 A 1 AA" is not a postcode
    (
        ["[123 Example Street", "(ity of Town", "]S W1 A 1 AA"],
        "Must be a real UK postcode",
        NOT_A_POSTCODE_OR_COUNTRY,
    ),
    (["[123 Example Street", "(ity of Town", "S W1 A 1 AA"], BAD_START, None),
    (["~123 Example Street", "City of Town", "SW1 A 1 AA"], BAD_START, None),
    (["Valid", "Except", "[For one character", "Bhutan"], "Must be a real UK postcode", BAD_START),
    *[([f"{c}Name", "1 Street", "SW1A 1AA"], BAD_START, None) for c in '@()=[]"\\/,<>~'],
    (["A Person", "1 Street", "<b>London</b>", "SW1A 1AA"], BAD_START, None),
    (["No fixed abode", "Buckingham Palace", "SW1A 1AA"], "Must be a real address", None),
    (["User with no Fixed Address,", "London", "SW1 A 1 AA"], "Must be a real address", None),
    (["A Person", "NFA", "SW1A 1AA"], "Must be a real address", None),
    (["A Person", "NFA,", "SW1A 1AA"], "Must be a real address", None),
    (["A Person", "no  fixed   Abode", "SW1A 1AA"], "Must be a real address", None),
    (["A Person", "NO FIXED ADDRESS", "SW1A 1AA"], "Must be a real address", None),
    (["nfa", "Berlin", "Deutschland"], "Must be a real UK postcode", "Must be a real address"),
    (["House", "No fixed abode", "France"], "Must be a real UK postcode", "Must be a real address"),
]


@pytest.mark.parametrize(("lines", "message", "international_message"), INVALID_ADDRESSES)
def test_invalid_addresses_get_the_first_message_notify_would_give(
    lines: list[str], message: str, international_message: str | None
) -> None:
    error = _refusal(validate_postal_address, lines)
    assert error.message == error.api_message == message
    assert (error.field, error.api_error) == ("address", "ValidationError")
    international_message = international_message or message
    if international_message == "ok":
        assert validate_postal_address(lines, international=True)
    else:
        assert _refusal(validate_postal_address, lines, international=True).message == international_message


# -- Properties ---------------------------------------------------------------------------------------

_AREAS = sorted(
    json.loads(Path(recipients.__file__).with_name("recipients_data.json").read_text(encoding="utf-8"))[
        "postcode_areas"
    ]
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_WORD = st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(st.sampled_from(_ALNUM + "'-&/"), max_size=7))


@st.composite
def uk_postcodes(draw: st.DrawFn) -> tuple[str, str]:
    """A real postcode written any old way, and how Royal Mail wants it."""
    area = draw(st.sampled_from([area for area in _AREAS if area != "GIR"]))
    district = str(draw(st.integers(0, 99))) if len(area) < 3 else str(draw(st.integers(0, 9)))
    if draw(st.booleans()) and len(district) == 1:
        district += draw(st.sampled_from("ABCDEFGHJKPSTUW"))
    inward = f"{draw(st.integers(0, 9))}{draw(st.sampled_from(_INWARD_LETTERS))}{draw(st.sampled_from(_INWARD_LETTERS))}"
    spacing = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    written = f"{area}{district}{spacing}{inward}"
    return (written.lower() if draw(st.booleans()) else written), f"{area}{district} {inward}"


@st.composite
def address_lines(draw: st.DrawFn) -> tuple[str, str]:
    """An address line with untidy spacing, and the tidy line Notify prints."""
    words = draw(st.lists(_WORD, min_size=1, max_size=5))
    gaps = draw(
        st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0"]), min_size=len(words), max_size=len(words))
    )
    written = "".join(word + gap for word, gap in zip(words, gaps, strict=True)).strip(" \t\u00a0")
    return f"  {written},", " ".join(words)


@given(st.lists(address_lines(), min_size=2, max_size=6), uk_postcodes(), st.booleans())
def test_any_generated_uk_address_passes(
    lines: list[tuple[str, str]], postcode: tuple[str, str], international: bool
) -> None:
    text = "\n".join(tidy for _, tidy in lines).lower()
    if "no fixed" in text or "bfpo" in text or any(tidy.lower() == "nfa" for _, tidy in lines):
        return
    written = [line for line, _ in lines] + [postcode[0]]
    expected = [tidy for _, tidy in lines] + [postcode[1]]
    assert validate_postal_address(written, international=international) == expected


_LINE = st.one_of(
    st.sampled_from(
        [
            "Mr X",
            "1 High St",
            "London",
            "SW1A 1AA",
            "sw1a1aa",
            "BF1 1AA",
            "BFPO",
            "BFPO 123",
            "bfpo c/o 4",
            "UK",
            "England",
            "Cymru",
            "GB",
            "Jersey",
            "JE2 3AB",
            "France",
            "Deutschland",
            "CA",
            "usa",
            "NFA",
            "no fixed abode",
            "[x",
            "--",
            "..",
            " , ",
            "",
            "Street .",
            "GIR 0AA",
            "Côte d’Ivoire",
            "Bhutan",
        ]
    ),
    st.text(max_size=12),
)


@given(st.lists(_LINE, max_size=9), st.booleans())
def test_normalising_an_address_is_idempotent(lines: list[str], international: bool) -> None:
    """What we send is what Notify makes of it. (Notify's own normalising is not always idempotent at once:
    a "UK" line above a BFPO number is kept the first time and dropped the second, as notifications-utils'
    trailing_uk_countries does; validate_postal_address returns the settled form, or refuses it.)"""
    try:
        normalised = validate_postal_address(lines, international=international)
    except InvalidRecipient as error:
        assert error.field == "address"
        return
    assert 3 <= len(normalised) <= 7
    assert validate_postal_address(normalised, international=international) == normalised
    assert validate_postal_address(normalised, international=True) == normalised


_LOCAL_CHARACTERS = _ALNUM + ".!#$%&'*+/=?^_`{|}~-"
_LABEL = st.from_regex(r"[a-z0-9]{1,10}(-{1,2}[a-z0-9]{1,10}){0,2}", fullmatch=True).filter(
    lambda x: x[:2] != "xn"
)


@given(
    st.text(st.sampled_from(_LOCAL_CHARACTERS), min_size=1, max_size=30).filter(
        lambda local: ".." not in local
    ),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.one_of(
        st.from_regex(r"[a-zA-Z]{2,12}", fullmatch=True),
        st.sampled_from(["テスト", "рф", "vermögensberatung"]),
    ),
    st.sampled_from(["", " ", "\t", "\u200b", "\u00a0"]),
)
def test_any_generated_valid_email_address_passes(
    local: str, labels: list[str], tld: str, padding: str
) -> None:
    address = f"{local}@{'.'.join(labels)}.{tld}"
    if ".." in address:
        return
    assert validate_email_address(f"{padding}{address}{padding}") == address


@given(st.text(max_size=40))
def test_normalising_an_email_address_is_idempotent(value: str) -> None:
    try:
        normalised = validate_email_address(value)
    except InvalidRecipient as error:
        assert error.message == "Not a valid email address"
        return
    assert validate_email_address(normalised) == normalised
