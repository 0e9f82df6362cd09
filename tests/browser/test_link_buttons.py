"""Buttons styled as links (static/css/app.css: .app-link-button) look and behave exactly like GOV.UK links:
"Sign out" in the header and in the timeout dialog, "Send a new code", "Cancel your changes".

Each is compared, in Chromium, with a real link on the same page: an <a> with the same classes as the
button (govuk-link, or the header's navigation link) and the same words, put beside it. Their computed
font, size, colour and underline are the same, at rest, on hover and with keyboard focus, and the same
words render the same width (the same font metrics)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page

from portal.extensions import limiter
from tests.support.browser import complete_second_factor_in_browser, sign_in_as
from tests.support.demo import DEMO_PASSWORD, OFFICER, VICTIM

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

STYLE = (
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "color",
    "background-color",
    "text-decoration-line",
    "text-decoration-thickness",
    "text-underline-offset",
    "box-shadow",
)
LINK_BLUE = "rgb(26, 101, 166)"  # GOV.UK Frontend 6's link colour, #1a65a6
REFERENCE = "app-reference-link"


def _style(element: Locator) -> dict[str, str]:
    return element.evaluate(
        "(el, names) => Object.fromEntries(names.map((n) => [n, getComputedStyle(el).getPropertyValue(n)]))",
        list(STYLE),
    )


def _reference_beside(button: Locator) -> Locator:
    """A real link with the button's classes (but app-link-button) and words, put right after it."""
    button.evaluate(
        """(button, id) => {
          const link = document.createElement('a')
          link.href = '#' + id
          link.id = id
          link.className = [...button.classList].filter((name) => name !== 'app-link-button').join(' ')
          if (!link.classList.contains('govuk-service-navigation__link')) link.classList.add('govuk-link')
          link.textContent = button.textContent.trim()
          button.textContent = button.textContent.trim()
          button.after(document.createTextNode(' '), link)
        }""",
        REFERENCE,
    )
    return button.page.locator(f"#{REFERENCE}")


def _same_as_a_link(page: Page, button: Locator, name: str) -> None:
    link = _reference_beside(button)
    page.mouse.move(0, 0)
    at_rest = _style(button)
    assert at_rest == _style(link), name
    assert "GDS Transport" in at_rest["font-family"] and at_rest["color"] == LINK_BLUE, (name, at_rest)
    box, link_box = button.bounding_box(), link.bounding_box()
    assert box is not None and link_box is not None
    # The same words take the same width: the same font, size and weight as rendered. (A button is an
    # inline block, one line box high; a link's box is its text's, so only the widths compare.)
    assert abs(box["width"] - link_box["width"]) <= 1, (name, box, link_box)
    button.hover()
    hovered = _style(button)
    link.hover()
    assert hovered == _style(link), f"{name}, on hover"
    page.mouse.move(0, 0)
    button.focus()
    focused = _style(button)
    link.focus()
    assert focused == _style(link), f"{name}, with keyboard focus"
    assert focused["background-color"] == "rgb(255, 221, 0)", focused  # GOV.UK's yellow focus state
    link.evaluate("(link) => link.remove()")


def _start_signing_in(page: Page, base: str) -> None:
    """As far as the security code page (axe needs JavaScript: tests/support/browser.py signs in with it)."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(VICTIM)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sign-in/security-code")


def _sign_in_without_axe(page: Page, base: str) -> None:
    limiter.reset()
    _start_signing_in(page, base)
    complete_second_factor_in_browser(page, VICTIM)


def test_link_buttons_look_like_govuk_links(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        # "Send a new code", on the security code page while signing in.
        _start_signing_in(page, demo_site)
        _same_as_a_link(page, page.get_by_role("button", name="Send a new code"), "Send a new code")
        complete_second_factor_in_browser(page, VICTIM)

        # "Sign out" in the header, beside the header's own links.
        page.goto(f"{demo_site}/account")
        header_sign_out = page.locator("header").get_by_role("button", name="Sign out")
        _same_as_a_link(page, header_sign_out, "Sign out (header)")
        assert _style(header_sign_out) == _style(
            page.locator("header").get_by_role("link", name="Your account")
        )

        # "Cancel your changes" on check your answers.
        page.goto(f"{demo_site}/preferences/contact/check")
        _same_as_a_link(page, page.get_by_role("button", name="Cancel your changes"), "Cancel your changes")

        # "Sign out" in the timeout dialog.
        page.goto(f"{demo_site}/account")
        page.evaluate("document.querySelector('dialog.app-session-timeout__dialog').showModal()")
        dialog_sign_out = page.locator("dialog").get_by_role("button", name="Sign out")
        _same_as_a_link(page, dialog_sign_out, "Sign out (timeout dialog)")
    finally:
        context.close()


def test_the_timeout_sentence_shows_only_without_javascript_after_the_heading(
    browser: Browser, demo_site: str
) -> None:
    sentence = "we will sign you out if you do nothing for 30 minutes"
    with_js = browser.new_context(viewport={"width": 390, "height": 844})
    page = with_js.new_page()
    try:
        sign_in_as(page, demo_site, VICTIM)
        page.goto(f"{demo_site}/account")
        assert page.get_by_text(sentence).is_hidden()
        assert page.locator("dialog.app-session-timeout__dialog").count() == 1
    finally:
        with_js.close()
    without_js = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = without_js.new_page()
    try:
        _sign_in_without_axe(page, demo_site)
        page.goto(f"{demo_site}/account")
        notice = page.get_by_text(sentence)
        assert notice.is_visible()
        heading, notice_box = page.locator("h1").bounding_box(), notice.bounding_box()
        assert heading is not None and notice_box is not None and notice_box["y"] > heading["y"]
    finally:
        without_js.close()


def test_the_timeliness_chart_writes_in_the_govuk_font(browser: Browser, demo_site: str) -> None:
    """The chart's SVG labels say arial in their attributes; the GOV.UK font wins (static/css/app.css)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in_as(page, demo_site, OFFICER)
        page.goto(f"{demo_site}/staff/timeliness")
        labels = page.locator(".app-chart text")
        assert labels.count() > 0
        fonts = labels.evaluate_all("(texts) => texts.map((text) => getComputedStyle(text).fontFamily)")
        assert all(font.startswith('"GDS Transport"') for font in fonts), fonts
        body_font = page.locator("main p.govuk-body").first.evaluate("(p) => getComputedStyle(p).fontFamily")
        assert set(fonts) == {body_font}
    finally:
        context.close()
