"""Query-count guards: the SQL statements a page runs must not grow with the number of updates.

A page that loads each update (or each message about one) with its own query is fast in a demo and slow
for a victim whose case has a long history. Each page is counted with 5 and then with 150 updates added to
the demo case (from all four agencies, each announced to the victim as the agency API would); the
counts must be equal, and so must they with two more cases for the victim. Case timelines are counted
on their first page, a later page and a source. Counted with a `before_cursor_execute` listener on the
app's engine, on SQLite and PostgreSQL; pages are counted on their second view (the victim's first view
of a timeline also records which updates they have now seen). The officer's case page must also read
the same number of rows with Code deadlines in them: those of the updates on the page, not all the
victim's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import Case
from portal.services import vocabulary
from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.agency_client import AgencyClient
from tests.support.builders import add_victim_to_case, create_case, create_update
from tests.support.statements import counting

AGENCIES = ("police", "cps", "witness_care", "probation")
EVENTS = {
    agency: [event for event in vocabulary.EVENT_TYPES.values() if agency in {str(a) for a in event.agencies}]
    for agency in AGENCIES
}


def _add_updates(app: Flask, start: int, count: int) -> None:
    """`count` updates on the demo case, the agencies taking turns, each announced to the victim."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        for index in range(start, start + count):
            agency = AGENCIES[index % len(AGENCIES)]
            kind = EVENTS[agency][index % len(EVENTS[agency])]
            at = now - timedelta(days=60) + timedelta(hours=index)
            create_update(
                session,
                case,
                kind.code,
                agency=agency,
                agency_event_id=f"query-count-{index}",
                occurred_at=at,
                received_at=at + timedelta(minutes=30),
                details=kind.details_schema["examples"][0],
            )


def _api_headers(app: Flask) -> dict[str, str]:
    with app.app_context():
        key = api_clients.demo_client("police").key
    return AgencyClient("http://localhost", key).headers()


def _statements(app: Flask, client: FlaskClient, path: str, *, api: bool = False) -> int:
    """Statements for the page's third view: the first opens what is new on it, the second keeps the
    victim's standing (opening updates makes a kept one stale), the third uses it. As in service: without
    the tests' check of a kept standing (KEPT_STANDING_CHECKED), which reads the case again."""
    app.config["KEPT_STANDING_CHECKED"] = False
    for _ in range(3):
        with counting(app) as statements:
            response = client.get(path, headers=_api_headers(app) if api else {})
        assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def _count_pages(
    app: Flask, victim: FlaskClient, officer: FlaskClient, worker: FlaskClient
) -> dict[str, int]:
    api = app.test_client()
    officer_case = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
    worker_case = f"/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
    return {
        "victim: your cases": _statements(app, victim, "/cases"),
        "victim: case timeline": _statements(app, victim, f"/cases/{DEMO_CASE_URN}"),
        "victim: case timeline, page 2": _statements(app, victim, f"/cases/{DEMO_CASE_URN}?page=2"),
        "victim: case timeline, police": _statements(app, victim, f"/cases/{DEMO_CASE_URN}?source=police"),
        "officer: victim": _statements(app, officer, f"/staff/victims/{DEMO_VICTIM_ID}"),
        "officer: case timeline": _statements(app, officer, officer_case),
        "officer: case timeline, page 2": _statements(app, officer, f"{officer_case}?page=2"),
        "support worker: case timeline": _statements(app, worker, worker_case),
        "support worker: case timeline, page 2": _statements(app, worker, f"{worker_case}?page=2"),
        "API: communications": _statements(
            app, api, f"/api/v1/cases/{DEMO_CASE_URN}/communications", api=True
        ),
        "API: preferences": _statements(
            app, api, f"/api/v1/cases/{DEMO_CASE_URN}/victims/{DEMO_VICTIM_ID}/preferences", api=True
        ),
    }


def _deadline_rows_read(app: Flask, client: FlaskClient, path: str) -> int:
    """Rows the page's second view reads with a Code deadline in them: each statement that selects
    `case_update.code_deadline`, run again after the page to count the rows it returned."""
    captured: list[tuple[str, Any]] = []

    def _capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "code_deadline" in statement:
            captured.append((statement, parameters))

    engine = app.extensions["database"].engine
    client.get(path)
    event.listen(engine, "before_cursor_execute", _capture)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    assert captured, "the page reads no Code deadline"
    with engine.connect() as conn:
        return sum(len(conn.exec_driver_sql(sql, parameters).all()) for sql, parameters in captured)


def _everyone(client: FlaskClient) -> int:
    """The number of updates the victim's timeline says it shows."""
    page = client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    found = re.search(r"Everyone \((\d+)\)", page)
    assert found is not None
    return int(found.group(1))


def test_statements_per_page_do_not_grow_with_updates(
    seeded: Flask, victim_client: FlaskClient, officer_client: FlaskClient, support_worker_client: FlaskClient
) -> None:
    victim, officer = victim_client, officer_client
    worker = support_worker_client  # the demo delegation lets the worker see Sam's updates

    _add_updates(seeded, 0, 5)  # 21 updates on the case: two pages
    shown_before = _everyone(victim)
    few = _count_pages(seeded, victim, officer, worker)

    _add_updates(seeded, 5, 145)
    assert _everyone(victim) == shown_before + 145  # the pages really do show the new updates
    many = _count_pages(seeded, victim, officer, worker)

    assert many == few


def test_first_view_of_a_timeline_records_what_was_seen_in_constant_statements(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """The first view of a page writes one "seen" row per new update on it, in one statement."""
    victim = victim_client
    victim.get(f"/cases/{DEMO_CASE_URN}")

    counts = []
    for start, count in ((0, 5), (5, 45)):
        _add_updates(seeded, start, count)
        with counting(seeded) as statements:
            assert victim.get(f"/cases/{DEMO_CASE_URN}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_officers_case_page_reads_the_deadlines_of_the_updates_it_shows_only(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    """The Code deadline and told time of each update are read for the page's updates only, not for
    every update the victim ever had: 145 more updates, the same rows read for the first page."""
    page = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
    _add_updates(seeded, 0, 5)
    few = _deadline_rows_read(seeded, officer_client, page)
    _add_updates(seeded, 5, 145)
    many = _deadline_rows_read(seeded, officer_client, page)
    assert few == many


def test_statements_per_page_do_not_grow_with_the_victims_cases(
    seeded: Flask, victim_client: FlaskClient, officer_client: FlaskClient, support_worker_client: FlaskClient
) -> None:
    """Two more cases of the officer's unit for the victim: every page runs the same statements (the
    officer's page of the victim lists each case, with its court needs)."""
    _add_updates(seeded, 0, 5)
    few = _count_pages(seeded, victim_client, officer_client, support_worker_client)
    with seeded.app_context(), db.job() as session:
        for urn, offence in (("01QC0000126", "Criminal damage"), ("01QC0000227", "Harassment")):
            add_victim_to_case(session, create_case(session, urn, offence=offence), DEMO_VICTIM_ID)
    many = _count_pages(seeded, victim_client, officer_client, support_worker_client)
    assert many == few


#: The victim's case page: the signed-in user (with their language preference and whether they gave any
#: delegation), the delegations whose changes they may not have seen (Sam gave one), the case, the kept
#: standing (with the counts by source and when Sam was told of each update), the page of updates, Sam's
#: answers to "Was this update clear?", Sam's requests on the case with their changes, the named contacts.
#: (A first view, with no kept standing yet, reads the case's updates and every told time instead, and
#: keeps the standing: two statements more.)
VICTIM_CASE_PAGE_STATEMENTS = 8


def test_the_victims_case_page_reads_what_it_shows_once(seeded: Flask, victim_client: FlaskClient) -> None:
    """The page victims open most: each thing it shows read once (it was 16 statements when the standing,
    the counts, the next hearing and the page each read the case's updates again)."""
    _add_updates(seeded, 0, 30)
    assert _statements(seeded, victim_client, f"/cases/{DEMO_CASE_URN}") <= VICTIM_CASE_PAGE_STATEMENTS


#: The officer's case page: the signed-in officer, the scope check (the victim is on the unit's cases, the
#: case is the unit's, the victim is on it), the case's updates (light columns) and when the victim was told
#: of each, the page of updates (with their Code deadlines), the audit record of the view, the named contacts.
OFFICER_CASE_PAGE_STATEMENTS = 9


def test_the_officers_case_page_reads_what_it_shows_once(seeded: Flask, officer_client: FlaskClient) -> None:
    """The officer's case page checks the officer's scope once and reads the case once (it was 21
    statements when the timeline, the timeliness, the named contacts and the standing each checked the
    scope again or read the case's updates, told times and contacts again), on any page of the timeline."""
    _add_updates(seeded, 0, 30)
    page = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
    for path in (page, f"{page}?page=2", f"{page}?source=police"):
        assert _statements(seeded, officer_client, path) <= OFFICER_CASE_PAGE_STATEMENTS, path


#: The support worker's case page: the signed-in worker, the check (the delegation in force with the
#: "see-updates" scope, the case, the victim on it), the case's updates (light columns) and when the victim
#: was told of each, the page of updates, the audit record of the view, the client's name.
SUPPORT_CASE_PAGE_STATEMENTS = 9


def test_the_support_workers_case_page_reads_what_it_shows_once(
    seeded: Flask, support_worker_client: FlaskClient
) -> None:
    """The worker's case page checks the delegation once and reads the case once (it was 16 statements when
    the standing checked the delegation again and read the case's updates again)."""
    _add_updates(seeded, 0, 30)
    page = f"/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
    for path in (page, f"{page}?page=2", f"{page}?source=police"):
        assert _statements(seeded, support_worker_client, path) <= SUPPORT_CASE_PAGE_STATEMENTS, path
