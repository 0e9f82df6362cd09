"""Correction 9: "Next hearing" clears when the case ends (the case discontinued, no evidence offered, a
not-guilty verdict, a sentence with no appeal pending) and counts a witness being required at a hearing.
One rule (`standing.next_hearing`) for the case page's summary, "Your cases", and the officer's and the
support worker's views of the case."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Victim
from portal.services.cases import records as case_records
from portal.services.demo_data import DEMO_VICTIM_ID
from portal.template_helpers import govuk_datetime
from tests.support.builders import create_case, create_update
from tests.support.pages import page_text

URN = "01YZ7654326"
COURT = "Exampletown Magistrates' Court"


def _case_with(app: Flask, *updates: tuple[str, dict[str, Any]]) -> None:
    """A second case of the demo victim's (same unit as the demo case), with these updates an hour apart."""
    start = datetime.now(UTC) - timedelta(days=2)
    with app.app_context(), db.job() as session:
        case = create_case(session, URN, offence="Criminal damage")
        victim = session.get(Victim, DEMO_VICTIM_ID)
        assert victim is not None
        case_records.add_victim(session, case, victim)
        for index, (event_type, details) in enumerate(updates):
            create_update(
                session,
                case,
                event_type,
                agency="witness_care"
                if event_type not in ("case-discontinued", "no-evidence-offered")
                else "cps",
                agency_event_id=f"next-hearing-{index}",
                occurred_at=start + timedelta(hours=index),
                details=details,
                announce=False,
            )


def _hearing_at() -> datetime:
    return (datetime.now(UTC) + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)


def _your_cases_card(victim: FlaskClient) -> str:
    """The text of this case's card on "Your cases"."""
    html = victim.get("/cases").get_data(as_text=True)
    cards = [c for c in re.split(r'<div class="app-case-card">', html)[1:] if URN in c]
    assert len(cards) == 1
    return page_text(cards[0])


def _pages(victim: FlaskClient, officer: FlaskClient, worker: FlaskClient) -> list[str]:
    """The case page as the victim, the officer and the support worker see it."""
    return [
        page_text(victim.get(f"/cases/{URN}")),
        page_text(officer.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{URN}")),
        page_text(worker.get(f"/support/clients/{DEMO_VICTIM_ID}/cases/{URN}")),
    ]


ENDINGS: dict[str, tuple[str, dict[str, Any]]] = {
    "case discontinued": ("case-discontinued", {}),
    "no evidence offered": ("no-evidence-offered", {}),
    "found not guilty": ("verdict", {"verdict_summary": "not guilty", "guilty": False}),
    "sentenced, no appeal": ("sentence", {"sentence_summary": "a community order"}),
}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_correction_9_the_next_hearing_clears_when_the_case_ends(
    seeded: Flask,
    victim_client: FlaskClient,
    officer_client: FlaskClient,
    support_worker_client: FlaskClient,
    ending: tuple[str, dict[str, Any]],
) -> None:
    hearing = {"hearing_at": _hearing_at().isoformat(), "court_name": COURT}
    _case_with(seeded, ("hearing-scheduled", hearing), ending)
    for text in _pages(victim_client, officer_client, support_worker_client):
        assert "Next hearing" not in text
        assert "No hearing arranged" in text
    assert "No hearing arranged" in _your_cases_card(victim_client)


def test_correction_9_a_hearing_after_an_appeal_is_lodged_counts_until_the_appeal_is_decided(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    hearing = {"hearing_at": _hearing_at().isoformat(), "court_name": COURT}
    _case_with(
        seeded,
        ("sentence", {"sentence_summary": "2 years in prison"}),
        ("appeal-lodged", {"appeal_against": "sentence"}),
        ("hearing-scheduled", hearing),
    )
    expected = f"{govuk_datetime(_hearing_at())}, {COURT}"
    assert f"Next hearing: {expected}" in page_text(victim_client.get(f"/cases/{URN}"))
    assert expected in _your_cases_card(victim_client)


def test_correction_9_a_witness_required_at_a_hearing_is_the_next_hearing(
    seeded: Flask,
    victim_client: FlaskClient,
    officer_client: FlaskClient,
    support_worker_client: FlaskClient,
) -> None:
    _case_with(seeded, ("witness-required", {"hearing_at": _hearing_at().isoformat(), "court_name": COURT}))
    expected = f"{govuk_datetime(_hearing_at())}, {COURT}"
    victim, officer, worker = _pages(victim_client, officer_client, support_worker_client)
    for text in (victim, officer, worker):
        assert f"Next hearing: {expected}" in text
    assert "You are needed at this hearing as a witness." in victim
    assert "Sam Sample is needed at this hearing as a witness." in officer
    assert f"{expected} – you are needed as a witness" in _your_cases_card(victim_client)
