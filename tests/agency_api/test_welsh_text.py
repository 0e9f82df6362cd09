"""An agency's own words in Welsh (issue 17): an update may carry `message_cy` beside `message`. A victim
reading in Welsh sees the Welsh; where the agency sent no Welsh they see the English, marked as English
and with a note saying plainly that it was sent only in English. English readers always see the English."""

from __future__ import annotations

import re
from collections.abc import Callable

import requests
from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient
from tests.support.pages import page_text
from tests.support.signing_in import sign_in_with_totp
from tests.welsh.conftest import compiled_welsh  # noqa: F401 (the compiled Welsh catalogue)

ENGLISH = "Witness care will phone you on Tuesday."
WELSH = "Bydd yr Uned Gofal Tystion yn eich ffonio ddydd Mawrth."


def _update(event_id: str, **extra: str) -> dict:
    return {
        "event_id": event_id,
        "type": "suspect-interviewed",
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
        **extra,
    }


def _entry(client: FlaskClient, update_id: str) -> str:
    html = client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    start = html.index(f'id="update-{update_id}"')
    return html[start : html.index("</div>\n", html.index("moj-timeline__description", start))]


def test_a_welsh_reader_sees_the_welsh_words_and_is_told_when_there_are_none(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    both = police.send_updates(DEMO_CASE_URN, _update("POL-CY-1", message=ENGLISH, message_cy=WELSH))
    english_only = police.send_updates(DEMO_CASE_URN, _update("POL-CY-2", message=ENGLISH))
    assert both.status_code == english_only.status_code == 201
    assert both.json()["message_cy"] == WELSH and english_only.json()["message_cy"] is None

    sign_in_with_totp(seeded, client, "victim@demo.example")
    assert ENGLISH in page_text(_entry(client, both.json()["id"]))
    client.get("/language/cy?next=/")
    welsh_entry = _entry(client, both.json()["id"])
    assert WELSH in page_text(welsh_entry) and ENGLISH not in welsh_entry
    assert "yn Saesneg yn unig" not in welsh_entry
    english_entry = _entry(client, english_only.json()["id"])
    assert re.search(
        r'<p class="govuk-body app-word-break" lang="en">\s*' + re.escape(ENGLISH), english_entry
    )
    assert "Anfonwyd y neges hon yn Saesneg yn unig." in page_text(english_entry)


def test_welsh_text_is_checked_like_the_english(seeded: Flask, agency: Callable[[str], AgencyClient]) -> None:
    response = agency("police").send_updates(DEMO_CASE_URN, _update("POL-CY-3", message_cy="a\u0007b"))
    assert response.status_code == 400
    assert "message_cy" in response.text


def test_the_openapi_document_describes_message_cy(api_site: str) -> None:
    document = requests.get(f"{api_site}/api/v1/openapi.json", timeout=10).json()
    schemas = document["components"]["schemas"]
    variant = schemas["Update_suspect_interviewed"]["properties"]
    assert "Welsh" in variant["message_cy"]["description"]
    assert variant["message_cy"]["maxLength"] == variant["message"]["maxLength"]
