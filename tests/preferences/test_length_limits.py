"""The length limits of preferences' answers, at their exact boundary (issue 23: mutants that moved a limit
by one survived). A phone number may be typed with spaces up to 32 characters; an address line and a free
text answer up to 100. One more is refused with the GOV.UK message; the limit itself is accepted."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.services.preferences import rules

DIGITS = ("07700", "900982")


def _phone_typed_in(length: int) -> str:
    """07700 900982 with spaces between its halves, `length` characters in all."""
    return DIGITS[0] + " " * (length - len("".join(DIGITS))) + DIGITS[1]


def test_a_phone_number_of_32_characters_is_accepted_and_33_refused(app: Flask) -> None:
    with app.app_context():
        assert rules.normalise_phone(_phone_typed_in(32)) == "+447700900982"
        with pytest.raises(ValueError, match="Enter a phone number"):
            rules.normalise_phone(_phone_typed_in(33))


def test_an_address_line_of_100_characters_is_accepted_and_101_refused(app: Flask) -> None:
    with app.app_context():
        line = "x" * 100
        assert rules.normalise_address([line, "Exampletown", "SW1A 2AA"])[0] == line
        with pytest.raises(ValueError, match="Enter the address"):
            rules.normalise_address(["x" * 101, "Exampletown", "SW1A 2AA"])


def test_a_free_text_answer_of_100_characters_is_accepted_and_101_refused(app: Flask) -> None:
    with app.app_context():
        changes = rules.validate_changes({"interpreter_needed": True, "interpreter_language": "y" * 100})
        assert changes["interpreter_language"] == "y" * 100
        with pytest.raises(ValueError, match="Enter 100 characters or fewer"):
            rules.validate_changes({"interpreter_needed": True, "interpreter_language": "y" * 101})
