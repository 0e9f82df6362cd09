"""The victim's "Dates you cannot go to court and help you need at court" pages, on both databases."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import CourtNeedsVersion
from portal.services.court_needs.records import MAX_DATES
from tests.court_needs.helpers import BASE, URN, add_date, days_ahead
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit


def versions(app: Flask) -> list[CourtNeedsVersion]:
    with app.app_context(), db.job() as session:
        return list(session.scalars(select(CourtNeedsVersion).order_by(CourtNeedsVersion.version)))


def test_the_case_page_links_to_the_court_pages(victim_client: FlaskClient) -> None:
    page = victim_client.get(f"/cases/{URN}").get_data(as_text=True)
    assert f'href="{BASE}"' in page
    summary = page_text(victim_client.get(BASE))
    assert "You have not told us about any dates or help yet." in summary
    # Check answers is not reached before the needs are answered.
    assert victim_client.get(f"{BASE}/check").headers["Location"].endswith(f"{BASE}/needs")


def test_a_victim_adds_two_dates_and_a_need_and_saves_them(seeded: Flask, victim_client: FlaskClient) -> None:
    first, second = days_ahead(10), days_ahead(3)
    added = add_date(victim_client, first, "morning", "work")
    assert added.status_code == 302
    add_date(victim_client, second, "day", "holiday")
    page = page_text(victim_client.get(f"{BASE}/dates"))
    assert "You have added 2 dates" in page
    # Earliest first.
    assert page.index(f"{second.day} {second.strftime('%B')}") < page.index(
        f"{first.day} {first.strftime('%B')}"
    )
    assert versions(seeded) == []  # nothing kept before "Save your answers"

    to_needs = post_form(victim_client, f"{BASE}/dates", {"action": "continue"})
    assert to_needs.headers["Location"].endswith(f"{BASE}/needs")
    to_check = post_form(
        victim_client,
        f"{BASE}/needs",
        {"needs": ["screens", "interpreter"], "interpreter_language": "Polish"},
    )
    assert to_check.headers["Location"].endswith(f"{BASE}/check")
    check = page_text(victim_client.get(f"{BASE}/check"))
    assert "A screen so you do not see the defendant in court" in check
    assert "An interpreter: Polish" in check
    assert "Holiday already booked" in check

    saved = post_form(victim_client, f"{BASE}/check")
    assert saved.headers["Location"].endswith(BASE)
    summary = page_text(victim_client.get(BASE))
    assert "Your dates and the help you need at court have been saved" in summary
    assert "Morning" in summary and "Work" in summary
    [version] = versions(seeded)
    assert version.version == 1
    assert version.source == "victim online" and version.actor_role == "victim"
    assert version.document["needs"] == ["screens", "interpreter"]
    assert version.document["interpreter_language"] == "Polish"
    assert [item["date"] for item in version.document["dates"]] == [second.isoformat(), first.isoformat()]


def test_every_change_is_a_new_version_and_saving_nothing_new_adds_none(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    add_date(victim_client, days_ahead(5))
    post_form(victim_client, f"{BASE}/needs", {"needs": ["childcare"]})
    post_form(victim_client, f"{BASE}/check")
    # Change: remove the date, add the travel costs.
    page = victim_client.get(f"{BASE}/dates").get_data(as_text=True)
    assert 'name="index" value="0"' in page
    post_form(victim_client, f"{BASE}/dates/remove", {"index": "0"}, page=f"{BASE}/dates")
    post_form(victim_client, f"{BASE}/needs", {"needs": ["childcare", "travel-costs"]})
    post_form(victim_client, f"{BASE}/check")
    # The same answers again: no new version.
    post_form(victim_client, f"{BASE}/needs", {"needs": ["childcare", "travel-costs"]})
    post_form(victim_client, f"{BASE}/check")
    assert "You did not change anything." in page_text(victim_client.get(BASE))
    found = versions(seeded)
    assert [v.version for v in found] == [1, 2]
    assert found[0].document["dates"] and not found[1].document["dates"]
    assert found[1].changed_fields == ["dates", "travel-costs"]


def test_a_date_in_the_past_is_refused_and_the_answers_are_kept(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    yesterday = days_ahead(-1)
    refused = add_date(victim_client, yesterday, "afternoon", "religious")
    assert refused.status_code == 200
    text = page_text(refused)
    assert "There is a problem" in text and "The date must be today or in the future" in text
    # The answers stay on the page, and in the draft when the page is opened again.
    again = victim_client.get(f"{BASE}/dates").get_data(as_text=True)
    assert f'value="{yesterday.day}"' in again and f'value="{yesterday.year}"' in again
    assert 'value="afternoon" checked' in again and 'value="religious" checked' in again
    today = add_date(victim_client, days_ahead(0))
    assert today.status_code == 302


def test_an_unreal_or_incomplete_date_and_missing_choices_are_refused(victim_client: FlaskClient) -> None:
    missing = page_text(
        post_form(victim_client, f"{BASE}/dates", {"day": "31", "month": "", "year": "2030", "action": "add"})
    )
    assert "The date you cannot go to court must include a month" in missing
    assert "Select whether you cannot go all day, in the morning or in the afternoon" in missing
    assert "Select why you cannot go to court on this date" in missing
    unreal = page_text(
        post_form(
            victim_client,
            f"{BASE}/dates",
            {"day": "31", "month": "2", "year": "2031", "part": "day", "reason": "other", "action": "add"},
        )
    )
    assert "The date you cannot go to court must be a real date" in unreal


def test_more_than_twenty_dates_are_refused(seeded: Flask, victim_client: FlaskClient) -> None:
    for offset in range(MAX_DATES):
        assert add_date(victim_client, days_ahead(offset + 1)).status_code == 302
    page = page_text(victim_client.get(f"{BASE}/dates"))
    assert f"You have added {MAX_DATES} dates" in page
    refused = add_date(victim_client, days_ahead(60))
    assert refused.status_code == 200
    assert f"You can add up to {MAX_DATES} dates. Remove a date before you add another" in page_text(refused)
    post_form(victim_client, f"{BASE}/dates", {"action": "continue"})
    post_form(victim_client, f"{BASE}/needs", {})
    post_form(victim_client, f"{BASE}/check")
    [version] = versions(seeded)
    assert len(version.document["dates"]) == MAX_DATES


def test_a_need_that_asks_for_more_keeps_the_answers_on_an_error(victim_client: FlaskClient) -> None:
    refused = post_form(
        victim_client, f"{BASE}/needs", {"needs": ["interpreter", "access"], "anything_else": "A quiet room"}
    )
    assert refused.status_code == 200
    text = page_text(refused)
    assert "Enter the language you need an interpreter for" in text
    assert "Enter the help with access you need" in text
    again = victim_client.get(f"{BASE}/needs").get_data(as_text=True)
    assert 'value="interpreter" checked' in again and "A quiet room" in again


def test_other_victims_cases_are_not_found(seeded: Flask, victim_client: FlaskClient) -> None:
    other = create_other_unit(seeded)
    base = f"/cases/{other['urn']}/court-needs"
    for url in (base, f"{base}/dates", f"{base}/needs", f"{base}/check"):
        assert victim_client.get(url).status_code == 404, url
    token_page = victim_client.get(f"{BASE}/dates").get_data(as_text=True)
    assert token_page
    for url in (f"{base}/dates", f"{base}/dates/remove", f"{base}/needs", f"{base}/check", f"{base}/cancel"):
        assert post_form(victim_client, url, {"action": "add"}, page=f"{BASE}/dates").status_code == 404, url
    assert versions(seeded) == []
