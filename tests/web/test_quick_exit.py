"""Quick exit (DOMAIN.md "Safe contact and quick exit"): Exit this page on every page a victim may see,
the page that explains it before first use (once per person), the safety page, and exiting ends the
session (with JavaScript) or the idle time-out does (without)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.signing_in import sign_in, signed_in

VICTIM = "victim@demo.example"


def test_exit_this_page_is_on_every_page_a_victim_may_see(seeded: Flask, client: FlaskClient) -> None:
    for path in ("/", "/sign-in", "/password-reset", "/staying-safe-online", "/signed-out", "/timed-out"):
        body = client.get(path).get_data(as_text=True)
        assert 'data-module="govuk-exit-this-page"' in body, path
        assert 'href="/exit"' in body and 'data-app-exit-url="https://www.bbc.co.uk/weather"' in body, path
    sign_in(client, VICTIM)
    for path in (
        "/cases",
        "/account",
        "/account/who-has-viewed",
        "/staying-safe-online",
        "/account/sign-out-everywhere",
    ):
        assert 'data-module="govuk-exit-this-page"' in client.get(path).get_data(as_text=True), path


def test_the_explanation_comes_before_first_use_and_only_once(seeded: Flask, client: FlaskClient) -> None:
    first = sign_in(client, VICTIM, explain_exit=False)
    assert "/exit-this-page-explained?next=/cases" in first.headers["Location"]
    page = page_text(client.get(first.headers["Location"]), markup=True)
    assert "If you need to leave this service quickly" in page and "press the Shift key 3 times" in page
    done = post_form(client, first.headers["Location"])
    assert done.headers["Location"] == "/cases"
    with seeded.app_context():
        assert db.session.scalar(select(User.quick_exit_explained_at).where(User.email == VICTIM)) is not None
    again = sign_in(seeded.test_client(), VICTIM, explain_exit=False)
    assert again.headers["Location"] == "/cases"


def test_quick_exit_ends_the_session_everywhere(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, VICTIM)
    other = signed_in(seeded, VICTIM)
    token = csrf_from(client.get("/cases").get_data(as_text=True))
    response = client.post("/sign-out/quick", data={"csrf_token": token})  # what sendBeacon posts
    assert response.status_code == 204
    assert client.get("/cases").status_code == 302 and other.get("/cases").status_code == 302


def test_without_javascript_exit_goes_to_the_weather_and_changes_nothing(
    seeded: Flask, client: FlaskClient
) -> None:
    sign_in(client, VICTIM)
    response = client.get("/exit")
    assert response.status_code == 303 and response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert client.get("/cases").status_code == 200  # ends at the idle time-out instead (see test_sec06)


def test_the_safety_page_explains_private_browsing_history_and_discreet_messages(client: FlaskClient) -> None:
    body = page_text(client.get("/staying-safe-online"), markup=True)
    for words in ("Browse privately", "Clear your browsing history", "discreet by default", "Exit this page"):
        assert words in body, words
    with client.get("/static/js/quick-exit.js") as script:
        text = script.get_data(as_text=True)
    assert "sendBeacon" in text and "/sign-out/quick" in text
