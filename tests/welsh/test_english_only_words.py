"""An agency's own words sent in English only, in Welsh pages and messages (issue 17: "shows the victim
the language they chose (English where no Welsh was sent, said plainly)"). The free text among an
update's details (a reason, a summary of the appeal, bail conditions) and a named contact's hours are
shown as sent, marked `lang="en"` on a page so that a screen reader says them in English, and said once
per update or contact. English readers see nothing of it. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.messaging import bilingual, messages
from portal.template_helpers import english_marked
from tests.support.builders import add_victim_to_case, create_case, create_update
from tests.support.pages import page_text
from tests.welsh.conftest import compiled_welsh  # noqa: F401 (the compiled Welsh catalogue)

SUMMARY = "the appeal was dismissed, so the sentence stays the same"
MESSAGE = "Witness Care will phone you on Tuesday."
WORKER_HOURS = "Monday to Friday, 9am to 5pm. Leave a message out of hours and we will call you back"
BAIL_CASE = "01CY7654321"
CONDITION = "not to contact you directly or through anyone else"
OCCURRED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SIGN_IN = "https://www.example.service.gov.uk/sign-in"
PREFERENCES = "https://www.example.service.gov.uk/preferences"


def _in_welsh(app: Flask, english: str) -> str:
    with app.test_request_context(), force_locale("cy"):
        return gettext(english)


def _entry(client: FlaskClient, update_id: str) -> str:
    html = client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    start = html.index(f'id="update-{update_id}"')
    return html[start : html.index('<div class="moj-timeline__item"', start + 1)]


def _appeal_decided(app: Flask, event_id: str, **extra: str | None) -> str:
    update = create_update(
        app,
        DEMO_CASE_URN,
        "appeal-outcome",
        agency="witness_care",
        agency_event_id=event_id,
        occurred_at=OCCURRED,
        details={"outcome_summary": SUMMARY},
        **extra,  # type: ignore[arg-type]
    )
    return update.id


def test_a_welsh_page_marks_an_agencys_english_words_and_says_so_once(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update_id = _appeal_decided(seeded, "WCU-CY-WORDS-1", message=MESSAGE)
    note = _in_welsh(seeded, "Some words in this update were sent in English only.")
    message_note = _in_welsh(seeded, "This message was sent in English only.")

    english = _entry(victim_client, update_id)
    assert SUMMARY in english and 'lang="en"' not in english
    assert "sent in English only" not in english

    victim_client.get("/language/cy?next=/")
    welsh = _entry(victim_client, update_id)
    assert f'<span lang="en">{SUMMARY}</span>' in welsh
    assert re.search(r'<p class="govuk-body app-word-break" lang="en">\s*' + re.escape(MESSAGE), welsh)
    # Said once for the update, not once for the message and again for the details.
    assert page_text(welsh).count(note) == 1
    assert message_note not in page_text(welsh)


def test_an_update_with_no_words_of_the_agencys_says_nothing_in_welsh(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """Names, addresses and times are not words in a language: a hearing at a named court says nothing."""
    update = create_update(
        seeded,
        DEMO_CASE_URN,
        "hearing-scheduled",
        agency="witness_care",
        agency_event_id="WCU-CY-WORDS-2",
        occurred_at=OCCURRED,
        details={"hearing_at": "2027-03-14T10:00:00+00:00", "court_name": "Leeds Crown Court"},
    )
    victim_client.get("/language/cy?next=/")
    welsh = _entry(victim_client, update.id)
    assert "Leeds Crown Court" in welsh and 'lang="en"' not in welsh
    assert _in_welsh(seeded, "Some words in this update were sent in English only.") not in page_text(welsh)


def test_a_welsh_message_only_in_english_is_still_said_plainly(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update = create_update(
        seeded,
        DEMO_CASE_URN,
        "suspect-interviewed",
        agency="police",
        agency_event_id="POL-CY-WORDS-3",
        occurred_at=OCCURRED,
        message=MESSAGE,
    )
    victim_client.get("/language/cy?next=/")
    welsh = page_text(_entry(victim_client, update.id))
    assert _in_welsh(seeded, "This message was sent in English only.") in welsh
    assert _in_welsh(seeded, "Some words in this update were sent in English only.") not in welsh


def test_a_named_contacts_hours_are_marked_as_english_in_welsh(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    english = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert WORKER_HOURS in english and f'<span lang="en">{WORKER_HOURS}</span>' not in english
    victim_client.get("/language/cy?next=/")
    welsh = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    assert f'<span lang="en">{WORKER_HOURS}</span>' in welsh
    hours = re.search(
        r"<li>([^<]*)<span lang=\"en\">" + re.escape(WORKER_HOURS) + r"</span>([^<]*)</li>", welsh
    )
    assert hours, "the hours are not in a list item of their own"
    assert _in_welsh(seeded, "(sent in English only)") in hours[2]


def test_the_english_words_are_escaped_when_marked(app: Flask) -> None:
    marked = english_marked('The court said: <b>no</b> & "left".', ('<b>no</b> & "left"',))
    assert str(marked) == 'The court said: <span lang="en">&lt;b&gt;no&lt;/b&gt; &amp; &#34;left&#34;</span>.'
    assert str(english_marked("<i>x</i>", ())) == "&lt;i&gt;x&lt;/i&gt;"


def _message(app: Flask, channel: str, language: str) -> str:
    with app.test_request_context():
        return bilingual.render_update_message(
            "appeal-outcome",
            {"outcome_summary": SUMMARY},
            channel=channel,
            language=language,
            detailed=True,
            sign_in_url=SIGN_IN,
            preferences_url=PREFERENCES,
            occurred_at=OCCURRED,
        ).body


def test_a_detailed_welsh_message_says_once_that_words_were_sent_in_english(app: Flask) -> None:
    note = _in_welsh(app, "Some words in this update were sent in English only.")
    for channel in ("email", "letter"):
        welsh = _message(app, channel, "cy")
        assert SUMMARY in welsh and welsh.count(note) == 1, channel
        assert "sent in English only" not in _message(app, channel, "en"), channel
        both = _message(app, channel, "both")
        assert both.count(note) == 1 and both.index(note) < both.index("What happens next"), channel
    text = _message(app, "sms", "cy")
    assert (
        "the appeal was dismissed" in text and _in_welsh(app, "Some words were sent in English only.") in text
    )
    assert "sent in English only" not in _message(app, "sms", "en")


def test_a_welsh_text_cut_short_still_says_so_and_fits(app: Flask) -> None:
    """A long summary does not fit in a text: what fits of it is sent, with the note, in two fragments."""
    with app.test_request_context():
        text = bilingual.render_update_message(
            "appeal-outcome",
            {"outcome_summary": "the appeal was dismissed " * 20},
            channel="sms",
            language="cy",
            detailed=True,
            sign_in_url=SIGN_IN,
            preferences_url=PREFERENCES,
            occurred_at=OCCURRED,
        ).body
    assert "the appeal was dismissed" in text and "..." in text
    assert _in_welsh(app, "Some words were sent in English only.") in text
    assert messages.fits_two_sms(text)


def test_conditions_that_protect_the_victim_are_marked_as_english_in_welsh(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """Where things stand lists the bail conditions the police sent, as sent: in Welsh marked as English,
    and said once under the list."""
    create_case(seeded, BAIL_CASE, offence="Criminal damage")
    add_victim_to_case(seeded, BAIL_CASE, DEMO_VICTIM_ID)
    create_update(
        seeded,
        BAIL_CASE,
        "suspect-bailed",
        agency="police",
        agency_event_id="POL-CY-BAIL-1",
        occurred_at=OCCURRED,
        details={"bail_conditions": [CONDITION]},
    )
    english = victim_client.get(f"/cases/{BAIL_CASE}").get_data(as_text=True)
    assert f"<li>{CONDITION}</li>" in english and 'app-word-break" lang="en"' not in english
    victim_client.get("/language/cy?next=/")
    welsh = victim_client.get(f"/cases/{BAIL_CASE}").get_data(as_text=True)
    found = re.search(
        r'<ul class="govuk-list govuk-list--bullet govuk-body-s app-word-break" lang="en">\s*<li>'
        + re.escape(CONDITION)
        + r'</li>\s*</ul>\s*<p class="govuk-body-s">([^<]+)</p>',
        welsh,
    )
    assert found and found[1] == _in_welsh(seeded, "Sent in English only.")
