"""What the victim may claim and by when, as they read it: in the summary panel of their case page and, for
a last day within 28 days, on "Your cases". Through the Flask test client, on SQLite and PostgreSQL, with
a case whose dates are set relative to today."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.services.cases import records as case_records
from portal.services.vocabulary import deadlines
from tests.support.builders import add_victim_to_case, create_update
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text

URN = "01XY5555526"
QUIET_URN = "01XY6666626"


def _long(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _london(d: date, hour: int) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=deadlines.LONDON).astimezone(UTC)


def _sentenced_case(app: Flask, today: date) -> None:
    """Reported 30 days ago; needed as a witness at a hearing 45 days ago; sentenced 10 days ago (the 28
    days end in 18 days); an appeal hearing in 20 days. And a second case with nothing but its report."""
    victim_id = demo_victim_id(app)
    with app.app_context(), db.job() as session:
        for urn in (URN, QUIET_URN):
            case_records.upsert_case(session, urn, offence="Wounding", reported_on=today - timedelta(days=30))
    for urn in (URN, QUIET_URN):
        add_victim_to_case(app, urn, victim_id)
    hearing_day = today - timedelta(days=45)
    sentence_day = today - timedelta(days=10)
    steps = (
        (
            "hearing-scheduled",
            today - timedelta(days=60),
            {"hearing_at": _london(hearing_day, 10).isoformat(), "court_name": "Exampletown Crown Court"},
        ),
        ("witness-required", today - timedelta(days=50), {}),
        ("verdict", today - timedelta(days=44), {"verdict_summary": "Found guilty", "guilty": True}),
        (
            "sentence",
            sentence_day,
            {"sentence_summary": "4 years", "sentence_date": sentence_day.isoformat()},
        ),
        (
            "hearing-scheduled",
            today - timedelta(days=5),
            {
                "hearing_at": _london(today + timedelta(days=20), 10).isoformat(),
                "court_name": "Exampletown Crown Court",
            },
        ),
    )
    for number, (event_type, day, details) in enumerate(steps):
        create_update(
            app,
            URN,
            event_type,
            agency="witness_care",
            agency_event_id=f"ENT-{number}",
            occurred_at=_london(day, 9),
            details=details,
            announce=False,
        )


def _panel(html: str) -> tuple[str, dict[str, str]]:
    """The summary panel's rights row, and each entitlement's text by key."""
    panel = html[html.index('id="case-standing"') :]
    rights = panel[panel.index("Your rights now") : panel.index('id="entitlements"')]
    listing = re.search(r'<ul class="govuk-list" id="entitlements">(.*?)</ul>', panel, re.S)
    assert listing is not None
    items = dict(re.findall(r'<li [^>]*id="entitlement-([a-z-]+)">(.*?)</li>', listing.group(1), re.S))
    return rights, items


def test_the_case_page_lists_what_the_victim_can_claim_and_by_when(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    today = deadlines.london_date(datetime.now(UTC))
    _sentenced_case(seeded, today)
    html = page_text(victim_client.get(f"/cases/{URN}"), markup=True)
    assert "What you can claim or ask for" in html
    rights, items = _panel(html)
    # The nearest last day first, those with no date next, the passed one last.
    assert list(items) == [
        "unduly-lenient-sentence",
        "cica",
        "court-visit",
        "restorative-justice",
        "witness-expenses",
    ]
    uls = page_text(items["unduly-lenient-sentence"])
    assert f"Last day: {_long(today + timedelta(days=18))}" in uls
    assert 'href="https://www.gov.uk/report-sentence-unduly-lenient"' in items["unduly-lenient-sentence"]
    assert "Ask for a sentence to be reviewed on GOV.UK" in uls
    # Read there, with its date, not again among the rights.
    assert "Unduly Lenient Sentence scheme" not in rights

    cica = page_text(items["cica"])
    reported = today - timedelta(days=30)
    assert f"Last day: {_long(deadlines.add_months(reported, 24))}" in cica
    assert "The 2 years run from the date of the crime" in cica
    assert 'href="https://www.gov.uk/claim-compensation-criminal-injury"' in items["cica"]

    visit = page_text(items["court-visit"])
    assert f"Before the hearing on {_long(today + timedelta(days=20))}" in visit

    assert "No time limit" in page_text(items["restorative-justice"])
    assert 'href="https://restorativejustice.org.uk/"' in items["restorative-justice"]

    expenses = page_text(items["witness-expenses"])
    went = today - timedelta(days=45)
    assert "Passed" in expenses
    assert f"The last day was {_long(deadlines.add_months(went, 1))}." in expenses
    assert "ask Witness Care whether you can still claim" in expenses
    # Links open in the same tab.
    assert 'target="_blank"' not in "".join(items.values())


def test_your_cases_shows_a_last_day_within_28_days_only(seeded: Flask, victim_client: FlaskClient) -> None:
    today = deadlines.london_date(datetime.now(UTC))
    _sentenced_case(seeded, today)
    html = page_text(victim_client.get("/cases"), markup=True)
    cards = {
        urn: card
        for card in html.split('class="app-case-card"')[1:]
        for urn in (URN, QUIET_URN)
        if urn in card
    }
    due = page_text(cards[URN])
    assert "Next deadline" in due
    assert f"Unduly Lenient Sentence scheme Last day: {_long(today + timedelta(days=18))}" in due
    assert f'href="/cases/{URN}#entitlement-unduly-lenient-sentence"' in cards[URN]
    # Compensation's last day is 2 years away: not shown on the list.
    assert "Next deadline" not in page_text(cards[QUIET_URN])
