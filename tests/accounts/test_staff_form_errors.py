"""Every error on the admin's forms names the field, in GOV.UK style, and only after the form is sent
(issue 21, item 9): "Create an API key" opens with no error summary; the audit search's dates say which
date is wrong and how, never WTForms' "Not a valid date value."."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.cases.test_staff_form_errors import errors_of
from tests.support.pages import page_text, post_form


def test_create_an_api_key_shows_errors_only_after_it_is_sent(admin_client: FlaskClient) -> None:
    opened = admin_client.get("/admin/api-clients/new")
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200
    assert "govuk-error-summary" not in html and "There is a problem" not in html
    assert "<title>Error:" not in html
    url = "/admin/api-clients/new"
    empty = post_form(admin_client, url, {"name": "", "force_code": ""})
    assert errors_of(empty) == ["Enter the name of the system", "Select the agency this key is for"]
    assert "<title>Error:" in empty.get_data(as_text=True)
    wrong = post_form(admin_client, url, {"name": "x" * 101, "agency": "police", "force_code": "1a"})
    assert errors_of(wrong) == [
        "The name of the system must be 100 characters or fewer",
        "The police force code must be 2 digits, like 01",
    ]
    missing = post_form(
        admin_client, url, {"name": "Exampleshire Police", "agency": "police", "force_code": ""}
    )
    assert errors_of(missing) == ["Enter the police force code, like 01"]
    extra = post_form(admin_client, url, {"name": "CPS North", "agency": "cps", "force_code": "01"})
    assert errors_of(extra) == [
        "Leave the police force code empty: only police and witness care keys have one"
    ]


def test_the_audit_searchs_dates_say_which_date_and_what_is_wrong(admin_client: FlaskClient) -> None:
    def errors(query: str) -> list[str]:
        response = admin_client.get(f"/admin/audit?{query}")
        assert response.status_code == 200
        assert "Not a valid date value" not in page_text(response)
        return errors_of(response)

    assert errors("since=31&since=2&since=2026&until=1&until=&until=2026") == [
        "The date to search from must be a real date",
        "The date to search up to must include a month",
    ]
    assert errors("since=&since=3&since=2026&until=a&until=b&until=c&until=d") == [
        "The date to search from must include a day",
        "The date to search up to must be a real date",
    ]
    assert errors("since=2&since=3&since=2026&until=1&until=3&until=2026") == [
        "The date to search up to must be the same as or after the date to search from"
    ]
    assert errors("since=1&since=1&since=26") == ["The date to search from must be a real date"]
    # Both dates right: no error, and the search runs.
    fine = admin_client.get("/admin/audit?since=1&since=1&since=2026&until=1&until=1&until=2099")
    assert "govuk-error-summary" not in fine.get_data(as_text=True) and "events" in page_text(fine)


def test_accounts_and_organisations_say_which_field(seeded: Flask, admin_client: FlaskClient) -> None:
    organisation = post_form(admin_client, "/admin/organisations/new", {"name": "", "force_code": ""})
    assert errors_of(organisation) == [
        "Enter the name of the organisation",
        "Select the type of organisation",
    ]
    long_name = post_form(
        admin_client,
        "/admin/organisations/new",
        {"name": "x" * 201, "kind": "support_service", "force_code": ""},
    )
    assert errors_of(long_name) == ["The name of the organisation must be 200 characters or fewer"]
    user = post_form(
        admin_client,
        "/admin/users/new",
        {"display_name": "x" * 201, "email": "new.person@example.com", "role": "admin", "organisation": ""},
    )
    assert errors_of(user) == ["Their full name must be 200 characters or fewer"]
    with seeded.app_context():
        officer_id = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    reset = post_form(
        admin_client,
        f"/admin/users/{officer_id}/reset-security-codes",
        {"how": "x" * 201, "password_forgotten": "no"},
        page=f"/admin/users/{officer_id}",
    )
    assert errors_of(reset) == ["How you checked who they are must be 200 characters or fewer"]
