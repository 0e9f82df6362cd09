"""The timeliness report, its lists and its CSV, against a hand-computed fixture (both databases).

The fixture (one unit, force 01; standard-rights victims A and B on case 01TT0000126):

| update | agency / type                    | received (UTC)   | deadline      | told                                          | outcome           |
|--------|----------------------------------|------------------|---------------|-----------------------------------------------|-------------------|
| U1     | witness_care hearing-scheduled 1 | Thu 24 Dec 10:00 | Tue 29 Dec    | A: opened Tue 29 Dec 18:00                    | on time, delay 1  |
|        | (for everyone on the case)       |                  |               | B: delivered Wed 30 Dec 09:00 (opened later)  | late 1, delay 2   |
| U2     | witness_care verdict 1 (A only)  | Wed 23 Dec 15:00 | Thu 24 Dec    | opened Thu 24 Dec 09:00, delivered 11:00      | on time, delay 1  |
| U3     | police suspect-arrested 5 (A)    | Mon 21 Dec 09:00 | Wed 30 Dec    | not told (a support worker's copy doesn't count) | overdue 3        |
| U4     | cps charge-altered 5 (A)         | Thu 31 Dec 12:00 | Fri 8 Jan 27  | not told                                      | not due yet       |
| U5     | police, received 30 November     | outside the period                                                                 |
| U6     | another force's case             | not this unit's                                                                    |
| U7     | superseded by a correction       | not counted                                                                        |

25 and 28 December 2026 and 1 January 2027 are bank holidays. "Now" is Tuesday 5 January 2027, 12:00.
Delays are working days from receipt to being told; days late/overdue are working days after the
deadline day (U3: 31 Dec, 4 and 5 Jan). Expected figures: witness care 2 of 3 on time (66.7%), median
delay 1; police 0 of 1 (0.0%); CPS nothing measured yet; all agencies 2 of 4 (50.0%), median 1.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from notifications import outbox
from portal.extensions import db
from portal.models import Communication, OrganisationKind, Role, UpdateSeen, User, Victim
from portal.services.cases import records as case_records
from tests.support.builders import create_case, create_organisation, create_update, create_user, create_victim
from tests.support.pages import page_text
from tests.support.signing_in import sign_in

NOW = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
PERIOD = "start-day=1&start-month=12&start-year=2026&end-day=31&end-month=12&end-year=2026"


def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def build(app: Flask) -> dict[str, Any]:
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Unit 01", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="01"
        )
        create_user(
            session,
            "wcu@example.test",
            display_name="Wendy Witness-Care",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
        supporter = create_user(
            session,
            "sw@example.test",
            display_name="Support",
            role=Role.SUPPORT_WORKER,
            password=None,
            mfa_method=None,
        )
        a = create_victim(session, "Alex", "Able")
        b = create_victim(session, "Bo", "Baker")
        case = create_case(session, "01TT0000126", offence="Assault")
        other = create_case(session, "02TT0000126", offence="Theft")
        for victim in (a, b):
            case_records.add_victim(session, case, victim)
        case_records.add_victim(session, other, b)
        session.refresh(case)
        session.refresh(other)
        hearing = {"hearing_at": "2027-01-18T10:00:00+00:00", "court_name": "Exampletown Crown Court"}

        def update(
            target: Any,
            key: str,
            agency: str,
            kind: str,
            received: str,
            victim: Victim | None,
            details: dict | None = None,
        ) -> Any:
            return create_update(
                session,
                target,
                kind,
                agency=agency,
                agency_event_id=key,
                occurred_at=at(received),
                details=details or {},
                victim_id=victim.id if victim else None,
                announce=False,
            )

        u1 = update(case, "u1", "witness_care", "hearing-scheduled", "2026-12-24T10:00", None, hearing)
        u2 = update(case, "u2", "witness_care", "verdict", "2026-12-23T15:00", a)
        u3 = update(case, "u3", "police", "suspect-arrested", "2026-12-21T09:00", a)
        u4 = update(case, "u4", "cps", "charge-altered", "2026-12-31T12:00", a)
        update(case, "u5", "police", "suspect-interviewed", "2026-11-30T09:00", a)
        update(other, "u6", "police", "suspect-arrested", "2026-12-10T09:00", b)
        u7 = update(case, "u7", "police", "investigation-update", "2026-12-11T09:00", a)
        u7.superseded = True

        def delivered(update_id: str, victim: Victim, when: str, support_worker: User | None = None) -> None:
            message = outbox.enqueue(
                session, channel="sms", recipient="07700900123", body="There is an update."
            )
            message.status, message.delivered_at = outbox.DELIVERED, at(when)
            session.add(Communication(victim_id=victim.id, update_id=update_id, outbound_message_id=message.id,
                                      channel="sms", purpose="update",
                                      recipient_user_id=support_worker.id if support_worker else None))  # fmt: skip

        session.add(UpdateSeen(update_id=u1.id, victim_id=a.id, seen_at=at("2026-12-29T18:00")))
        delivered(u1.id, b, "2026-12-30T09:00")
        session.add(UpdateSeen(update_id=u1.id, victim_id=b.id, seen_at=at("2027-01-04T10:00")))
        session.add(UpdateSeen(update_id=u2.id, victim_id=a.id, seen_at=at("2026-12-24T09:00")))
        delivered(u2.id, a, "2026-12-24T11:00")
        delivered(u3.id, a, "2026-12-22T09:00", support_worker=supporter)
        session.flush()
        deadlines = {u.agency_event_id: u.code_deadline for u in (u1, u2, u3, u4)}
        return {"a": a.id, "b": b.id, "deadlines": deadlines, "u1": u1.id, "u3": u3.id}


def test_deadlines_in_the_fixture_are_the_hand_computed_ones(app: Flask) -> None:
    fixture = build(app)
    assert fixture["deadlines"] == {
        "u1": date(2026, 12, 29),  # Thu 24 Dec + 1 working day, over Christmas
        "u2": date(2026, 12, 24),
        "u3": date(2026, 12, 30),  # 22, 23, 24, 29, 30
        "u4": date(2027, 1, 8),  # 4, 5, 6, 7, 8 January (1 January is a bank holiday)
    }


def report(client: FlaskClient, path: str) -> Any:
    """The page as the unit's officer sees it on Tuesday 5 January 2027 (signing in the first time)."""
    with time_machine.travel(NOW, tick=False):
        if client.get("/staff/timeliness").status_code != 200:
            sign_in(client, "wcu@example.test")
        return client.get(path)


def test_report_figures_chart_and_lists(app: Flask, client: FlaskClient) -> None:
    fixture = build(app)
    response = report(client, f"/staff/timeliness?{PERIOD}")
    assert response.status_code == 200
    page = page_text(response)
    assert "1 December 2026 to 31 December 2026" in page
    assert (
        "50.0% of victims were told on time (2 of 4 whose deadline has passed or who have been told)" in page
    )
    # The table alternative to the chart: agency, event, updates, on time, late, overdue, not due, %, median.
    assert "Witness Care All event types 3 2 1 0 0 66.7% 1" in page
    assert "Police All event types 1 0 0 1 0 0.0% –" in page
    assert "Crown Prosecution Service All event types 1 0 0 0 1 – –" in page
    assert "All agencies All event types 5 2 1 1 1 50.0% 1" in page
    assert "A court hearing has been arranged (hearing-scheduled) 2 1 1 0 0 50.0% 1.5" in page
    assert "Someone has been investigated" not in page  # the superseded update
    # The chart: an accessible SVG with the same figures.
    html = response.get_data(as_text=True)
    assert '<svg class="app-chart" role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "Witness Care: 66.7% on time (3 measured)." in page
    assert 'width="200.1"' in html  # 66.7% of the 300-wide plot
    # Not told and past the deadline: U3 for Alex, 3 working days. Told late: U1 for Bo, 1 day late.
    not_told = page[page.index("Not told and past the deadline") : page.index("Told late")]
    assert "Alex Able 01TT0000126 Police: suspect-arrested 21 December 2026 30 December 2026 – 3" in not_told
    told_late = page[page.index("Told late") :]
    assert (
        "Bo Baker 01TT0000126 Witness Care: hearing-scheduled 24 December 2026 29 December 2026 30 December 2026 1"
        in told_late
    )
    # The link opens the page of the (paginated) case timeline that shows the update.
    assert (
        f"/staff/victims/{fixture['b']}/cases/01TT0000126?update={fixture['u1']}#update-{fixture['u1']}"
        in html
    )


def test_csv_download_has_the_same_figures(app: Flask, client: FlaskClient) -> None:
    build(app)
    response = report(client, f"/staff/timeliness.csv?{PERIOD}")
    assert response.mimetype == "text/csv"
    assert 'filename="timeliness-2026-12-01-to-2026-12-31.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    by_key = {(row[0], row[1]): row[3:] for row in rows[2:]}
    assert by_key[("witness_care", "hearing-scheduled")] == ["2", "1", "1", "0", "0", "50.0", "1.5"]
    assert by_key[("witness_care", "verdict")] == ["1", "1", "0", "0", "0", "100.0", "1"]
    assert by_key[("police", "suspect-arrested")] == ["1", "0", "0", "1", "0", "0.0", ""]
    assert by_key[("cps", "charge-altered")] == ["1", "0", "0", "0", "1", "", ""]
    assert by_key[("witness_care", "all")] == ["3", "2", "1", "0", "0", "66.7", "1"]
    assert by_key[("all", "all")] == ["5", "2", "1", "1", "1", "50.0", "1"]
    assert len(rows) == 2 + 4 + 4  # header lines, four event types, three agencies and all


def test_the_victim_opening_an_update_tells_them(app: Flask, client: FlaskClient) -> None:
    fixture = build(app)
    with app.app_context(), db.job() as session:
        session.add(
            UpdateSeen(update_id=fixture["u3"], victim_id=fixture["a"], seen_at=at("2026-12-30T20:00"))
        )
    page = page_text(report(client, f"/staff/timeliness?{PERIOD}"))
    assert "Police All event types 1 1 0 0 0 100.0% 7" not in page  # not 7: 22, 23, 24, 29, 30 = 5
    assert "Police All event types 1 1 0 0 0 100.0% 5" in page
    assert "75.0% of victims were told on time (3 of 4" in page


def test_date_errors_are_shown_and_no_report_is_made(app: Flask, client: FlaskClient) -> None:
    build(app)
    bad = "start-day=31&start-month=2&start-year=2026&end-day=1&end-month=1&end-year="
    response = report(client, f"/staff/timeliness?{bad}")
    page = page_text(response)
    assert "There is a problem" in page
    assert "The start date must be a real date" in page
    assert "The end date must include a year" in page
    assert 'value="31"' in response.get_data(as_text=True)
    assert "victims were told on time" not in page
    backwards = page_text(
        report(
            client,
            "/staff/timeliness?start-day=2&start-month=1&start-year=2027&end-day=1&end-month=12&end-year=2026",
        )
    )
    assert "The end date must be the same as or after the start date" in backwards


def test_another_units_officer_sees_none_of_it(app: Flask, client: FlaskClient) -> None:
    build(app)
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Unit 02", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="02"
        )
        create_user(
            session,
            "wcu2@example.test",
            display_name="Other",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
    with time_machine.travel(NOW, tick=False):
        sign_in(client, "wcu2@example.test")
        page = page_text(client.get(f"/staff/timeliness?{PERIOD}"))
    # Only U6 (force 02, Bo, 5 working days from 10 December: due 17 December, never told).
    assert "All agencies All event types 1 0 0 1 0 0.0% –" in page
    assert "Alex Able" not in page
