"""Redaction (SECURITY.md item 13) blanks phone numbers and codes, but never a record's id: a UUID whose
last group happens to be 12 digits stays whole, in logs and in the audit trail alike (it was once blanked
as a phone number, so an audited download no longer named the request it was for)."""

from __future__ import annotations

import pytest

from portal.services.common.redaction import REDACTED, redact_text

ID = "97b1f3fd-9003-4360-b7e7-706070287908"


@pytest.mark.security(13)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /api/v1/requests/{ID}/document", f"GET /api/v1/requests/{ID}/document"),
        (f"request {ID} for 07700 900123", f"request {ID} for {REDACTED}"),
        (f"{ID}-07700900123", f"{ID}-{REDACTED}"),
        (f"call 07700 900123 about {ID.upper()}", f"call {REDACTED} about {ID.upper()}"),
        (f"code 123456 and {ID} and +44 7700 900123", f"code {REDACTED} and {ID} and {REDACTED}"),
        ("phone-07700900123", f"phone-{REDACTED}"),
        ("no ids here: 020 7946 0018", f"no ids here: {REDACTED}"),
    ],
)
def test_sec13_phone_numbers_and_codes_are_blanked_but_ids_are_kept(text: str, expected: str) -> None:
    assert redact_text(text) == expected
