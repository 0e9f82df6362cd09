"""The test client checks every HTML page it fetches (tests/support/checking_client.py): these pages show
what it refuses and what it lets through, on a tiny app of their own."""

from __future__ import annotations

import pytest
from flask import Flask, Response

from tests.support.checking_client import CheckingClient, page_problems

CSP = "default-src 'self'; script-src 'self' 'nonce-abc123'"


def page(body: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>A page</title>{head}</head><body>{body}</body></html>"
    )


def test_a_good_page_has_no_problems() -> None:
    html = page(
        '<main id="main"><p>Para<p>Another<ul><li>one<li>two</ul><br><img src="x" alt="">'
        '<svg><path d="M0 0"/></svg></main><script nonce="abc123" src="/app.js"></script>'
    )
    assert page_problems(html, CSP) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<div><span></div>", "closes <span>, which is still open"),
        ("<main></div></main>", "</div> at line 1"),
        ("<main><div>", "</body> at line 1, column 83 closes <div>, which is still open"),
        ('<p id="a">x</p><p id="a">y</p>', "ids used more than once: 'a'"),
        ('<script src="/x.js"></script>', "without the Content-Security-Policy nonce"),
        ('<script nonce="other" src="/x.js"></script>', "nonce attributes: ['other']"),
        ("<p>Reference: None</p>", "the visible text says 'None'"),
        ("<p>Hello Undefined</p>", "the visible text says 'Undefined'"),
        ('<div class="govuk-hint">None</div>', "the visible text says 'None'"),
        (
            '<dl class="govuk-summary-list"><div class="govuk-summary-list__row">'
            '<dt class="govuk-summary-list__key">Phone</dt><dd class="govuk-summary-list__value">None</dd>'
            "</div></dl>",
            "Phone [None]",
        ),
    ],
)
def test_each_problem_is_found(body: str, problem: str) -> None:
    problems = page_problems(page(body), CSP)
    assert any(problem in found for found in problems), problems


def test_elements_left_open_at_the_end_are_named() -> None:
    assert page_problems("<main><div><p>Text", CSP) == [
        "the HTML does not parse: never closed: <main>, <div>"
    ]


def test_words_in_attributes_and_scripts_are_not_visible_text() -> None:
    html = page('<input value="None" aria-label="Undefined"><script nonce="abc123">let a = None;</script>')
    assert page_problems(html, CSP) == []


def test_the_services_own_words_that_begin_with_none_are_not_a_rendered_none() -> None:
    html = page(
        '<dl class="govuk-summary-list"><div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Help with reading or communicating</dt>'
        '<dd class="govuk-summary-list__value">None <strong class="govuk-tag">New</strong></dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Another safe way to reach you'
        '</dt><dd class="govuk-summary-list__value"> None given </dd></div></dl>'
        "<select><option>None (administrators)</option></select><p>None.</p>"
    )
    assert page_problems(html, CSP) == []
    # Only as the whole text of an element.
    assert page_problems(page("<p>None given to Sam None.</p>"), CSP) != []


def test_the_client_names_the_page_that_fails() -> None:
    app = Flask(__name__)
    app.test_client_class = CheckingClient

    @app.get("/bad")
    def bad() -> Response:
        return Response(page("<p>Your case: None</p>"), mimetype="text/html")

    @app.get("/to-bad")
    def to_bad() -> Response:
        return Response(status=302, headers={"Location": "/bad"})

    @app.get("/data.txt")
    def plain_text() -> Response:
        return Response("None", mimetype="text/plain")

    client = app.test_client()
    with pytest.raises(AssertionError, match=r"(?s)GET http://localhost/bad \(200 OK\).*'None'"):
        client.get("/bad")
    with pytest.raises(AssertionError, match="http://localhost/bad"):
        client.get("/to-bad", follow_redirects=True)
    assert client.get("/data.txt").status_code == 200  # only HTML is checked


def test_a_page_seen_good_before_is_still_checked_when_its_nonce_does_not_match() -> None:
    """Pages already found good are remembered without their nonce and CSRF tokens, never without the
    nonce check itself."""
    app = Flask(__name__)
    app.test_client_class = CheckingClient

    @app.get("/page/<nonce>/<script_nonce>")
    def scripted(nonce: str, script_nonce: str) -> Response:
        body = page(
            f'<input name="csrf_token" type="hidden" value="{nonce}-token">'
            f'<script nonce="{script_nonce}" src="/app.js"></script>'
        )
        csp = f"script-src 'self' 'nonce-{nonce}'"
        return Response(body, mimetype="text/html", headers={"Content-Security-Policy": csp})

    client = app.test_client()
    assert client.get("/page/first1234/first1234").status_code == 200
    assert client.get("/page/other5678/other5678").status_code == 200  # the same page, remembered
    with pytest.raises(AssertionError, match="without the Content-Security-Policy nonce"):
        client.get("/page/third9999/first1234")
