"""A long case timeline comes 20 updates to a page, for the victim, the witness care officer and a support
worker, through the Flask test client on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import updates as updates_data
from portal.extensions import db
from portal.models import Case, CaseUpdate, UpdateSeen, Victim
from portal.services.cases import records as case_records
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_case, create_delegation, create_update, create_victim
from tests.support.demo import demo_victim_id
from tests.support.pages import new_tags, page_text
from tests.support.scenarios import add_updates, make_world
from tests.support.signing_in import signed_in

DEMO_UPDATES = 16  # on the demo case, 5 of them from the police
CASE_PAGE = f"/cases/{DEMO_CASE_URN}"


def _timeline_ids(app: Flask, agency: str | None = None) -> list[str]:
    """The ids of the updates the victim's timeline shows, newest first, read straight from the database."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        victim = session.scalar(select(Victim).where(Victim.email == "victim@demo.example"))
        assert victim is not None
        updates = updates_data.updates_for_victim(session, [case.id], victim.id)
        return [u.id for u in updates if agency is None or u.agency == agency]


def _shown(html: str) -> list[str]:
    return re.findall(r'class="moj-timeline__item" id="update-([^"]+)"', html)


def _seen(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(UpdateSeen.update_id)))


def test_page_two_shows_updates_21_to_40(seeded: Flask, victim_client: FlaskClient) -> None:
    add_updates(seeded, 44)  # 60 updates: 3 pages
    ids = _timeline_ids(seeded)
    first = victim_client.get(CASE_PAGE).get_data(as_text=True)
    assert _shown(first) == ids[:20]
    assert "Showing 1 to 20 of 60 updates" in page_text(first, markup=True)
    assert "Everyone (60)" in first  # the filter still counts every update

    second = victim_client.get(f"{CASE_PAGE}?page=2")
    html = second.get_data(as_text=True)
    assert second.status_code == 200
    assert _shown(html) == ids[20:40]
    assert "Showing 21 to 40 of 60 updates" in page_text(html, markup=True)
    assert "(page 2 of 3)" in html.split("</title>")[0]
    assert 'class="govuk-pagination"' in html
    assert f'href="{CASE_PAGE}" rel="prev"' in html  # page 1 is the page without ?page=
    assert f'href="{CASE_PAGE}?page=3" rel="next"' in html
    assert 'aria-current="page">' in html.split('class="govuk-pagination"')[1]

    third = victim_client.get(f"{CASE_PAGE}?page=3").get_data(as_text=True)
    assert _shown(third) == ids[40:]
    assert "Showing 41 to 60 of 60 updates" in page_text(third, markup=True)
    assert 'rel="next"' not in third


def test_a_short_timeline_has_no_pagination(seeded: Flask, victim_client: FlaskClient) -> None:
    html = victim_client.get(CASE_PAGE).get_data(as_text=True)
    assert len(_shown(html)) == DEMO_UPDATES
    assert "govuk-pagination" not in html and "Showing" not in html
    assert victim_client.get(f"{CASE_PAGE}?page=1").status_code == 200


def test_pagination_links_keep_the_source_and_filter_links_go_back_to_page_one(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    add_updates(seeded, 40)  # 45 from the police: 3 pages of them
    police = _timeline_ids(seeded, "police")
    page = victim_client.get(f"{CASE_PAGE}?source=police&page=2").get_data(as_text=True)
    assert _shown(page) == police[20:40]
    assert "Showing 21 to 40 of 45 updates" in page_text(page, markup=True)
    pagination = page.split('class="govuk-pagination"')[1].split("</nav>")[0]
    links = re.findall(r'href="([^"]+)"', pagination)
    assert links and all("source=police" in link for link in links)
    assert f"{CASE_PAGE}?source=police&amp;page=3" in links
    assert f"{CASE_PAGE}?source=police" in links  # page 1
    # The filter starts each source at its first page.
    filters = page.split('aria-label="Show updates from"')[1].split("</nav>")[0]
    assert "page=" not in filters
    assert f'href="{CASE_PAGE}?source=cps"' in filters and f'href="{CASE_PAGE}"' in filters


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "%201", "4", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_not_found(
    seeded: Flask, victim_client: FlaskClient, page: str
) -> None:
    add_updates(seeded, 44)  # 3 pages
    response = victim_client.get(f"{CASE_PAGE}?page={page}")
    assert response.status_code == 404
    assert _seen(seeded) == set()


def test_page_one_of_an_empty_timeline_is_fine_and_page_two_is_not(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    with seeded.app_context(), db.job() as session:
        sam = session.scalar(select(Victim).where(Victim.email == "victim@demo.example"))
        case = create_case(session, "01EF2222226", offence="Criminal damage")
        case_records.add_victim(session, case, sam)
    assert victim_client.get("/cases/01EF2222226?page=1").status_code == 200
    assert victim_client.get("/cases/01EF2222226?page=2").status_code == 404
    # A source with no updates has one (empty) page too.
    assert victim_client.get("/cases/01EF2222226?source=police&page=1").status_code == 200


def test_only_the_updates_shown_are_recorded_as_seen(seeded: Flask, victim_client: FlaskClient) -> None:
    add_updates(seeded, 44)
    ids = _timeline_ids(seeded)
    assert "60 new updates" in page_text(victim_client.get("/cases"), markup=True)

    victim_client.get(f"{CASE_PAGE}?page=2")
    assert _seen(seeded) == set(ids[20:40])
    assert "40 new updates" in page_text(victim_client.get("/cases"), markup=True)

    assert new_tags(victim_client.get(CASE_PAGE).get_data(as_text=True)) == 20
    assert _seen(seeded) == set(ids[:40])
    assert new_tags(victim_client.get(f"{CASE_PAGE}?page=2").get_data(as_text=True)) == 0  # seen before
    assert new_tags(victim_client.get(f"{CASE_PAGE}?page=3").get_data(as_text=True)) == 20


def test_updates_for_another_victim_and_superseded_ones_are_neither_counted_nor_shown(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    add_updates(seeded, 24)  # 40 updates: 2 full pages
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        other = create_victim(session, "Pat", "Placeholder", case=case, email="pat@demo.example")
        create_update(
            session,
            case,
            "investigation-update",
            agency="police",
            agency_event_id="for-pat",
            victim_id=other.id,
            announce=False,
        )
        oldest = session.scalars(
            select(CaseUpdate).where(CaseUpdate.case_id == case.id).order_by(CaseUpdate.occurred_at)
        ).first()
        assert oldest is not None
        oldest.superseded = True
    html = victim_client.get(CASE_PAGE).get_data(as_text=True)
    assert "Showing 1 to 20 of 39 updates" in page_text(html, markup=True) and "Everyone (39)" in html
    assert victim_client.get(f"{CASE_PAGE}?page=2").status_code == 200
    assert victim_client.get(f"{CASE_PAGE}?page=3").status_code == 404


def test_the_next_hearing_comes_from_the_latest_hearing_update_on_any_page(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    add_updates(seeded, 30)  # the hearing update is now on page 2
    hearing = "Next hearing: 18 January 2027 at 10am, Exampletown Crown Court"
    assert hearing in page_text(victim_client.get(CASE_PAGE), markup=True)
    # Postponed, new date not known yet: the earlier date no longer holds.
    add_updates(seeded, 1, "witness_care", "hearing-adjourned", {"reason": "the court flooded"})
    assert "Next hearing" not in page_text(victim_client.get(CASE_PAGE), markup=True)
    assert "No hearing arranged" in page_text(victim_client.get("/cases"), markup=True)


def test_the_officer_case_timeline_is_paginated_and_opens_at_a_given_update(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    add_updates(seeded, 44)
    ids = _timeline_ids(seeded)
    victim_id = demo_victim_id(seeded)
    officer = officer_client
    path = f"/staff/victims/{victim_id}/cases/{DEMO_CASE_URN}"
    html = officer.get(f"{path}?page=2").get_data(as_text=True)
    assert _shown(html) == ids[20:40]
    assert "Showing 21 to 40 of 60 updates" in page_text(html, markup=True)
    assert f'href="{path}?page=3" rel="next"' in html
    assert "(page 2 of 3)" in html.split("</title>")[0]
    assert officer.get(f"{path}?page=4").status_code == 404
    assert officer.get(f"{path}?page=two").status_code == 404
    # From the timeliness report: the page that shows the update.
    assert ids[45] in _shown(officer.get(f"{path}?update={ids[45]}").get_data(as_text=True))
    assert _shown(officer.get(f"{path}?update=no-such-update").get_data(as_text=True)) == ids[:20]
    assert _seen(seeded) == set()  # an officer's view tells the victim nothing


def test_the_support_workers_case_timeline_is_paginated(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["see-updates"])
    add_updates(seeded, 44)
    police = _timeline_ids(seeded, "police")
    worker = signed_in(seeded, "support@demo.example")
    path = f"/support/clients/{world.victim}/cases/{DEMO_CASE_URN}"
    html = worker.get(f"{path}?source=police&page=3").get_data(as_text=True)
    assert _shown(html) == police[40:]
    assert "Showing 41 to 49 of 49 updates" in page_text(html, markup=True)
    assert f'href="{path}?source=police&amp;page=2" rel="prev"' in html
    assert "(page 3 of 3)" in html.split("</title>")[0]
    assert worker.get(f"{path}?page=4").status_code == 404
    assert worker.get(f"{path}?page=x").status_code == 404
    assert _seen(seeded) == set()
