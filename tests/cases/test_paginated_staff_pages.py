"""The timeliness report's lists come 50 rows a page (issue 21, item 7: a unit's report had rendered
3,000+ rows): each list has its own GOV.UK pagination, whose links keep the period and the other list's
page; page 2 shows the rows after the first 50, in the same order; a page past the last is a 404. The
figures and the CSV still cover the whole period."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import OrganisationKind, Role, UpdateSeen
from portal.services.cases import timeliness
from tests.support.builders import create_case, create_organisation, create_update, create_user, create_victim
from tests.support.pages import page_text
from tests.support.signing_in import sign_in

NOT_TOLD = 53  # one more page than the first 50
TOLD_LATE = 2
FIRST_MONDAY = date(2024, 1, 1)
PERIOD = "start-day=1&start-month=1&start-year=2024&end-day=31&end-month=3&end-year=2025"


def received_on(week: int) -> date:
    """A Monday, `week` weeks after 1 January 2024: every update has its own deadline, in week order."""
    return FIRST_MONDAY + timedelta(weeks=week)


def build(app: Flask) -> None:
    """Unit 03's victim, with 53 updates never told (the oldest deadline first) and 2 told late."""
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Unit 03", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="03"
        )
        create_user(
            session,
            "wcu3@example.test",
            display_name="Wendy Three",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
        case = create_case(session, "03PP0000126", offence="Burglary")
        victim = create_victim(session, "Pat", "Paged", case=case)
        for week in range(NOT_TOLD + TOLD_LATE):
            day = received_on(week)
            update = create_update(
                session,
                case,
                "suspect-arrested",
                agency="police",
                agency_event_id=f"arrest-{week}",
                occurred_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC),
                announce=False,
            )
            if week >= NOT_TOLD:  # opened a month later: told late
                session.add(
                    UpdateSeen(
                        update_id=update.id,
                        victim_id=victim.id,
                        seen_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
                        + timedelta(days=30),
                    )
                )


def _rows(html: str, heading_id: str) -> list[str]:
    """The text of each body row of the table after the heading with this id."""
    section = html[html.index(f'id="{heading_id}"') :]
    section = section[: section.index("</table>")]
    body = section[section.index("<tbody") :]
    return [
        page_text(row).strip() for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    ]


def _date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def test_the_lists_of_the_timeliness_report_come_a_page_at_a_time(app: Flask, client: FlaskClient) -> None:
    build(app)
    sign_in(client, "wcu3@example.test")
    first = client.get(f"/staff/timeliness?{PERIOD}")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    rows = _rows(html, "not-told")
    assert len(rows) == timeliness.LIST_PAGE_SIZE == 50
    assert all(_date(received_on(week)) in rows[week] for week in range(50))
    text = page_text(html)
    assert "53 updates not told" in text  # the table's caption counts the whole list
    assert "Showing 1 to 50 of 53 updates" in text
    assert "Pat Paged" in text
    # The figures and the CSV are for the whole period, not a page.
    assert "All agencies All event types 55 0 2 53 0 0.0%" in text
    csv_rows = list(
        csv.reader(io.StringIO(client.get(f"/staff/timeliness.csv?{PERIOD}").get_data(as_text=True)))
    )
    assert csv_rows[-1][:9] == ["all", "all", "All event types", "55", "0", "2", "53", "0", "0.0"]
    # The pagination of the list: its links keep the period and bring the reader back to the list.
    nav = html[html.index('aria-label="Pages of updates not told"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'href="([^"]*)"', nav)
    page_two = next(link for link in links if "not-told-page=2" in link)
    assert page_two.endswith("#not-told")
    for part in PERIOD.split("&"):
        assert part in page_two.replace("&amp;", "&"), part
    assert 'aria-label="Pages of updates told late"' not in html  # 2 rows: one page, no pagination

    second = client.get(page_two.replace("&amp;", "&").split("#")[0])
    assert second.status_code == 200
    later = _rows(second.get_data(as_text=True), "not-told")
    assert len(later) == NOT_TOLD - 50
    assert all(_date(received_on(week)) in later[week - 50] for week in range(50, NOT_TOLD))
    assert _date(received_on(0)) not in " ".join(later)
    assert "Showing 51 to 53 of 53 updates" in page_text(second)
    # The other list is still on its first (and only) page.
    assert len(_rows(second.get_data(as_text=True), "told-late")) == TOLD_LATE
    # A page past the last, or not a page at all, is not found.
    assert client.get(f"/staff/timeliness?{PERIOD}&not-told-page=3").status_code == 404
    assert client.get(f"/staff/timeliness?{PERIOD}&late-page=2").status_code == 404
    assert client.get(f"/staff/timeliness?{PERIOD}&late-page=x").status_code == 404
