"""Issue 13, correction 2, as a victim meets it: the police close an investigation in which no suspect was
ever identified, and the victim's case page offers no review (the police Victims' Right to Review applies
only when a suspect was interviewed under caution). When the police then release an interviewed suspect
with no further action, the review is offered, dated 3 months from when the victim reads it. The updates
come in over real HTTP with JWTs; the victim reads them through the portal."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_VICTIM_ID
from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months, london_date
from tests.support.agency_client import AgencyClient
from tests.support.builders import add_victim_to_case
from tests.support.signing_in import sign_in_with_totp

URN = "01NS4321026"
REVIEW = "Victims' Right to Review"


def _update(event_id: str, code: str, details: dict[str, object]) -> dict[str, object]:
    return {
        "event_id": event_id,
        "type": code,
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
        "details": details,
    }


def _case_page(client: FlaskClient) -> str:
    page = client.get(f"/cases/{URN}")
    assert page.status_code == 200
    return re.sub(r"\s+", " ", page.get_data(as_text=True)).replace("&#39;", "'")


def test_no_review_is_offered_when_no_suspect_was_identified_and_one_is_after_an_interview(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    assert police.put_case(URN, {"offence": "Burglary"}).status_code == 201
    add_victim_to_case(seeded, URN, DEMO_VICTIM_ID)
    closed = police.send_updates(
        URN,
        _update(
            "NS-1",
            "investigation-closed",
            {"reason": "all the lines of enquiry have been followed and no suspect has been identified"},
        ),
    )
    assert closed.status_code == 201, closed.text

    sign_in_with_totp(seeded, client, "victim@demo.example")
    page = _case_page(client)
    assert "The police have closed the investigation" in page
    assert REVIEW not in page

    released = police.send_updates(
        URN,
        _update(
            "NS-2",
            "suspect-released-no-further-action",
            {
                "reason": "there is not enough evidence to give a realistic chance of a conviction",
                "suspect_interviewed_under_caution": True,
            },
        ),
    )
    assert released.status_code == 201, released.text
    page = _case_page(client)
    assert REVIEW in page
    # Read now, so told now: the 3 months run from today, not from when the police had the information.
    by = format_date(add_months(london_date(datetime.now(UTC)), 3))
    assert f"You can ask for a review until {by}" in page
