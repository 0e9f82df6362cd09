"""Control characters never come in through the agency API: names, references, addresses and offences are
one line with none at all; free text (the victim's message, an event's details) may have line breaks and
tabs, nothing else. A refusal is a 400 naming the field, as every validation error is (portal/api/schemas.py,
validation.py). Named contacts are checked by their service (tests/agency_api/test_contacts_api.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portal.api import examples, schemas
from portal.api.validation import RequestInvalid, validate, validate_update
from portal.services import vocabulary
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient

ONE_LINE = "must not contain control characters (such as a tab, a line break or an escape)"


def _problems(name: str, body: dict) -> list[str]:
    try:
        validate(name, body)
    except RequestInvalid as error:
        return error.messages
    return []


def _update(**extra: object) -> dict:
    code = "hearing-scheduled"
    return {
        "event_id": "WCU-CTRL-1",
        "type": code,
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
        "details": dict(vocabulary.get_event_type(code).details_schema["examples"][0]),
        **extra,
    }


@pytest.mark.parametrize(
    "bad", ["Sam\x07", "Sam\tSample", "Sam\nSample", "Sam\n", "\x1b[31mSam", "Sam\x85", "Sam\u2028", "\x00"]
)
def test_a_name_with_a_control_character_is_refused_naming_the_field(bad: str) -> None:
    assert _problems("VictimRequest", {**examples.VICTIM_REQUEST, "given_name": bad}) == [
        f"given_name: {ONE_LINE}"
    ]


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("CaseRequest", {"offence": "Assault\r\n"}, "offence"),
        ("VictimRequest", {**examples.VICTIM_REQUEST, "family_name": "Sample\x0b"}, "family_name"),
        (
            "VictimRequest",
            {
                **examples.VICTIM_REQUEST,
                "address": {"line_1": "1 Road\x0c", "town": "Leeds", "postcode": "LS1 1AA"},
            },
            "address.line_1",
        ),
        ("VictimRequest", {**examples.VICTIM_REQUEST, "email": "sam\x00@example.com"}, "email"),
    ],
)
def test_text_anywhere_in_a_request_is_one_line(name: str, body: dict, field: str) -> None:
    assert f"{field}: {ONE_LINE}" in _problems(name, body)


def test_the_victims_message_may_have_line_breaks_and_tabs_and_nothing_else() -> None:
    validate_update(_update(message="First line.\r\nSecond line,\tindented."), "", "witness_care")
    with pytest.raises(RequestInvalid) as refused:
        validate_update(_update(message="Bell\x07"), "", "witness_care")
    assert refused.value.messages == [
        "message: must not contain control characters other than line breaks and tabs"
    ]


def test_free_text_in_an_events_details_may_have_line_breaks_and_tabs_and_nothing_else() -> None:
    details = _update()["details"]
    text_field = next(
        key
        for key, spec in vocabulary.get_event_type("hearing-scheduled").details_schema["properties"].items()
        if spec.get("type") == "string" and not {"format", "enum", "pattern"} & set(spec)
    )
    validate_update(_update(details={**details, text_field: "Leeds\nCrown Court"}), "", "witness_care")
    with pytest.raises(RequestInvalid) as refused:
        validate_update(_update(details={**details, text_field: "Leeds\x1bCrown Court"}), "", "witness_care")
    assert refused.value.messages == [
        f"details.{text_field}: must not contain control characters other than line breaks and tabs"
    ]


def test_a_pattern_ends_at_the_end_of_the_text_as_json_schema_reads_it() -> None:
    """Python's "$" also matches before a final line break; JSON Schema's (ECMA-262) does not."""
    messages = _problems("VictimRequest", {**examples.VICTIM_REQUEST, "agency_person_reference": "REF-1\n"})
    assert messages == ["agency_person_reference: is not in the right form"]


def test_the_contract_says_so() -> None:
    components = schemas.components()
    victim = components["VictimRequest"]["properties"]
    assert victim["given_name"]["pattern"] == schemas.SINGLE_LINE
    update = components[schemas.variant_name("hearing-scheduled")]["properties"]
    assert update["message"]["pattern"] == schemas.MULTI_LINE


def test_the_api_answers_400_naming_the_field(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    response = police.add_victim(DEMO_CASE_URN, {**examples.VICTIM_REQUEST, "given_name": "Sam\x1b[2J"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"error": "ValidationError", "message": f"given_name: {ONE_LINE}"}]
    assert "\x1b" not in response.text  # the value is never echoed
    fine = police.put_case("01XY1234526", {"offence": "Criminal damage"})
    assert fine.status_code in (200, 201), fine.text
