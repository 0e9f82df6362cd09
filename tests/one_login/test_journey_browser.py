"""Signing in with GOV.UK One Login in a real browser (Debian's Chromium), against the local provider
(one_login_local/provider.mjs), on both databases: the portal, the provider and the back-channel logout
are three parties talking over real HTTP, each holding its own connections.

- On a 390 px phone: an invited victim creates their account with One Login, links it, reads their case's
  timeline and signs out, which signs them out of One Login too (the next sign-in asks for their email
  at the provider again).
- Signing out at One Login itself (another service's "Sign out") ends the victim's portal sessions through
  the back channel, on this browser and on another device, without the portal's own "Sign out".
- By keyboard alone, JavaScript off, 320 px wide: the One Login buttons and the link page's confirm button
  work with Tab and Enter, and nothing scrolls sideways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from portal.extensions import limiter
from tests.browser.test_keyboard_without_javascript import press_on, tab_to, type_into
from tests.one_login.test_back_channel import logout_events, wait_for
from tests.one_login.test_routes import ONE_LOGIN_EMAIL, link_invited_victim
from tests.support.browser import assert_accessible
from tests.support.builders import create_update
from tests.support.one_login_provider import LocalProvider
from tests.support.outbox import latest_link
from tests.support.scenarios import create_invited_victim

pytestmark = [pytest.mark.browser, pytest.mark.security(6)]

URN = "01CD3333326"  # create_invited_victim's case (Harassment)
PHONE: ViewportSize = {"width": 390, "height": 844}
NARROW: ViewportSize = {"width": 320, "height": 640}
SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def site(one_login_app: Flask, live_server: str) -> str:
    """The portal over real HTTP, configured for the local provider, with no rate-limit counts used."""
    limiter.reset()
    return live_server


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=PHONE)
    yield opened
    opened.close()


def with_an_update(app: Flask) -> None:
    """The update the victim's invitation came with: the police arrested someone."""
    create_update(
        app,
        URN,
        "suspect-arrested",
        agency="police",
        agency_event_id="one-login-journey-1",
        details={"officer_name": "DC Sam Patel", "officer_contact": "01632 960 201"},
    )


def at_provider(page: Page, provider: LocalProvider) -> bool:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}" == provider.issuer.rstrip("/")


def sign_in_at_provider(page: Page, provider: LocalProvider, email: str) -> None:
    """The provider's own page: one email address and "Continue" (it is not the portal's: no axe here)."""
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert at_provider(page, provider), page.url
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()


def test_an_invited_victim_signs_in_with_one_login_on_a_phone_and_signs_out_of_both(
    one_login_app: Flask, one_login_provider: LocalProvider, site: str, context: BrowserContext
) -> None:
    app = one_login_app
    # As the agency API does when it adds a victim to a case: an email with the invitation link.
    create_invited_victim(app)
    with_an_update(app)
    link = latest_link(app, "/invitation/")
    page = context.new_page()

    page.goto(f"{site}{link}")
    expect(page.get_by_role("heading", name="Set up your account", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create your account with GOV.UK One Login").click()
    sign_in_at_provider(page, one_login_provider, ONE_LOGIN_EMAIL)

    expect(page.get_by_role("heading", name="Link your GOV.UK One Login to your account")).to_be_visible()
    expect(page).to_have_url(f"{site}/one-login/link")
    expect(page.get_by_text(f"with the email address {ONE_LOGIN_EMAIL}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Link and continue").click()

    expect(page.get_by_role("heading", name="If you need to leave this service quickly")).to_be_visible()
    expect(page.get_by_text("Your account is set up.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Harassment")).click()
    expect(page.get_by_role("heading", name="Harassment", level=1)).to_be_visible()
    items = page.locator(".moj-timeline__item[id^='update-']")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Someone has been arrested")
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    assert_accessible(page)
    case_page = page.url

    # "Sign out" in the header (folded behind "Menu" on a phone once GOV.UK Frontend has set it up).
    page.wait_for_selector(
        "[data-module='govuk-service-navigation'][data-govuk-service-navigation-init]", state="attached"
    )
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    # The portal's session has ended; One Login asks to confirm signing out there as well.
    expect(page.get_by_role("heading", name="Sign out of GOV.UK One Login (local)")).to_be_visible()
    assert at_provider(page, one_login_provider), page.url
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="You have signed out", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(f"^{re.escape(site)}/signed-out"))
    assert_accessible(page)

    page.goto(case_page)
    expect(page).to_have_url(re.compile("/sign-in"))
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_accessible(page)
    # One Login's session is over too: its sign-in asks for the email address again, no silent sign-in.
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert at_provider(page, one_login_provider), page.url
    expect(page.get_by_label("Email address")).to_have_value("")


def test_signing_out_at_one_login_ends_the_portal_sessions_through_the_back_channel(
    one_login_app: Flask, one_login_provider: LocalProvider, site: str, context: BrowserContext
) -> None:
    app = one_login_app
    create_invited_victim(app)
    # Linked and signed in on another device (the test client, with its own browser at the provider).
    other_device = app.test_client()
    link_invited_victim(app, other_device)
    assert other_device.get("/cases").status_code == 200

    # On this phone: sign in with One Login (no portal password or security code).
    page = context.new_page()
    page.goto(f"{site}/sign-in")
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    sign_in_at_provider(page, one_login_provider, ONE_LOGIN_EMAIL)
    # Not yet shown on the other device, where the link was made without reaching the case list.
    expect(page.get_by_role("heading", name="If you need to leave this service quickly")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
    expect(page).to_have_url(f"{site}/cases")

    # Signing out of One Login from another service: its end-session page, opened directly.
    provider_page = context.new_page()
    provider_page.goto(f"{one_login_provider.issuer.rstrip('/')}/logout")
    expect(provider_page.get_by_role("heading", name="Sign out of GOV.UK One Login (local)")).to_be_visible()
    provider_page.get_by_role("button", name="Sign out").click()
    expect(provider_page.get_by_role("heading", name="You have signed out")).to_be_visible()
    assert at_provider(provider_page, one_login_provider), provider_page.url
    assert wait_for(lambda: logout_events(app) == 1), "no back-channel logout reached the portal"

    # The portal's sessions have ended, on this phone and on the other device.
    page.reload()
    expect(page).to_have_url(re.compile("/sign-in"))
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    ended = other_device.get("/cases")
    assert ended.status_code == 302 and "/sign-in" in ended.headers["Location"]


def no_sideways_scroll(page: Page) -> None:
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{page.url} scrolls sideways at 320 px"


def test_one_login_by_keyboard_without_javascript_at_320px(
    one_login_app: Flask, one_login_provider: LocalProvider, site: str, browser: Browser
) -> None:
    app = one_login_app
    create_invited_victim(app)
    link = latest_link(app, "/invitation/")
    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}{link}")
        expect(page.get_by_role("heading", name="Set up your account", level=1)).to_be_visible()
        no_sideways_scroll(page)
        press_on(page, "Create your account with GOV.UK One Login")
        assert at_provider(page, one_login_provider), page.url
        no_sideways_scroll(page)
        type_into(page, "Email address", ONE_LOGIN_EMAIL)
        with page.expect_navigation(url=f"{site}/one-login/link"):
            page.keyboard.press("Enter")

        expect(page.get_by_role("heading", name="Link your GOV.UK One Login to your account")).to_be_visible()
        no_sideways_scroll(page)
        press_on(page, "Link and continue")
        expect(page.get_by_role("heading", name="If you need to leave this service quickly")).to_be_visible()
        press_on(page, "Continue")
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()

        # Without JavaScript "Sign out" is the header's plain button; One Login's page needs none either.
        press_on(page, "Sign out")
        expect(page.get_by_role("heading", name="Sign out of GOV.UK One Login (local)")).to_be_visible()
        no_sideways_scroll(page)
        press_on(page, "Sign out")
        expect(page.get_by_role("heading", name="You have signed out", level=1)).to_be_visible()

        # Next time: the sign-in page's One Login button, then straight to the case list.
        page.goto(f"{site}/sign-in")
        no_sideways_scroll(page)
        press_on(page, "Sign in with GOV.UK One Login")
        assert at_provider(page, one_login_provider), page.url
        type_into(page, "Email address", ONE_LOGIN_EMAIL)
        with page.expect_navigation(url=f"{site}/cases"):
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Your cases", level=1)).to_be_visible()
        tab_to(page, "Harassment")
        no_sideways_scroll(page)
    finally:
        context.close()
