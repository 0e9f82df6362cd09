"""The admin's home (/staff) lists the areas of service administration with what is in each; /admin/
leads there; the same navigation is on every admin page, /staff and /account included (issue 21, item 6)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.extensions import db
from portal.models import ApiClient, Organisation, User
from tests.support.builders import create_organisation, create_user
from tests.support.pages import page_text
from tests.support.signing_in import sign_in

ADMIN_NAVIGATION = {
    "/staff": "Home",
    "/admin/users": "Staff accounts",
    "/admin/organisations": "Organisations",
    "/admin/api-clients": "API clients",
    "/admin/audit": "Audit trail",
    "/admin/erasure-requests": "Erasure requests",
}


def areas(html: str) -> dict[str, str]:
    """The home page's list of areas: {link text: what is in it}."""
    listing = html[html.index('id="areas"') :]
    listing = listing[: listing.index("</dl>")]
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">\s*<a[^>]*>([^<]*)</a>\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        listing,
        flags=re.S,
    )
    return {name.strip(): page_text(value).strip() for name, value in rows}


def _navigation(html: str) -> dict[str, str]:
    start = html.index('<ul class="govuk-service-navigation__list"')
    nav = html[start : html.index("</ul>", start)]
    links = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    return {href: page_text(text).strip() for href, text in links if href != "/account"}


def test_the_admins_home_lists_each_area_with_what_is_in_it(seeded: Flask, admin_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        create_user(
            session,
            "new.officer@example.test",
            role="witness_care_officer",
            display_name="New Officer",
            password=None,
            mfa_method=None,
        )
        create_organisation(session, "Another support service", kind="support_service")
        staff = session.scalars(select(User).where(User.role != "victim")).all()
        organisations = session.scalars(select(Organisation)).all()
        keys = session.scalars(select(ApiClient)).all()
        expected_staff = (
            sum(1 for u in staff if u.is_active and u.mfa_method),
            sum(1 for u in staff if u.is_active and not u.mfa_method),
        )
        units = sum(1 for o in organisations if o.kind == "witness_care_unit")
        services = sum(1 for o in organisations if o.kind == "support_service")
        in_use = sum(1 for k in keys if k.revoked_at is None)
    sign_in(seeded.test_client(), "admin@demo.example", "wrong-password-here")  # a failed sign-in today
    response = admin_client.get("/staff")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Service administration</h1>' in html
    found = areas(html)
    assert list(found) == ["Staff accounts", "Organisations", "API clients", "Audit trail"]
    assert found["Staff accounts"].startswith(
        f"{expected_staff[0]} active, {expected_staff[1]} invited, 0 locked, 0 closed"
    ), found
    assert found["Organisations"] == (
        f"{units} witness care unit{'s' if units != 1 else ''}, {services} support organisations"
    )
    assert found["API clients"] == f"{in_use} in use, 0 revoked"
    assert re.fullmatch(r"\d+ events in the last 24 hours, 1 failed sign-in", found["Audit trail"]), found
    for href in ("/admin/users", "/admin/organisations", "/admin/api-clients", "/admin/audit"):
        assert f'href="{href}"' in html
    # /admin/ is the same home.
    index = admin_client.get("/admin/")
    assert index.status_code == 302 and index.headers["Location"].endswith("/staff")


def _admin_pages(app: Flask) -> list[str]:
    """Every admin page opened with GET, for the demo officer's account and the first API client."""
    with app.app_context(), db.job() as session:
        officer = session.scalar(select(User).where(User.email == "officer@demo.example"))
        organisation = session.scalar(select(Organisation))
        key = session.scalar(select(ApiClient))
        assert officer is not None and organisation is not None and key is not None
        values = {"user_id": officer.id, "organisation_id": organisation.id, "client_id": key.id}
    pages = ["/staff", "/account"]
    rule: Rule
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint == "admin.index" or not set(rule.arguments) <= set(values):
            continue
        pages.append(rule.build({k: values[k] for k in rule.arguments})[1])
    return pages


def test_the_same_navigation_is_on_every_admin_page(seeded: Flask, admin_client: FlaskClient) -> None:
    pages = _admin_pages(seeded)
    assert len(pages) >= 10, pages
    for path in pages:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert _navigation(html) == ADMIN_NAVIGATION, path
        assert 'href="/account"' in html and ">Sign out<" in html, path
