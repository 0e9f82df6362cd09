"""Phone numbers shaped like real ones, through the validation path (issue 23).

Most tests use Ofcom's drama ranges (07700 900xxx, 01632 960xxx), which the rules accept by a shortcut
(`_DRAMA_RANGES`) without asking libphonenumber whether the number is allocated or what type it is, so
they skip the branches every real victim's number takes. These use numbers libphonenumber (the
`phonenumbers` package) knows as real UK mobiles, landlines, a personal number, numbers in unallocated
ranges, and numbers abroad: in every format people type them, alone and through a recorded version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.services.preferences import records, rules
from portal.services.preferences.rules import InvalidPreferences
from tests.support.builders import create_case, create_victim

PHONE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
MOBILE = "Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982"
PHONE_RE, MOBILE_RE = re.escape(PHONE), re.escape(MOBILE)
UK_MOBILE = "Enter a UK mobile phone number, like 07700 900 982"

#: Real-shaped UK mobiles as people type them, and the number each one is.
UK_MOBILES = [
    ("07123 456789", "+447123456789"),
    ("07400 123456", "+447400123456"),
    ("07911 123456", "+447911123456"),
    ("07911-123-456", "+447911123456"),
    ("(07911) 123 456", "+447911123456"),
    ("07 911 123 456", "+447911123456"),
    ("+44 7911 123456", "+447911123456"),
    ("+44 (0)7911 123456", "+447911123456"),
    ("0044 7911 123456", "+447911123456"),
    ("+447555123456", "+447555123456"),
    ("07624 123456", "+447624123456"),  # Isle of Man: a Crown Dependency, so Notify texts it
]
#: Landlines and other numbers an officer can call but that cannot receive a text.
UK_LANDLINES = [
    ("020 8123 4567", "+442081234567"),
    ("0161 123 4567", "+441611234567"),
    ("+44 20 7946 0018", "+442079460018"),
    ("0300 123 4567", "+443001234567"),  # non-geographic (UAN)
]
#: Shaped like numbers but not numbers anyone has: unallocated ranges, too short or too long.
NOT_NUMBERS = ["07655 123456", "05123 456789", "0791112345", "079111234567", "01624 12345", "0207 946 00"]
#: Mobiles abroad: a text needs the service's permission to text abroad.
ABROAD = [
    ("+33 6 12 34 56 78", "+33612345678", "+33 6 12 34 56 78"),
    ("+353 85 123 4567", "+353851234567", "+353 85 123 4567"),
    ("+1 202 555 0143", "+12025550143", "+1 202-555-0143"),
]

pytestmark = pytest.mark.usefixtures("babel_app_context")


@pytest.fixture
def texts_abroad(babel_app_context: Flask) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(babel_app_context.config, "NOTIFY_INTERNATIONAL_SMS", True)
        yield


@pytest.mark.parametrize(("typed", "e164"), UK_MOBILES)
def test_a_real_uk_mobile_is_kept_in_e164_and_can_receive_texts(typed: str, e164: str) -> None:
    assert rules.normalise_phone(typed) == e164
    assert rules.normalise_phone(typed, mobile=True) == e164
    assert rules.is_mobile(e164) and rules.can_text(e164)
    assert rules.validate_changes({"phone": typed, "alternative_phone": typed}) == {
        "phone": e164,
        "alternative_phone": e164,
    }
    assert rules.display_phone(e164).startswith("07")  # shown as the victim would write it


def test_a_real_uk_mobile_is_shown_in_the_national_format() -> None:
    assert rules.display_phone("+447911123456") == "07911 123456"
    assert rules.display_phone("+447123456789") == "07123 456789"
    assert rules.display_phone(None) == "" and rules.display_phone("") == ""
    assert rules.display_phone("not a number") == "not a number"


@pytest.mark.parametrize(("typed", "e164"), UK_LANDLINES)
def test_a_landline_is_a_phone_number_but_not_for_texts(typed: str, e164: str) -> None:
    assert rules.normalise_phone(typed) == e164
    assert not rules.is_mobile(e164) and not rules.can_text(e164)
    with pytest.raises(ValueError, match=UK_MOBILE):
        rules.normalise_phone(typed, mobile=True)
    document = {
        "channels": ["sms"],
        "officer_phone_only": False,
        "safe": {"sms": True},
        "phone": e164,
        "safe_from": "09:00",
        "safe_to": "17:00",
        "interpreter_needed": False,
        "accessibility": [],
    }
    assert rules.check_document(document) == {"phone": UK_MOBILE}
    assert rules.check_document({**document, "channels": ["phone"], "safe": {"phone": True}}) == {}


def test_a_personal_number_starts_07_but_is_not_a_mobile() -> None:
    """07000 numbers are "personal numbers" that forward calls: allocated and valid, but not mobiles."""
    assert rules.normalise_phone("07000 123456") == "+447000123456"
    assert not rules.is_mobile("+447000123456")
    with pytest.raises(ValueError, match=UK_MOBILE):
        rules.normalise_phone("07000 123456", mobile=True)


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_numbers_nobody_has_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=PHONE_RE):
        rules.normalise_phone(typed)
    with pytest.raises(ValueError, match=MOBILE_RE):
        rules.normalise_phone(typed, mobile=True)
    with pytest.raises(InvalidPreferences) as refused:
        rules.validate_changes({"phone": typed})
    assert refused.value.errors == {"phone": PHONE}


@pytest.mark.parametrize("typed", ["", "   ", "+" + "4" * 32, "call me", "07911 12345€"])
def test_what_is_not_a_number_at_all_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=PHONE_RE):
        rules.normalise_phone(typed)


@pytest.mark.parametrize(("typed", "e164", "shown"), ABROAD)
def test_a_mobile_abroad_is_kept_but_texted_only_with_permission(typed: str, e164: str, shown: str) -> None:
    assert rules.normalise_phone(typed) == e164
    assert rules.is_mobile(e164) and not rules.can_text(e164)
    with pytest.raises(ValueError, match=UK_MOBILE):
        rules.normalise_phone(typed, mobile=True)
    assert rules.display_phone(e164) == shown


@pytest.mark.parametrize(("typed", "e164", "shown"), ABROAD)
@pytest.mark.usefixtures("texts_abroad")
def test_a_mobile_abroad_can_be_texted_when_the_service_may_text_abroad(
    typed: str, e164: str, shown: str
) -> None:
    assert rules.normalise_phone(typed, mobile=True) == e164
    assert rules.can_text(e164)
    with pytest.raises(ValueError, match=MOBILE_RE):  # a landline still cannot, anywhere
        rules.normalise_phone("+33 1 42 68 53 00", mobile=True)


def test_the_drama_ranges_still_work_for_tests_and_notifys_simulators() -> None:
    assert rules.normalise_phone("07700 900982", mobile=True) == "+447700900982"
    assert rules.is_mobile("+447700900982")
    assert not rules.is_mobile("+441632960001")
    assert rules.normalise_phone("01632 960 001") == "+441632960001"
    with pytest.raises(ValueError, match=UK_MOBILE):
        rules.normalise_phone("01632 960 001", mobile=True)


@pytest.mark.parametrize(("typed", "e164"), [UK_MOBILES[0], UK_MOBILES[-1], UK_LANDLINES[0]])
def test_a_real_number_recorded_in_the_preferences(app: Flask, typed: str, e164: str) -> None:
    """The whole path: answers recorded as a new version, the number stored in E.164."""
    with app.app_context():
        session: Session = app.extensions["database"].session_factory()
        try:
            case = create_case(session, "01RS1234526", offence="Assault")
            victim = create_victim(session, "Rae", "Shaped", case=case)
            version = records.record_preferences(
                session,
                victim,
                {"channels": ["phone"], "safe": {"phone": True}, "phone": typed},
                actor=None,
                actor_label="test",
                source=rules.SOURCE_AGENCY_AT_REPORTING,
            )
            assert version.document["phone"] == e164
            assert records.current_preferences(session, victim.id).phone == e164
            texts = {"channels": ["sms"], "safe": {"sms": True}}
            if rules.can_text(e164):
                records.record_preferences(
                    session,
                    victim,
                    texts,
                    actor=None,
                    actor_label="test",
                    source=rules.SOURCE_AGENCY_AT_REPORTING,
                )
            else:
                with pytest.raises(InvalidPreferences) as refused:
                    records.record_preferences(
                        session,
                        victim,
                        texts,
                        actor=None,
                        actor_label="test",
                        source=rules.SOURCE_AGENCY_AT_REPORTING,
                    )
                assert refused.value.errors == {"phone": UK_MOBILE}
        finally:
            session.rollback()
            session.close()
