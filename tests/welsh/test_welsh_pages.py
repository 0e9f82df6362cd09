"""The portal in Welsh (issue 17, "Welsh, in full"): the language toggle in the header of every page
("English | Cymraeg", plain links, so it works without JavaScript) remembered in the session, the one
cookie the service sets; `<html lang>` right on every page; a signed-in victim's language preference
choosing the portal's language when they have not toggled; dates and times in Welsh; and the officer
seeing which language each victim chose. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from portal.services.demo_data import DEMO_VICTIM_ID
from portal.template_helpers import govuk_date, govuk_datetime, govuk_time, govuk_weekday
from tests.support.builders import create_preferences_version
from tests.support.demo import VICTIM
from tests.support.pages import csrf_from, page_text
from tests.support.signing_in import sign_in, signed_in

FOOTER_PAGES = {
    "/help": "Help a chysylltu",
    "/accessibility-statement": "Datganiad hygyrchedd",
    "/privacy": "Hysbysiad preifatrwydd",
    "/cookies": "Cwcis",
}


def _html_lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, "no <html lang>"
    return found[1]


def _toggle(html: str) -> str:
    start = html.index('class="app-language-select"')
    return html[start : html.index("</nav>", start)]


def _to_welsh(client: FlaskClient, path: str = "/") -> str:
    """Select "Cymraeg" in the toggle of the page at `path`, as a browser without JavaScript would: follow
    the link, then the redirect back. Returns the page it lands on."""
    html = client.get(path).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" hreflang="cy" lang="cy"', _toggle(html))
    assert link, "no link to Welsh in the toggle"
    response = client.get(link[1].replace("&amp;", "&"))
    assert response.status_code == 302
    assert response.headers["Location"] == path
    return client.get(path).get_data(as_text=True)


def test_the_toggle_shows_welsh_without_javascript_and_remembers_it(client: FlaskClient) -> None:
    english = client.get("/help").get_data(as_text=True)
    assert _html_lang(english) == "en"
    toggle = _toggle(english)
    assert '<span aria-current="true">English</span>' in toggle  # the current language is not a link
    assert 'href="/language/cy?next=/help"' in toggle

    welsh = _to_welsh(client, "/help")
    assert _html_lang(welsh) == "cy"
    assert '<h1 class="govuk-heading-l">Help a chysylltu</h1>' in welsh
    assert "Help and contact" not in page_text(welsh)
    toggle = _toggle(welsh)
    assert '<span aria-current="true">Cymraeg</span>' in toggle
    assert 'hreflang="en" lang="en"' in toggle and "Change the language to English" in toggle
    # Remembered for the visitor: every page after it is in Welsh, the title's service name too.
    start = client.get("/").get_data(as_text=True)
    assert _html_lang(start) == "cy"
    assert "Diweddariadau am eich achos – GOV.UK</title>" in start


def test_the_toggle_keeps_the_query_and_goes_nowhere_else(client: FlaskClient) -> None:
    html = client.get("/sign-in?next=/cases").get_data(as_text=True)
    assert 'href="/language/cy?next=/sign-in?next%3D/cases"' in _toggle(html)
    assert (
        client.get("/language/cy?next=/sign-in?next%3D/cases").headers["Location"] == "/sign-in?next=/cases"
    )
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert client.get("/language/cy", query_string={"next": elsewhere}).headers["Location"] == "/"
    # An unknown language changes nothing.
    client.get("/language/fr?next=/")
    assert _html_lang(client.get("/").get_data(as_text=True)) == "cy"


@pytest.mark.parametrize(("path", "heading"), FOOTER_PAGES.items())
def test_every_footer_page_is_in_welsh(client: FlaskClient, path: str, heading: str) -> None:
    html = _to_welsh(client, path)
    assert _html_lang(html) == "cy"
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    footer = page_text(html[html.index('class="govuk-footer"') :])
    assert "Datganiad hygyrchedd" in footer and "Cwcis" in footer and "Preifatrwydd" in footer


def test_choosing_welsh_sets_no_cookie_but_the_session(seeded: Flask, client: FlaskClient) -> None:
    """The service promises one cookie: the toggle's choice lives in the session cookie, and survives
    signing in (a new session) and signing out."""
    _to_welsh(client, "/")
    sign_in(client, VICTIM)
    cases = client.get("/cases").get_data(as_text=True)
    assert _html_lang(cases) == "cy"
    assert {cookie.key for cookie in client._cookies.values()} == {"session"}
    described = page_text(client.get("/cookies"))
    assert "Mae'r gwasanaeth hwn yn defnyddio un cwci" in described
    token = re.search(r'name="csrf_token" value="([^"]+)"', cases)
    assert token
    client.post("/sign-out", data={"csrf_token": token[1]})
    assert _html_lang(client.get("/").get_data(as_text=True)) == "cy"


def test_a_victim_who_chose_welsh_reads_the_portal_in_welsh_until_they_toggle(seeded: Flask) -> None:
    create_preferences_version(seeded, DEMO_VICTIM_ID, {"language": "cy"})
    victim = signed_in(seeded, VICTIM)
    cases = victim.get("/cases").get_data(as_text=True)
    assert _html_lang(cases) == "cy"
    assert "Eich achosion" in page_text(cases)
    victim.get("/language/en?next=/cases")
    cases = victim.get("/cases").get_data(as_text=True)
    assert _html_lang(cases) == "en" and "Your cases" in page_text(cases)


def test_a_victim_who_chose_both_reads_the_portal_in_welsh(seeded: Flask) -> None:
    create_preferences_version(seeded, DEMO_VICTIM_ID, {"language": "both"})
    victim = signed_in(seeded, VICTIM)
    assert _html_lang(victim.get("/cases").get_data(as_text=True)) == "cy"


def test_the_officer_sees_which_language_the_victim_chose(seeded: Flask, officer_client: FlaskClient) -> None:
    create_preferences_version(seeded, DEMO_VICTIM_ID, {"language": "cy"})
    html = officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}").get_data(as_text=True)
    assert _html_lang(html) == "en"  # staff pages stay English unless the officer toggles
    assert "Language Welsh (Cymraeg)" in page_text(html)
    create_preferences_version(seeded, DEMO_VICTIM_ID, {"language": "both"})
    assert "Language Welsh and English (Cymraeg a Saesneg)" in page_text(
        officer_client.get(f"/staff/victims/{DEMO_VICTIM_ID}")
    )


def test_dates_and_times_are_written_the_welsh_way(app: Flask) -> None:
    morning = datetime(2027, 3, 14, 9, 30, tzinfo=UTC)  # 9:30am in London (GMT)
    afternoon = datetime(2027, 7, 2, 13, 0, tzinfo=UTC)  # 2pm in London (BST)
    noon = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("cy"):
        assert govuk_date(morning) == "14 Mawrth 2027"
        assert govuk_time(morning) == "9:30yb"
        assert govuk_time(afternoon) == "2yh"
        assert govuk_time(noon) == "canol dydd"
        assert govuk_datetime(afternoon) == "2 Gorffennaf 2027 am 2yh"
        assert govuk_weekday(afternoon.date()) == "Dydd Gwener"
    with app.test_request_context(), force_locale("en"):
        assert govuk_datetime(afternoon) == "2 July 2027 at 2pm"
        assert govuk_time(noon) == "midday"


def test_gov_uk_frontends_own_words_are_in_welsh_too(client: FlaskClient) -> None:
    """The skip link, "Exit this page", the password's "Show", the service navigation and the footer's
    licence and copyright are GOV.UK Frontend's English unless the page gives its own words."""
    html = _to_welsh(client, "/sign-in")
    text = page_text(html).replace("Change the language to English English", "")
    for english in (
        "Skip to main content",
        "Exit this page",
        "Emergency",
        "Show",
        "Open Government Licence",
        "Crown copyright",
        "Support links",
        "There is a problem",
    ):
        assert english not in text, english
    assert 'aria-label="Gwybodaeth am y gwasanaeth"' in html
    assert 'data-i18n.press-two-more-times="Shift, pwyswch 2 waith arall i adael."' in html
    assert "Neidio i&#39;r prif gynnwys" in html or "Neidio i'r prif gynnwys" in html
    # A form's error summary too.
    form = client.get("/password-reset").get_data(as_text=True)
    refused = client.post("/password-reset", data={"csrf_token": csrf_from(form), "email": ""})
    assert "Mae problem wedi codi" in page_text(refused) and "There is a problem" not in page_text(refused)
    assert "<title>Gwall: " in refused.get_data(as_text=True)


def test_an_error_pages_toggle_goes_to_the_start_page(client: FlaskClient) -> None:
    """A 404 must read the same whatever was asked for (tests/cases/test_victim_pages.py): its toggle
    does not repeat the address."""
    one = client.get("/no-such-page-1")
    other = client.get("/no-such-page-2")
    assert one.status_code == other.status_code == 404
    assert 'href="/language/cy?next=/"' in _toggle(one.get_data(as_text=True))
    assert _toggle(one.get_data(as_text=True)) == _toggle(other.get_data(as_text=True))
