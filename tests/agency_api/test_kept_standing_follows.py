"""The victim's kept standing follows what the agencies send over real HTTP: a single update, and a batch
big enough to be written by COPY on PostgreSQL (notifications/rows.py), each shown on the victim's next
view of the case. The suite's own check of kept copies is off here, so the page is what a victim sees.

The victim reads the police's updates only. The Witness Care update sent is not on that page, so the view
opens nothing new (which would work the standing out afresh anyway): the page can show what the update
changed only if the kept copy was dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from notifications.rows import FEW
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient

WANTED = "Wanted on a court warrant"


def _warrant(event_id: str, **extra: object) -> dict[str, object]:
    """A warrant issued a few minutes ago: after everything in the demo case (whose dates run up to now),
    so that it decides where the suspect is."""
    now = datetime.now(UTC)
    return {
        "event_id": event_id,
        "type": "arrest-warrant-issued",
        "occurred_at": (now - timedelta(minutes=10)).isoformat(),
        "received_at": (now - timedelta(minutes=5)).isoformat(),
        "details": {"court_name": "Leeds Magistrates' Court", "warrant": "not-backed-for-bail"},
        **extra,
    }


def _page(app: Flask, client: FlaskClient, views: int = 1) -> str:
    app.config["KEPT_STANDING_CHECKED"] = False
    for _ in range(views):
        page = client.get(f"/cases/{DEMO_CASE_URN}?source=police")
        assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("batch", [False, True], ids=["single update", "batch written by COPY"])
def test_what_an_agency_sends_is_on_the_victims_next_view(
    seeded: Flask, victim_client: FlaskClient, agency: Callable[[str], AgencyClient], batch: bool
) -> None:
    assert WANTED not in _page(seeded, victim_client, views=3)  # the standing is kept by now
    witness_care = agency("witness_care")
    if batch:
        body: dict[str, object] = {
            "updates": [
                _warrant(f"KEPT-{index}", type="hearing-adjourned", details={}) for index in range(FEW)
            ]
            + [_warrant("KEPT-WARRANT")]
        }
    else:
        body = _warrant("KEPT-WARRANT")
    sent = witness_care.send_updates(DEMO_CASE_URN, body)
    assert sent.status_code == 201, sent.text
    assert WANTED in _page(seeded, victim_client)
