"""One rule for every page's <title> (templates/base.html): "<the h1> – <service name> – GOV.UK", "Error: "
before it when the page shows an error summary, " (page 2 of 8)" after the h1 on a page of a long list;
the start page, whose h1 is the service name, does not repeat it.

The checking test client (tests/support/checking_client.py) applies the rule to every page any test
fetches. Here: the rule itself, and every page a GET reaches, by every role, with real ids."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support import checking_client
from tests.support.checking_client import TITLE_NOT_YET, parse_page, title_exempt, title_problem
from tests.support.every_page import ROLES, get_paths
from tests.support.pages import post_form
from tests.support.signing_in import signed_in

SERVICE = "Updates about your case"


def _page(title: str, h1: str, *, error: bool = False, service: str = SERVICE) -> str:
    summary = '<div class="govuk-error-summary"><h2>There is a problem</h2></div>' if error else ""
    return (
        f'<!DOCTYPE html><html lang="en" class="govuk-template"><head><title>{title}</title></head><body>'
        f'<div class="govuk-service-navigation__service-name"><a href="/">{service}</a></div>'
        f"<main>{summary}<h1>{h1}</h1></main></body></html>"
    )


@pytest.mark.parametrize(
    ("title", "h1", "error"),
    [
        ("Sign in – Updates about your case – GOV.UK", "Sign in", False),
        ("Error: Sign in – Updates about your case – GOV.UK", "Sign in", True),
        ("Your cases (page 2 of 3) – Updates about your case – GOV.UK", "Your cases", False),
        ("Updates about your case – GOV.UK", "Updates about your case", False),  # the start page
        ("Diweddariadau – GOV.UK", "Diweddariadau", False),  # the service's name read from the header
    ],
)
def test_titles_that_follow_the_rule(title: str, h1: str, error: bool) -> None:
    service = "Diweddariadau" if h1 == "Diweddariadau" else SERVICE
    assert title_problem(parse_page(_page(title, h1, error=error, service=service))) is None


@pytest.mark.parametrize(
    ("title", "h1", "error"),
    [
        ("Sign in – GOV.UK", "Sign in", False),  # no service name
        ("Signing in – Updates about your case – GOV.UK", "Sign in", False),  # not the h1
        ("Sign in – Updates about your case – GOV.UK", "Sign in", True),  # an error, not said
        ("Error: Sign in – Updates about your case – GOV.UK", "Sign in", False),  # no error to say
        ("Updates about your case – Updates about your case – GOV.UK", "Updates about your case", False),
        ("Sign in – Updates about your case", "Sign in", False),  # no GOV.UK
        ("Assault – Sam Sample – Updates about your case – GOV.UK", "Assault", False),  # more than the h1
    ],
)
def test_titles_that_break_the_rule(title: str, h1: str, error: bool) -> None:
    assert title_problem(parse_page(_page(title, h1, error=error))) is not None


def test_a_page_has_one_h1() -> None:
    two = _page("A – Updates about your case – GOV.UK", "A").replace("</main>", "<h1>B</h1></main>")
    assert "2 <h1> elements" in (title_problem(parse_page(two)) or "")
    none = _page("A – Updates about your case – GOV.UK", "A").replace("<h1>A</h1>", "")
    assert "0 <h1> elements" in (title_problem(parse_page(none)) or "")


@pytest.mark.sqlite_only
def test_every_page_by_every_role_has_the_title_the_rule_gives(seeded: Flask) -> None:
    paths = get_paths(seeded)
    failures: list[str] = []
    exempt_seen: dict[str, bool] = {}  # TITLE_NOT_YET pattern: whether its pages still break the rule
    pages = 0
    for who in ROLES:
        client = signed_in(seeded, who) if who else seeded.test_client()
        for path in paths:
            try:
                response = client.get(path)
            except AssertionError as problem:  # the checking client found this page wrong
                failures.append(f"{who or 'nobody signed in'}: {problem}")
                continue
            if response.mimetype != "text/html" or response.status_code != 200:
                continue
            parser = parse_page(response.get_data(as_text=True))
            if not parser.govuk_template:
                continue
            pages += 1
            if title_exempt(path):
                pattern = next(p for p in TITLE_NOT_YET if re.fullmatch(p, path))
                exempt_seen[pattern] = exempt_seen.get(pattern, False) or title_problem(parser) is not None
    assert pages > 60  # real ids: most pages answered
    assert failures == [], "\n".join(failures)
    fixed = [pattern for pattern in TITLE_NOT_YET if not exempt_seen.get(pattern)]
    assert fixed == [], (
        f"these pages follow the rule now (or are gone): remove them from TITLE_NOT_YET: {fixed}"
    )


def test_pages_with_errors_say_so_first(client: FlaskClient, seeded: Flask) -> None:
    response = post_form(client, "/sign-in", {"email": "", "password": ""})
    assert "<title>Error: Sign in – Updates about your case – GOV.UK</title>" in response.get_data(
        as_text=True
    )
    not_found = client.get("/no-such-page")
    assert not_found.status_code == 404
    assert checking_client.title_problem(parse_page(not_found.get_data(as_text=True))) is None


def test_the_start_page_does_not_repeat_the_service_name(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<title>Updates about your case – GOV.UK</title>" in html
