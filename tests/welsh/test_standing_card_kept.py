"""The "Where things stand now" card is rendered once per web process for each standing, reader and
language, and then reused (portal/template_helpers.py: case_standing). What each reader sees must still
be their own card: in the language of their page, and in the victim's words ("you") or a member of
staff's (the victim's name, no contacts) for one and the same standing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from portal import template_helpers
from portal.services.cases import standing
from portal.services.demo_data import DEMO_CASE_URN

CARD_EN = "Where things stand now"
CARD_CY = "Sefyllfa bresennol"


def _card(page: str) -> str:
    start = page.index('id="case-standing"')
    return page[start : page.index("</dl>", start)]


def test_the_card_follows_the_language_of_each_view(victim_client: FlaskClient) -> None:
    path = f"/cases/{DEMO_CASE_URN}"
    english = victim_client.get(path).get_data(as_text=True)
    assert CARD_EN in english

    victim_client.get("/language/cy?next=/")
    welsh = victim_client.get(path).get_data(as_text=True)
    assert CARD_CY in welsh and CARD_EN not in welsh
    assert "Your rights now" not in _card(welsh)

    victim_client.get("/language/en?next=/")
    assert _card(victim_client.get(path).get_data(as_text=True)) == _card(english)


@pytest.mark.sqlite_only  # rendering only: no database
def test_one_standing_gets_the_victims_words_and_a_staff_members_words(app: Flask) -> None:
    where = standing.standing([], datetime.now(UTC))
    with app.test_request_context("/"):
        victims = str(template_helpers.case_standing(where))
        staffs = str(template_helpers.case_standing(where, who="Sam Taylor", show_contacts=False))
        victims_again = str(template_helpers.case_standing(where))
    assert "Your rights now" in victims and "Your contacts" in victims
    assert "Rights open now" in staffs and "Your contacts" not in staffs and "Named contacts" not in staffs
    assert victims_again == victims


@pytest.mark.sqlite_only  # rendering only: no database
def test_one_standing_in_english_and_in_welsh(app: Flask) -> None:
    where = standing.standing([], datetime.now(UTC))  # nothing in it is worded yet: the same in both
    with app.test_request_context("/"):
        english = str(template_helpers.case_standing(where))
        with force_locale("cy"):
            welsh = str(template_helpers.case_standing(where))
    assert CARD_EN in english and CARD_CY in welsh and CARD_EN not in welsh
