"""The witness care officer's home (/staff) lists the unit's work with a count for each kind, every count
matching the page it links to; the same navigation is on every officer page (issue 21, item 6)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from notifications.outbox import PERMANENT_FAILURE, enqueue
from portal.extensions import db
from portal.models import AuditEvent, Case, Communication
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import create_preferences_version, create_victim
from tests.support.pages import page_text

OFFICER_NAVIGATION = {
    "/staff": "Home",
    "/staff/review": "Review queue",
    "/staff/messages": "Messages",
    "/staff/find-case": "Find a case",
    "/staff/timeliness": "Timeliness",
    "/staff/quality": "Quality",
    "/staff/delegations": "Support workers",
}


def work_counts(html: str) -> dict[str, str]:
    """The home page's work list: {link text: what it says is waiting}."""
    listing = html[html.index('id="work"') :]
    listing = listing[: listing.index("</dl>")]
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">\s*<a[^>]*>([^<]*)</a>\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        listing,
        flags=re.S,
    )
    return {name.strip(): page_text(value).strip() for name, value in rows}


def _failed_message(app: Flask) -> None:
    with app.app_context(), db.job() as session:
        message = enqueue(session, channel="sms", recipient="07700900002", body="You have a new update.")
        message.status = PERMANENT_FAILURE
        session.add(
            Communication(
                victim_id=DEMO_VICTIM_ID, outbound_message_id=message.id, channel="sms", purpose="update"
            )
        )


def test_the_officers_home_lists_their_work_with_counts(seeded: Flask, officer_client: FlaskClient) -> None:
    before = work_counts(officer_client.get("/staff").get_data(as_text=True))
    assert list(before) == [
        "Preferences and needs to review",
        "Dates to avoid and needs at court to review",
        "Hearing on a date to avoid",
        "Updates not told past the deadline, or urgent",
        "Updates told late",
        "Messages that did not arrive",
        "Updates to send in an accessible format",
        "Victims to phone or see",
        "Requests from victims",
        "Messages from victims",
        "Support workers helping victims",
    ]
    # New work arrives: a message that will never arrive, and a new victim's first answers to review.
    _failed_message(seeded)
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        newcomer = create_victim(session, "Nia", "Newcomer", case=case)
        create_preferences_version(session, newcomer.id, {"frequency": "key-milestones"})
    response = officer_client.get("/staff")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    after = work_counts(html)

    def number(text: str) -> int:
        return int(text.split()[0])

    assert number(after["Messages that did not arrive"]) == number(before["Messages that did not arrive"]) + 1
    assert (
        number(after["Preferences and needs to review"])
        == number(before["Preferences and needs to review"]) + 1
    )
    # Each count is what the page it links to lists.
    queue = page_text(officer_client.get("/staff/review"))
    assert f"{number(after['Preferences and needs to review'])} victims to review" in queue
    problems = officer_client.get("/staff/messages-not-delivered").get_data(as_text=True)
    assert problems.count('<tr class="govuk-table__row">') - 1 == number(
        after["Messages that did not arrive"]
    )
    report = page_text(officer_client.get("/staff/timeliness"))
    not_told = number(after["Updates not told past the deadline, or urgent"])
    late = number(after["Updates told late"])
    if not_told:
        assert f"{not_told} update{'s' if not_told != 1 else ''} not told" in report
    else:
        assert "Not told and past the deadline, or urgent None." in report
    if late:
        assert f"{late} update{'s' if late != 1 else ''} told late" in report
    helping = after["Support workers helping victims"]
    assert re.fullmatch(r"\d+ helping now, \d+ waiting to accept", helping), helping
    unit = officer_client.get("/staff/delegations").get_data(as_text=True)
    listed = unit.count('<tr class="govuk-table__row">') - 1 if "govuk-table" in unit else 0
    assert sum(int(n) for n in re.findall(r"\d+", helping)) == listed
    # Links to each list, a way to find a case, and nobody's name: counts only, so no view is audited.
    for href in (
        'href="/staff/review"',
        'href="/staff/timeliness#not-told"',
        'href="/staff/messages-not-delivered"',
    ):
        assert href in html, href
    assert 'action="/staff/find-case"' in html
    assert "Sam Sample" not in html and "Newcomer" not in html
    assert '<h1 class="govuk-heading-l">Your work</h1>' in html


def test_opening_the_home_page_audits_no_view_of_anyone(seeded: Flask, officer_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        before = session.query(AuditEvent).filter(AuditEvent.subject_victim_id.is_not(None)).count()
    assert officer_client.get("/staff").status_code == 200
    with seeded.app_context(), db.job() as session:
        after = session.query(AuditEvent).filter(AuditEvent.subject_victim_id.is_not(None)).count()
    assert after == before


def _navigation(html: str) -> dict[str, str]:
    """{href: text} of the links in the GOV.UK service navigation's list."""
    start = html.index('<ul class="govuk-service-navigation__list"')
    nav = html[start : html.index("</ul>", start)]
    links = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    return {href: page_text(text).strip() for href, text in links if href != "/account"}


def _officer_pages(app: Flask) -> list[str]:
    """Every page of the staff blueprint an officer opens with GET, for the demo victim and case."""
    values = {"victim_id": DEMO_VICTIM_ID, "urn": DEMO_CASE_URN}
    pages = ["/staff", "/account"]
    rule: Rule
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or "GET" not in (rule.methods or ()):
            continue
        if not set(rule.arguments) <= set(values) or rule.rule.endswith(".csv"):
            continue
        pages.append(rule.build({k: values[k] for k in rule.arguments})[1])
    return pages


def test_the_same_navigation_is_on_every_officer_page(seeded: Flask, officer_client: FlaskClient) -> None:
    pages = _officer_pages(seeded)
    assert len(pages) >= 15, pages
    for path in pages:
        response = officer_client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert _navigation(html) == OFFICER_NAVIGATION, path
        assert 'href="/account"' in html and ">Sign out<" in html, path
    # Home is marked as the current page on the home page only.
    assert _current(officer_client.get("/staff").get_data(as_text=True)) == ["/staff"]
    assert _current(officer_client.get("/staff/review").get_data(as_text=True)) == ["/staff/review"]
    assert _current(officer_client.get("/staff/messages-not-delivered").get_data(as_text=True)) == []


def _current(html: str) -> list[str]:
    """The navigation links marked as the current section."""
    return re.findall(
        r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="([^"]*)"',
        html,
    )
