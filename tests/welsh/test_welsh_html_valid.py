"""Every page in Welsh (issue 17): the walk of tests/web/test_html_valid.py (every page a GET reaches, by
every role, with real ids, and the pages with an error summary or more than one form) with the language
toggled to Cymraeg. Each page says `<html lang="cy">` and offers English through the toggle as GOV.UK's
language select does (`hreflang="en" lang="en"`, the current language not a link); and the Nu HTML
Checker finds no error in any of them (Welsh words are longer, and the agency's English words inside them
are marked up). Not sampled: every page is checked, as in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_VICTIM_ID
from tests.support.demo import DEMO_PASSWORD, OFFICER, VICTIM
from tests.support.every_page import ROLES, get_paths
from tests.support.pages import post_form
from tests.support.signing_in import sign_in, signed_in
from tests.web.test_html_valid import LEAVE, _checker, _data, _errors
from tests.welsh.conftest import compiled_welsh  # noqa: F401 (the compiled Welsh catalogue)

#: The toggle itself: walking /language/en would turn the rest of the walk back to English.
TOGGLE = "/language/"
TO_ENGLISH = re.compile(r'<a href="/language/en\?next=[^"]*" hreflang="en" lang="en" rel="alternate"')


def _in_welsh(client: FlaskClient) -> FlaskClient:
    client.get("/language/cy?next=/")
    return client


def _every_page_in_welsh(app: Flask) -> dict[str, str]:
    paths = [path for path in get_paths(app) if path not in LEAVE and not path.startswith(TOGGLE)]
    pages: dict[str, str] = {}
    for who in sorted(ROLES, key=lambda role: role == VICTIM):
        client = _in_welsh(signed_in(app, who) if who else app.test_client())
        for path in paths:
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                pages[f"{who or 'nobody signed in'}: GET {path} (Cymraeg)"] = response.get_data(as_text=True)
    return pages


def _more_states_in_welsh(app: Flask) -> dict[str, str]:
    """An error summary, pages with more than one form, an error page and the downloaded information (its
    own page, not the GOV.UK template), in Welsh."""
    client = _in_welsh(app.test_client())
    pages = {
        "sign in with nothing entered (Cymraeg)": post_form(
            client, "/sign-in", {"email": "", "password": ""}
        ).get_data(as_text=True)
    }
    sign_in(client, VICTIM, DEMO_PASSWORD, second_factor=False)
    pages["security code page (Cymraeg)"] = client.get("/sign-in/security-code").get_data(as_text=True)
    victim = _in_welsh(signed_in(app, VICTIM))
    pages["check your answers, with a second form to cancel (Cymraeg)"] = victim.get(
        "/preferences/contact/check"
    ).get_data(as_text=True)
    pages["a page that is not there (Cymraeg)"] = victim.get("/no-such-page").get_data(as_text=True)
    post_form(victim, "/account/your-information", {"password": DEMO_PASSWORD})
    pages["the downloaded information, as a web page (Cymraeg)"] = victim.get(
        "/account/your-information/your-information.html"
    ).get_data(as_text=True)
    officer = _in_welsh(signed_in(app, OFFICER))
    pages["an officer's page of a victim's account (Cymraeg)"] = officer.get(
        f"/staff/victims/{DEMO_VICTIM_ID}/account"
    ).get_data(as_text=True)
    return pages


def _not_welsh(pages: dict[str, str]) -> list[str]:
    """Pages that do not say they are in Welsh, or whose toggle does not offer English as GOV.UK's does."""
    wrong = []
    for where, html in pages.items():
        tag = re.search(r"<html[^>]*>", html)
        lang = re.search(r'\blang="([^"]*)"', tag[0]) if tag else None
        if lang is None or lang[1] != "cy":
            wrong.append(f"{where}: <html lang> is {lang[1] if lang else 'missing'}")
        if (
            tag
            and "govuk-template" in tag[0]
            and not (TO_ENGLISH.search(html) and '<span aria-current="true">Cymraeg</span>' in html)
        ):
            wrong.append(f"{where}: no language toggle offering English (hreflang, lang)")
    return wrong


@pytest.mark.sqlite_only
def test_every_page_in_welsh_says_so_and_is_valid_html(seeded: Flask, tmp_path: Path) -> None:
    _data(seeded)
    pages = {**_every_page_in_welsh(seeded), **_more_states_in_welsh(seeded)}
    assert len(pages) > 60
    assert _not_welsh(pages) == []
    _checker()  # skips here, saying why, where Java or the checker is missing (never in CI)
    errors = _errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
