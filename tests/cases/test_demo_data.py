"""The demo data is valid data: every update's details pass the same checks as the agency API."""

from __future__ import annotations

import pytest

from portal.services import demo_data, vocabulary

ALL_DEMO_UPDATES = demo_data._DEMO_CASE_UPDATES + demo_data._EARLIER_CASE_UPDATES


@pytest.mark.parametrize(("agency", "event_type", "occurred", "received", "details"), ALL_DEMO_UPDATES)
def test_demo_update_is_valid(
    agency: str, event_type: str, occurred: str, received: str, details: dict
) -> None:
    event = vocabulary.get_event_type(event_type)
    assert vocabulary.Agency(agency) in event.agencies
    vocabulary.validate_details(event_type, details)
    assert received >= occurred or event_type == "witness-required"


def test_demo_case_has_updates_from_all_four_sources() -> None:
    assert {agency for agency, *_ in demo_data._DEMO_CASE_UPDATES} == {
        "police",
        "cps",
        "witness_care",
        "probation",
    }
