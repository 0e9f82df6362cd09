"""The pages every GOV.UK service has (issue 17): help and contact, the accessibility statement, the privacy
notice and cookies. Linked from the footer of every page, open to everyone, and true to the service as it
runs: the cookie page names the cookies the service really sets, the privacy notice the retention periods
in force, and both say who runs the service, or warn that nobody has been named."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pages import page_text
from tests.support.signing_in import sign_in

PAGES = {
    "/help": "Help and contact",
    "/accessibility-statement": "Accessibility statement",
    "/privacy": "Privacy notice",
    "/cookies": "Cookies",
}
OWNER = "Exampleshire Office of the Police and Crime Commissioner"


@pytest.mark.parametrize("path", ["/", "/sign-in", "/cases"])
def test_every_page_links_to_them_in_the_footer(seeded: Flask, client: FlaskClient, path: str) -> None:
    if path == "/cases":
        sign_in(client, "victim@demo.example")
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index('class="govuk-footer"') :]
    for href in PAGES:
        assert f'href="{href}"' in footer, href


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_each_opens_without_signing_in(client: FlaskClient, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.get_data(as_text=True)


def test_the_cookie_page_names_every_cookie_the_service_sets(seeded: Flask, client: FlaskClient) -> None:
    """Visit the pages a victim would, signing in too; every cookie set must be on the cookies page."""
    for path in ("/", "/sign-in", "/help"):
        client.get(path)
    sign_in(client, "victim@demo.example")
    client.get("/cases")
    set_names = {cookie.key for cookie in client._cookies.values()}
    assert set_names, "signing in sets a cookie"
    described = page_text(client.get("/cookies"))
    for name in set_names:
        assert name in described, f"the cookie {name!r} is not described on /cookies"
    assert "This service uses one cookie" in described and len(set_names) == 1


def test_the_privacy_notice_gives_the_retention_periods_in_force(app: Flask, client: FlaskClient) -> None:
    app.config.update(RETENTION_CASE_YEARS=3, RETENTION_COMMUNICATIONS_DAYS=1, RETENTION_AUDIT_YEARS=9)
    text = page_text(client.get("/privacy"))
    assert "for 3 years after the case ends" in text
    assert "for 1 day after they were delivered or failed" in text
    assert "who looked at or changed your information: for 9 years" in text


def test_without_an_owner_the_pages_warn_and_with_one_they_name_it(app: Flask, client: FlaskClient) -> None:
    app.config.update(SERVICE_OWNER="", PRIVACY_CONTACT_EMAIL="", ACCESSIBILITY_CONTACT_EMAIL="")
    for path in ("/privacy", "/accessibility-statement"):
        assert "must not be used with real people's information" in page_text(client.get(path))
    app.config.update(
        SERVICE_OWNER=OWNER,
        PRIVACY_CONTACT_EMAIL="data.protection@example.gov.uk",
        ACCESSIBILITY_CONTACT_EMAIL="accessibility@example.gov.uk",
    )
    privacy = page_text(client.get("/privacy"))
    assert f"run by {OWNER}, the data controller" in privacy
    assert "data.protection@example.gov.uk" in privacy and "must not be used" not in privacy
    statement = page_text(client.get("/accessibility-statement"))
    assert f"This service is run by {OWNER}" in statement
    assert "accessibility@example.gov.uk" in statement and "must not be used" not in statement


def test_help_says_what_to_do_in_an_emergency_and_where_to_get_support(client: FlaskClient) -> None:
    text = page_text(client.get("/help"))
    assert "If you are in danger now, call 999" in text
    assert "08 08 16 89 111" in text  # Victim Support's Supportline
    assert "Parliamentary and Health Service Ombudsman" in text
