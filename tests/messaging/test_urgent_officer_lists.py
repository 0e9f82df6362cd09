"""Officers see urgent updates (safety news, issue 13) first in their lists of updates that need action
(services/cases/timeliness.py, the "Not told" and "Told late" lists of /staff/timeliness), marked with an
"Urgent" tag; an urgent update not told yet is listed before its deadline has passed. Marking them costs
no query: the page runs as many statements with urgent updates as without.

(Here rather than in tests/cases because this change was built with the messaging rules of issue 13.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient

from portal.services import vocabulary
from portal.services.cases.timeliness import (
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    UpdateTimeliness,
    late,
    not_yet_told,
)
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_update
from tests.support.pages import page_text
from tests.support.statements import counting

URGENT = "offender-escaped"


def _item(
    key: str, status: str, deadline: date, *, urgent: bool, days_late: int | None = None
) -> UpdateTimeliness:
    return UpdateTimeliness(
        update_id=key,
        victim_id="v",
        victim_name="Sam Sample",
        urn="01YZ1234524",
        agency="probation",
        event_type=URGENT if urgent else "offender-released",
        received_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        deadline=deadline,
        told_at=datetime(2026, 12, 20, 9, tzinfo=UTC) if status in (LATE, ON_TIME) else None,
        status=status,
        delay_days=None,
        days_late=days_late,
        urgent=urgent,
    )


def test_urgent_updates_come_first_in_the_not_told_and_told_late_lists() -> None:
    items = [
        _item("old-overdue", OVERDUE, date(2026, 12, 1), urgent=False, days_late=9),
        _item("ordinary-not-due", PENDING, date(2026, 12, 30), urgent=False),
        _item("urgent-not-due", PENDING, date(2026, 12, 29), urgent=True),
        _item("urgent-overdue", OVERDUE, date(2026, 12, 10), urgent=True, days_late=2),
        _item("told", ON_TIME, date(2026, 12, 2), urgent=True),
        _item("late-5", LATE, date(2026, 12, 2), urgent=False, days_late=5),
        _item("urgent-late-1", LATE, date(2026, 12, 3), urgent=True, days_late=1),
    ]
    # Urgent first (overdue or not yet due: either way the officer may need to phone now), then the
    # rest past their deadline, the longest overdue first; an ordinary update not due yet is not listed.
    assert [i.update_id for i in not_yet_told(items)] == ["urgent-overdue", "urgent-not-due", "old-overdue"]
    assert [i.update_id for i in late(items)] == ["urgent-late-1", "late-5"]


def _timeliness(app: Flask, officer: FlaskClient) -> tuple[str, int]:
    """The page's "Not told" list as text, and the statements of its second view."""
    officer.get("/staff/timeliness")
    with counting(app) as statements:
        response = officer.get("/staff/timeliness")
    assert response.status_code == 200
    text = page_text(response)
    return text[text.index("Not told and past the deadline") : text.index("Told late")], len(statements)


def _add(app: Flask, code: str, key: str) -> None:
    event = vocabulary.get_event_type(code)
    create_update(
        app,
        DEMO_CASE_URN,
        code,
        agency=str(event.agencies[0]),
        agency_event_id=key,
        details=dict(event.details_schema["examples"][0]),
    )


def test_the_officer_sees_an_urgent_update_not_told_yet_at_the_top_marked_urgent(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    _add(seeded, "offender-released", "ordinary-1")  # not due yet, and not urgent: not in the list
    before, statements = _timeliness(seeded, officer_client)
    assert "Urgent" not in before

    _add(seeded, URGENT, "urgent-1")  # its message is queued, not delivered: the victim is not told yet
    after, statements_after = _timeliness(seeded, officer_client)
    assert statements_after == statements  # no query per update for its urgency
    assert "Urgent updates are news about release, escape or a court order" in after
    rows = after.split("Sam Sample 01YZ1234524")
    assert rows[1].strip().startswith("Urgent Probation Service: offender-escaped"), rows[1][:80]
    assert after.count("Urgent Probation Service") == 1
    assert "offender-released" not in after

    for n in range(2, 5):
        _add(seeded, URGENT, f"urgent-{n}")
    many, statements_many = _timeliness(seeded, officer_client)
    assert many.count("Urgent Probation Service: offender-escaped") == 4
    assert statements_many == statements
