"""The account, safety, staff and admin pages pass axe-core and fit a 320 px screen."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser
from sqlalchemy import select

from portal.extensions import db
from portal.models import User, Victim
from tests.support.browser import assert_accessible, sign_in_as

# What axe-core reads and how a page reflows do not depend on the database: these run on SQLite only.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def _visit_all(browser: Browser, base: str, email: str | None, paths: list[str]) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        if email:
            sign_in_as(page, base, email)
        for path in paths:
            page.goto(f"{base}{path}")
            assert_accessible(page)  # once the page has loaded (as the reflow walk reads it)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    finally:
        context.close()


def test_account_and_admin_pages_are_accessible(browser: Browser, demo_site: str, seeded: Flask) -> None:
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == "victim@demo.example"))
        officer_id = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    _visit_all(
        browser,
        demo_site,
        None,
        ["/staying-safe-online", "/password-reset", "/timed-out", "/invitation/nope"],
    )
    _visit_all(
        browser,
        demo_site,
        "victim@demo.example",
        ["/account", "/account/who-has-viewed", "/account/confirm-password", "/account/sign-out-everywhere"],
    )
    _visit_all(
        browser,
        demo_site,
        "officer@demo.example",
        [
            "/staff",
            "/staff/invitations",
            f"/staff/victims/{victim_id}/account",
            f"/staff/victims/{victim_id}/reset-security-codes",
        ],
    )
    _visit_all(
        browser,
        demo_site,
        "admin@demo.example",
        [
            "/staff",
            "/admin/api-clients",
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{officer_id}",
            "/admin/organisations",
            "/admin/organisations/new",
            "/admin/audit",
        ],
    )
