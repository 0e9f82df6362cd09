""" "Download your information" in the language the victim reads the portal in (issue 17): the readable
page is `<html lang="cy">` with Welsh words and Welsh dates (UK time), each update worded as on the
timeline with the agency's English-only words marked and said; the JSON keeps its keys and codes, with
the Welsh of the agency's message beside the English. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from portal.extensions import db
from portal.models import CaseUpdate
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_update
from tests.support.demo import DEMO_PASSWORD, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in
from tests.welsh.conftest import compiled_welsh  # noqa: F401 (the compiled Welsh catalogue)

HTML = "/account/your-information/your-information.html"
JSON = "/account/your-information/your-information.json"
SUMMARY = "the appeal was dismissed, so the sentence stays the same"
MESSAGE = "Witness Care will phone you on Tuesday."
WELSH_MESSAGE = "Bydd yr Uned Gofal Tystion yn eich ffonio ddydd Mawrth."
# 14 March 2027 at 9:30am in London (GMT).
OCCURRED = datetime(2027, 3, 14, 9, 30, tzinfo=UTC)


def _in_welsh(app: Flask, english: str) -> str:
    with app.test_request_context(), force_locale("cy"):
        return gettext(english)


def _download(app: Flask, language: str) -> FlaskClient:
    client = signed_in(app, VICTIM)
    client.get(f"/language/{language}?next=/")
    post_form(client, "/account/your-information", {"password": DEMO_PASSWORD})
    return client


def _updates(app: Flask) -> tuple[str, str]:
    english_only = create_update(
        app,
        DEMO_CASE_URN,
        "appeal-outcome",
        agency="witness_care",
        agency_event_id="WCU-CY-FILE-1",
        occurred_at=OCCURRED,
        details={"outcome_summary": SUMMARY},
        message=MESSAGE,
    )
    both = create_update(
        app,
        DEMO_CASE_URN,
        "suspect-interviewed",
        agency="police",
        agency_event_id="POL-CY-FILE-2",
        occurred_at=OCCURRED,
        message=MESSAGE,
    )
    with app.app_context():
        stored = db.session.get(CaseUpdate, both.id)
        assert stored is not None
        stored.message_cy = WELSH_MESSAGE
        db.session.commit()
    return english_only.id, both.id


def _update_block(html: str, title: str) -> str:
    start = html.index(f"<strong>{title}</strong>")
    return html[start : html.index('<div class="update">', start)]


def test_the_readable_file_is_in_welsh_with_welsh_dates(seeded: Flask) -> None:
    _updates(seeded)
    english = _download(seeded, "en").get(HTML).get_data(as_text=True)
    assert '<html lang="en">' in english and "14 March 2027 at 9:30am" in english

    welsh = _download(seeded, "cy").get(HTML).get_data(as_text=True)
    assert '<html lang="cy">' in welsh
    assert "14 Mawrth 2027 am 9:30yb" in welsh and "14 March 2027" not in welsh
    text = page_text(welsh)
    for english_words in (
        "About you",
        "Your cases",
        "Messages we sent you",
        "Who has viewed your information",
    ):
        assert _in_welsh(seeded, english_words) in text, english_words
    # Words the catalogue already has in Welsh: no English left where the Welsh is known.
    assert "Eich achosion" in text and "Enw" in text and "Hawliau uwch Ie" in text
    assert "Enhanced rights Yes" not in text and " None " not in f" {text} "


def test_the_agencys_english_words_are_marked_and_said_once_per_update(seeded: Flask) -> None:
    _updates(seeded)
    welsh = _download(seeded, "cy").get(HTML).get_data(as_text=True)
    note = _in_welsh(seeded, "Some words in this update were sent in English only.")
    with seeded.test_request_context(), force_locale("cy"):
        appeal_title = gettext("The appeal has been decided")
        interview_title = gettext("The suspect has been interviewed")
    appeal = _update_block(welsh, appeal_title.replace("'", "&#39;"))
    assert f'<span lang="en">{SUMMARY}</span>' in appeal
    assert f'<dd lang="en">{MESSAGE}</dd>' in appeal
    assert page_text(appeal).count(note) == 1
    interview = _update_block(welsh, interview_title.replace("'", "&#39;"))
    assert WELSH_MESSAGE in interview and MESSAGE not in interview and note not in page_text(interview)


def test_the_json_keeps_its_keys_and_gives_the_welsh_beside_the_english(seeded: Flask) -> None:
    _updates(seeded)
    english = json.loads(_download(seeded, "en").get(JSON).get_data(as_text=True))
    welsh = json.loads(_download(seeded, "cy").get(JSON).get_data(as_text=True))
    assert english.keys() == welsh.keys()
    assert (
        welsh["service"] == "Diweddariadau am eich achos" and english["service"] == "Updates about your case"
    )
    updates = [update for case in welsh["cases"] for update in case["updates"]]
    [interview] = [update for update in updates if update["message_cy"]]
    assert interview["message"] == MESSAGE and interview["message_cy"] == WELSH_MESSAGE
    assert interview["happened_at"] == OCCURRED.isoformat() and interview["from"] == "police"
    assert interview["what"] == _in_welsh(seeded, "The suspect has been interviewed")
    assert interview["what"] != "The suspect has been interviewed"
