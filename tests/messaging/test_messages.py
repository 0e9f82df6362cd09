"""Message wording for Notify: discreet by default (SECURITY.md 22), detailed on request, SMS in 2 parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from portal.services.messaging.messages import (
    SMS_GSM_LIMIT,
    SMS_UCS2_LIMIT,
    RenderedMessage,
    _detailed_sms,
    downgrade_to_gsm,
    fits_two_sms,
    render_update_message,
    sanitise_sms,
    sms_encoding,
    sms_units,
)
from portal.services.vocabulary import AGENCY_LABELS, EVENT_TYPES, UnknownEventType, Wording
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE

pytestmark = pytest.mark.usefixtures("babel_app_context")

SIGN_IN = "https://www.example.service.gov.uk/sign-in"
PREFERENCES = "https://www.example.service.gov.uk/account/contact-preferences"
OCCURRED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
CHANNELS = ("email", "sms", "letter")
ALL_CODES = sorted(EVENT_TYPES)

LONG_TEXT = {
    "court_name": "Birmingham Crown Court at the Queen Elizabeth II Law Courts",
    "court_address": "Queen Elizabeth II Law Courts, 1 Newton Street, Birmingham, West Midlands B4 7NA",
    "officer_name": "Detective Constable Alexandra Fitzgerald-Montgomery",
    "officer_contact": "alexandra.fitzgerald-montgomery@westmidlands.police.example.uk",
    "crime_reference": "20/WM/0043981/27-DA",
    "service_name": "Birmingham and Solihull Women's Aid Independent Domestic Violence Advocacy Service",
    "service_phone": "0121 685 8687 (weekdays 9am to 5pm)",
    "vlo_name": "Margaret Oyelaran-Whitfield",
    "vlo_contact": "margaret.oyelaran-whitfield@probation.example.gov.uk or 01632 960 777",
    "resolution": "a conditional caution with a requirement to attend a victim awareness course",
}
LONG_SENTENCE = (
    "the specialist prosecutor reviewed the medical evidence from Dr Harriet Okonkwo-Lindqvist together with "
    "the statements from Gareth Pemberton-Hughes and the CCTV from Broad Street, and concluded that the "
    "evidence did not meet the test for this charge, so a lesser charge of assault by beating is proposed"
)
LONG_ITEM = (
    "not to contact Sarah Louise Whitfield-Okafor directly or through any other person, "
    "including by social media"
)


def long_details(code: str) -> dict[str, Any]:
    """Realistic but long details: the worst case for text message length and for leaks."""
    schema = EVENT_TYPES[code].details_schema
    example = schema["examples"][0]
    details: dict[str, Any] = {}
    for key, spec in schema["properties"].items():
        if spec.get("type") == "boolean":
            details[key] = True
        elif "enum" in spec:
            details[key] = example.get(key, spec["enum"][0])
        elif spec.get("format") == "date-time":
            details[key] = example.get(key, "2027-11-22T14:15:00+00:00")
        elif spec.get("format") == "date":
            details[key] = example.get(key, "2027-11-22")
        elif spec.get("type") == "array":
            details[key] = [f"{LONG_ITEM} (condition {n})" for n in range(1, 6)]
        else:
            details[key] = LONG_TEXT.get(key, LONG_SENTENCE)[: spec.get("maxLength", 200)]
    return details


def detail_strings(details: dict[str, Any]) -> Iterator[str]:
    for value in details.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) > 3:
                yield item


def render(
    code: str, details: dict[str, Any], channel: str, detailed: bool, **kwargs: Any
) -> RenderedMessage:
    options: dict[str, Any] = {
        "channel": channel,
        "language": "en",
        "detailed": detailed,
        "sign_in_url": SIGN_IN,
        "preferences_url": PREFERENCES,
        "occurred_at": OCCURRED,
        **kwargs,
    }
    return render_update_message(code, details, **options)


def full_text(message: RenderedMessage) -> str:
    return f"{message.subject or ''}\n{message.body}"


def without_urls(text: str) -> str:
    return text.replace(SIGN_IN, "").replace(PREFERENCES, "")


# --- Discreet (the default) ------------------------------------------------------------------------------


@pytest.mark.security(22)
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("code", ALL_CODES)
def test_discreet_messages_reveal_nothing(code: str, channel: str, language: str) -> None:
    for details in (EVENT_TYPES[code].details_schema["examples"][0], long_details(code)):
        message = render(code, details, channel, detailed=False, language=language)
        text = without_urls(full_text(message)).lower()
        for word in NOT_IN_A_DISCREET_MESSAGE:
            assert word not in text, f"{code}/{channel}: {word!r} in a discreet message"
        for value in detail_strings(details):
            assert value.lower() not in text, f"{code}/{channel}: detail {value!r} leaked"
        assert code not in text and code.replace("-", " ") not in text
        for label in AGENCY_LABELS.values():
            assert str(label).lower() not in text
        assert str(EVENT_TYPES[code].title).lower() not in text
        assert SIGN_IN in message.body and PREFERENCES in message.body
        if channel == "sms":
            assert message.subject is None
            assert fits_two_sms(message.body)
        elif EVENT_TYPES[code].urgent:  # safety news says it is important, and nothing more
            assert message.subject == "You have an important update"
        else:
            assert message.subject == "You have a new update"


@pytest.mark.security(22)
def test_discreet_wording_is_the_same_for_every_event_type() -> None:
    """One wording for every update, and one other for every urgent one (safety news)."""
    for urgent in (False, True):
        codes = [code for code in ALL_CODES if EVENT_TYPES[code].urgent == urgent]
        for channel in CHANNELS:
            bodies = {render(code, {}, channel, detailed=False).body for code in codes}
            assert len(bodies) == (1 if codes else 0)


@pytest.mark.security(22)
def test_discreet_messages_say_how_to_stop() -> None:
    email = render("verdict", {}, "email", detailed=False)
    assert (
        "To change how and when we contact you, or to stop these emails, go to:\n" + PREFERENCES in email.body
    )
    sms = render("verdict", {}, "sms", detailed=False)
    assert sms.body == (
        f"You have a new update. Sign in to read it: {SIGN_IN}\nTo change or stop these texts: {PREFERENCES}"
    )
    letter = render("verdict", {}, "letter", detailed=False)
    assert "to stop these letters" in letter.body and PREFERENCES in letter.body


@pytest.mark.security(22)
def test_discreet_mode_does_not_need_valid_details() -> None:
    # The details are not used, so a record with missing details still produces the discreet message.
    assert render("hearing-scheduled", {}, "sms", detailed=False).body.startswith("You have a new update.")


# --- Letters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("detailed", [False, True])
@pytest.mark.parametrize("code", ["hearing-scheduled", "sentence", "offender-recalled"])
def test_letters_explain_how_to_sign_in_not_just_a_web_address(code: str, detailed: bool) -> None:
    details = EVENT_TYPES[code].details_schema["examples"][0]
    body = render(code, details, "letter", detailed).body
    assert "type this address into the address bar" in body
    assert "Sign in to your account." in body
    assert "If you cannot go online" in body
    for line in body.splitlines():
        assert line.strip() not in (SIGN_IN, PREFERENCES), "a web address on its own is not an instruction"
        assert not line.startswith("http")


# --- Detailed ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("code", ALL_CODES)
def test_detailed_messages_render_for_every_type(code: str, channel: str) -> None:
    for details in (EVENT_TYPES[code].details_schema["examples"][0], long_details(code)):
        message = render(code, details, channel, detailed=True)
        text = full_text(message)
        assert "{" not in text and "}" not in text and "None" not in text
        assert SIGN_IN in message.body and PREFERENCES in message.body
        title = str(EVENT_TYPES[code].title)
        if channel == "sms":
            assert message.subject is None
            assert message.body.startswith(title + "\n")
            assert fits_two_sms(message.body), (code, sms_units(message.body))
            assert message.body.endswith(
                f"Sign in to read more: {SIGN_IN}\nTo change or stop these texts: {PREFERENCES}"
            )
        else:
            assert message.subject == (f"Important: {title}" if EVENT_TYPES[code].urgent else title)
            assert "# What happens next" in message.body


@pytest.mark.parametrize("channel", CHANNELS)
def test_detailed_hearing_message_has_court_date_and_time(channel: str) -> None:
    details = {
        "hearing_at": "2027-03-14T10:00:00+00:00",
        "court_name": "Leeds Crown Court",
        "court_address": "1 Oxford Row, Leeds LS1 3BG",
    }
    body = render("hearing-scheduled", details, channel, detailed=True).body
    assert "Leeds Crown Court on 14 March 2027 at 10am" in body
    if channel != "sms":
        assert "1 Oxford Row, Leeds LS1 3BG" in body


def test_detailed_sms_puts_the_facts_first_and_cuts_at_a_word() -> None:
    details = long_details("witness-required")
    body = render("witness-required", details, "sms", detailed=True).body
    assert body.startswith("You are needed as a witness\nYou need to be at court on 14 March 2027 at 10am.")
    assert fits_two_sms(body)
    long_reason = render("case-discontinued", long_details("case-discontinued"), "sms", detailed=True).body
    content = long_reason.split("\nSign in to read more:")[0]
    assert content.endswith("...") and not content.endswith(" ...")


def test_english_texts_drop_accents_that_gsm_lacks_like_notify() -> None:
    details = {"vlo_name": "Siân Llŷr", "vlo_contact": "01632 960 777"}
    body = render("vlo-contact", details, "sms", detailed=True).body
    assert sms_encoding(body) == "gsm" and fits_two_sms(body)
    assert "Your Victim Liaison Officer is Sian Llyr." in body
    email = render("vlo-contact", details, "email", detailed=True).body
    assert "Siân Llŷr" in email  # only texts lose accents


def test_welsh_texts_keep_welsh_letters_within_two_unicode_parts() -> None:
    # No Welsh catalogue exists yet, so build Welsh wording directly to exercise the UCS-2 path.
    wording = Wording(
        title="Diweddariad",
        what_this_means="Byddwn yn cysylltu â chi.",
        what_happens_next="Does dim angen i chi wneud dim byd nawr.",
        rights=[],
        key_details=("Byddwn yn cysylltu â chi.",),
    )
    body = _detailed_sms(wording, "cy", "https://ex.gov.uk/a", "https://ex.gov.uk/p")
    assert body is not None
    assert sms_encoding(body) == "ucs2" and sms_units(body) <= SMS_UCS2_LIMIT
    assert "Byddwn yn cysylltu â chi." in body
    # With full-length addresses the Unicode budget (134) holds no whole fact: accents are dropped.
    body = _detailed_sms(wording, "cy", SIGN_IN, PREFERENCES)
    assert body is not None and sms_encoding(body) == "gsm" and fits_two_sms(body)
    # English texts never keep them.
    english = _detailed_sms(wording, "en", "https://ex.gov.uk/a", "https://ex.gov.uk/p")
    assert english is not None and "cysylltu a chi" in english and sms_encoding(english) == "gsm"


def test_detailed_sms_falls_back_to_discreet_when_nothing_else_fits() -> None:
    long_url = "https://www.example.service.gov.uk/" + "s" * 120
    message = render(
        "hearing-scheduled", long_details("hearing-scheduled"), "sms", detailed=True, sign_in_url=long_url
    )
    assert fits_two_sms(message.body)
    assert message.body.startswith("You have a new update. Sign in to read it: ")  # discreet is always safe
    assert long_url in message.body and PREFERENCES in message.body


def test_sms_addresses_that_cannot_fit_are_an_error() -> None:
    with pytest.raises(ValueError, match="too long for a text message"):
        render("verdict", {}, "sms", detailed=False, sign_in_url="https://example.gov.uk/" + "x" * 300)


def test_detailed_email_and_letter_include_rights_with_dates() -> None:
    received = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    for channel in ("email", "letter"):
        # CPS Victims' Right to Review limits run from the CPS letter's date, never from received_at.
        details = {"letter_date": "2027-03-01"}
        body = render("case-discontinued", details, channel, detailed=True, received_at=received).body
        assert "# What you can do" in body
        assert "Ask by 15 March 2027 if you can." in body


def test_welsh_is_rendered_through_gettext() -> None:
    # No agency words among the details: a Welsh message would say they were sent in English only.
    english = render("verdict", {"guilty": False}, "email", detailed=True)
    welsh = render("verdict", {"guilty": False}, "email", detailed=True, language="cy")
    assert welsh == english  # no Welsh catalogue yet: gettext falls back to English


def test_bad_arguments() -> None:
    with pytest.raises(UnknownEventType):
        render("no-such-type", {}, "sms", detailed=False)
    with pytest.raises(ValueError, match="channel"):
        render("verdict", {}, "fax", detailed=False)
    with pytest.raises(ValueError, match="language"):
        render("verdict", {}, "sms", detailed=False, language="fr")


# --- SMS arithmetic -------------------------------------------------------------------------------------


def test_sms_counting() -> None:
    assert sms_encoding("Hello £5 @ 10am") == "gsm" and sms_units("Hello £5 @ 10am") == 15
    assert sms_units("€[]") == 6  # extension characters count twice
    assert sms_encoding("Zoë") == "ucs2"  # ë is not in GSM-7
    assert sms_units("a" * SMS_GSM_LIMIT) == SMS_GSM_LIMIT and fits_two_sms("a" * SMS_GSM_LIMIT)
    assert not fits_two_sms("a" * (SMS_GSM_LIMIT + 1))
    assert fits_two_sms("ŵ" * SMS_UCS2_LIMIT) and not fits_two_sms("ŵ" * (SMS_UCS2_LIMIT + 1))
    assert not fits_two_sms("{" * 154)  # 308 units


def test_sanitise_sms_keeps_plain_gsm() -> None:
    assert sanitise_sms("It’s “fine” – really…\u00a0ok") == 'It\'s "fine" - really... ok'
    assert sms_encoding(sanitise_sms("It’s “fine” – really…")) == "gsm"
    assert re.fullmatch(r"a\nb", sanitise_sms("a\nb\x07"))
    assert downgrade_to_gsm("Siân Llŷr, Zoë, Ça, é, 😀") == "Sian Llyr, Zoe, Ça, é, ?"


# --- Agency free text in Notify's formatting (issue: a `#`, `^`, `*` or link must stay text) ------

HOSTILE = (
    "# Heading\n^ inset\n* bullet\n1. first [click here](https://evil.example/x) see https://evil.example/y"
)


def _free_text_keys(code: str) -> list[str]:
    properties = EVENT_TYPES[code].details_schema.get("properties", {})
    return [
        key
        for key, spec in properties.items()
        if "format" not in spec and "enum" not in spec and spec.get("type") in ("string", "array")
    ]


def _hostile_details(code: str) -> dict[str, Any]:
    details = dict(EVENT_TYPES[code].details_schema["examples"][0])
    for key in _free_text_keys(code):
        spec = EVENT_TYPES[code].details_schema["properties"][key]
        details[key] = [HOSTILE, HOSTILE] if spec["type"] == "array" else HOSTILE
    return details


CODES_WITH_FREE_TEXT = [code for code in ALL_CODES if _free_text_keys(code)]


@pytest.mark.parametrize("channel", ["email", "letter"])
@pytest.mark.parametrize("code", CODES_WITH_FREE_TEXT)
def test_agency_free_text_never_becomes_a_heading_inset_list_or_link(code: str, channel: str) -> None:
    message = render_update_message(
        code,
        _hostile_details(code),
        channel=channel,  # type: ignore[arg-type]
        language="en",
        detailed=True,
        sign_in_url=SIGN_IN,
        preferences_url=PREFERENCES,
        occurred_at=OCCURRED,
    )
    body = message.body
    assert "[click here]" not in body and "https://evil" not in body
    for line in body.split("\n"):
        assert not line.startswith(("# Heading", "^", "* bullet", "•", "1. first")), line
    if any(key in body for key in ("Heading", "click here")):
        assert "\\[click here\\]" in body  # still there for the reader, as plain text


def test_escaping_keeps_the_words_and_neutralises_each_marker() -> None:
    from portal.services.messaging.messages import ZERO_WIDTH_SPACE, escape_formatting

    assert escape_formatting("# Not a heading") == "\\# Not a heading"
    assert escape_formatting("^ not an inset") == ZERO_WIDTH_SPACE + "^ not an inset"
    assert escape_formatting("• not a bullet") == ZERO_WIDTH_SPACE + "• not a bullet"
    assert escape_formatting("- not a list") == "\\- not a list"
    assert escape_formatting("12. not a list") == "12\\. not a list"
    assert escape_formatting("qr: no code") == ZERO_WIDTH_SPACE + "qr: no code"
    assert escape_formatting("see [a](b)") == "see \\[a\\](b)"
    assert escape_formatting("go to http://x.example") == "go to http:" + ZERO_WIDTH_SPACE + "//x.example"
    assert escape_formatting("line one\n---\nline two") == "line one --- line two"
    assert escape_formatting("back\\slash") == "back\\\\slash"
    assert escape_formatting("Plain words, 3 things.") == "Plain words, 3 things."


def test_texts_carry_agency_words_unescaped() -> None:
    """Text messages are not formatted by Notify: nothing is escaped in them."""
    details = dict(EVENT_TYPES["hearing-adjourned"].details_schema["examples"][0])
    details["reason"] = "Ask for [room 4]"
    message = render_update_message(
        "hearing-adjourned",
        details,
        channel="sms",
        language="en",
        detailed=True,
        sign_in_url=SIGN_IN,
        preferences_url=PREFERENCES,
        occurred_at=OCCURRED,
    )
    assert "Ask for [room 4]" in message.body
