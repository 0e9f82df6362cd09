"""Victims say whether an update was clear: under each update on their own timeline, once per update,
changeable, through a plain form; never asked of a support worker; what they write is theirs alone."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import template_helpers
from portal.extensions import db
from portal.models import UpdateRating
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.pages import page_text, post_form

CASE = f"/cases/{DEMO_CASE_URN}"


def _first_update_id(html: str) -> str:
    found = re.search(r'id="update-([0-9a-f-]{36})"', html)
    assert found
    return found.group(1)


def _ratings(app: Flask) -> list[tuple[str, bool, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(UpdateRating).where(UpdateRating.victim_id == DEMO_VICTIM_ID))
        return sorted((r.update_id, r.clear, r.unclear) for r in rows if not r.demo)


def test_each_update_asks_whether_it_was_clear(seeded: Flask, victim_client: FlaskClient) -> None:
    html = victim_client.get(CASE).get_data(as_text=True)
    updates = len(re.findall(r'class="moj-timeline__item"', html))
    asked = len(re.findall(r'action="/cases/[^"]+/updates/[0-9a-f-]+/clear"', html))
    assert updates > 1
    assert asked == updates
    # Asked plainly: no error shows before the victim has answered anything.
    assert "govuk-error-message" not in html and "govuk-form-group--error" not in html


def test_a_victim_rates_an_update_unclear_then_changes_their_answer(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update_id = _first_update_id(victim_client.get(CASE).get_data(as_text=True))
    url = f"{CASE}/updates/{update_id}/clear"
    response = post_form(
        victim_client, url, {"clear": "no", "unclear": "  What does adjourned mean?  "}, page=CASE
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{CASE}#update-{update_id}")
    assert _ratings(seeded) == [(update_id, False, "What does adjourned mean?")]
    page = page_text(victim_client.get(CASE))
    assert "You told us this update was not clear." in page
    assert "Thank you. Your answer helps agencies write clearer updates." in page

    post_form(victim_client, url, {"clear": "yes", "unclear": "ignored when clear"}, page=CASE)
    assert _ratings(seeded) == [(update_id, True, None)]  # one answer per victim and update, changed
    assert "You told us this update was clear." in page_text(victim_client.get(CASE))


def test_no_answer_or_too_long_an_answer_is_an_error(seeded: Flask, victim_client: FlaskClient) -> None:
    update_id = _first_update_id(victim_client.get(CASE).get_data(as_text=True))
    url = f"{CASE}/updates/{update_id}/clear"
    response = post_form(victim_client, url, {"unclear": "x"})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text and "Select yes if this update was clear" in text
    response = post_form(victim_client, url, {"clear": "no", "unclear": "x" * 501})
    assert "What was unclear must be 500 characters or fewer" in page_text(response)
    assert _ratings(seeded) == []


def test_an_update_not_on_the_victims_timeline_is_not_found(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    response = post_form(
        victim_client,
        f"{CASE}/updates/00000000-0000-4000-8000-000000000000/clear",
        {"clear": "yes"},
        page=CASE,
    )
    assert response.status_code == 404


def test_a_support_worker_is_never_asked(seeded: Flask, support_worker_client: FlaskClient) -> None:
    html = support_worker_client.get(f"/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}").get_data(
        as_text=True
    )
    assert "moj-timeline__item" in html
    assert "Was this update clear?" not in html


def test_each_form_made_from_the_page_s_stand_in_is_the_form_rendered_for_its_update(app: Flask) -> None:
    """A timeline page renders the unanswered form once, for a stand-in, and copies it for each update:
    each copy must be exactly the form rendered for that update, its title escaped."""
    entry = type(
        "Entry", (), {"update_id": "0b5e9c1a-3f2d-4c8e-9a7b-1d2e3f4a5b6c", "title": 'Tom & "Jo" <b>ok</b>'}
    )
    with app.test_request_context("/cases/01AB2345678"):
        module = app.jinja_env.get_template("victim/_rating.html").make_module({})
        blank = module.rating_form(
            "01AB2345678",
            template_helpers.RATING_STAND_IN_ID,
            template_helpers.RATING_STAND_IN_TITLE,
            None,
            2,
        )
        copied = str(template_helpers.rating_copy(blank, entry.update_id, entry.title))
        rendered = str(module.rating("01AB2345678", entry, None, 2)).strip()
    assert copied.strip() == rendered
    assert "Tom &amp; &#34;Jo&#34; &lt;b&gt;ok&lt;/b&gt;" in copied and "<b>ok" not in copied
    assert 'id="clear-0b5e9c1a"' in copied and "/updates/0b5e9c1a-3f2d-4c8e-9a7b-1d2e3f4a5b6c/clear" in copied
    assert "ffffffff" not in copied and "STAND-IN" not in copied
