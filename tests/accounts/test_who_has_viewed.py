"""SECURITY.md item 13, the victim's side: "Who has viewed your information" shows what an officer or a
support worker actually opened about this victim, in plain words, by day, a page at a time. Pages that
list many victims (the unit's review queue, the timeliness report) are audited but are not views of any
one victim's information, so the victim does not see them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import audit as audit_data
from portal.extensions import db
from portal.models import AuditEvent
from portal.services.common import audit
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import create_communication
from tests.support.demo import OFFICER, SUPPORT_WORKER
from tests.support.every_page import get_paths
from tests.support.pages import page_text
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(13)

PAGE = "/account/who-has-viewed"
# Words a victim should never read there: staff page names, endpoint and action names.
JARGON = (
    "review queue",
    "timeliness",
    "preferences review",
    "account status",
    "staff.",
    "victim-data",
    "timeline",
)


def _views(app: Flask, victim_id: str = DEMO_VICTIM_ID) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_victim_id == victim_id, AuditEvent.action.in_(audit.VIEW_ACTIONS)
            )
        ).all()
        db.session.expunge_all()
    return list(rows)


def _listed(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.VICTIM_LISTED)).all()
        db.session.expunge_all()
    return list(rows)


def test_sec13_the_review_queue_and_timeliness_report_record_no_view_of_the_victims_they_list(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    officer = signed_in(seeded, OFFICER)
    for path in ("/staff/review", "/staff/timeliness", "/staff/timeliness.csv"):
        assert officer.get(path).status_code == 200, path
    assert _views(seeded) == []
    # Still audited: each victim the lists named, with the page that named them.
    listed = _listed(seeded)
    assert {event.subject_victim_id for event in listed} >= {DEMO_VICTIM_ID}
    assert {event.detail["what"] for event in listed} <= {"review queue", "timeliness report"}
    assert "Nobody has viewed your information yet." in page_text(victim_client.get(PAGE))


def test_sec13_opening_the_victims_page_is_a_view_in_plain_words(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    officer = signed_in(seeded, OFFICER)
    assert officer.get(f"/staff/victims/{DEMO_VICTIM_ID}").status_code == 200
    assert officer.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}").status_code == 200
    assert len(_views(seeded)) == 2
    text = page_text(victim_client.get(PAGE))
    assert "Olive Officer, a witness care officer, looked at your contact preferences and needs." in text
    assert f"Olive Officer, a witness care officer, looked at your case {DEMO_CASE_URN}." in text
    for word in JARGON:
        assert word not in text.lower(), word


def test_sec13_every_page_about_the_victim_is_described_in_plain_words(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """Every GET page an officer or a support worker can open, with real ids: each view it records is in
    words written for the victim, never the generic fallback or staff jargon."""
    create_communication(seeded, DEMO_VICTIM_ID, status="permanent-failure", failure_reason="wrong number")
    paths = get_paths(seeded)
    for who in (OFFICER, SUPPORT_WORKER):
        client = signed_in(seeded, who)
        for path in paths:
            assert client.get(path).status_code < 500, path
        client.get(f"/staff/find-case?urn={DEMO_CASE_URN}")
    whats = {event.detail.get("what") for event in _views(seeded)}
    assert len(whats) >= 10, whats  # the walk reached the pages that record views
    for what in whats:
        assert audit.describe_view(what) != "looked at your information", what
    response = victim_client.get(PAGE)
    text = page_text(response).lower()
    assert "looked at your information" not in text
    for word in JARGON:
        assert word not in text, word
    for words in (
        "looked at your account for this service",
        "looked at who you have let help you",
        "looked at messages to you that did not arrive",
        f"looked up your case {DEMO_CASE_URN.lower()}",
        "a support worker, looked at your contact preferences and needs",
    ):
        assert words in text, words


def _add_views(app: Flask, times: list[datetime], what: str = "preferences review") -> None:
    with app.app_context(), db.job() as session:
        audit_data.add_audit_events(
            session,
            [
                {
                    "at": at,
                    "actor_user_id": None,
                    "actor_label": "Olive Officer",
                    "action": "staff.view_victim",
                    "subject_victim_id": DEMO_VICTIM_ID,
                    "request_id": None,
                    "detail": {"role": "witness_care_officer", "what": what},
                }
                for at in times
            ],
        )


def _items(html: str) -> list[str]:
    return re.findall(r"<li>\s*<span class=\"app-view-list__time\">", html)


def test_views_are_grouped_by_day_newest_first_and_paged(seeded: Flask, victim_client: FlaskClient) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
    # 120 views: 40 on each of three days, ten minutes apart.
    _add_views(seeded, [start + timedelta(days=day, minutes=10 * n) for day in range(3) for n in range(40)])
    # Listed in the review queue before lists had an action of their own: never shown.
    _add_views(seeded, [start + timedelta(days=1, hours=12)], what="review queue")
    first = victim_client.get(PAGE).get_data(as_text=True)
    text = page_text(first)
    assert len(_items(first)) == audit.VIEWS_PAGE_SIZE == 50
    assert "Showing 1 to 50 of 120 times your information was viewed" in text
    # Newest first: all 40 of Wednesday, then 10 of Tuesday, each day under its own heading.
    headings = re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', first)
    assert headings == ["Wednesday 4 March 2026", "Tuesday 3 March 2026"]
    assert text.index("3:30pm") < text.index("9am")  # the day's latest view comes first
    assert 'datetime="2026-03-04T15:30:00+00:00"' in first  # no microseconds
    assert '<a href="/account" class="govuk-back-link">Your account</a>' in first
    assert 'aria-label="Pages of views of your information"' in first
    assert "Who has viewed your information (page 1 of 3)" in first  # the title names the page
    third = victim_client.get(f"{PAGE}?page=3").get_data(as_text=True)
    assert len(_items(third)) == 20
    assert re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', third) == ["Monday 2 March 2026"]
    assert "review queue" not in page_text(third).lower()
    for wrong in ("4", "0", "two", "-1"):
        assert victim_client.get(f"{PAGE}?page={wrong}").status_code == 404, wrong


def test_one_page_needs_no_pagination(seeded: Flask, victim_client: FlaskClient) -> None:
    _add_views(seeded, [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)], what="case timeline 01YZ1234524")
    html = victim_client.get(PAGE).get_data(as_text=True)
    assert "govuk-pagination" not in html and "Showing" not in html
    assert "Olive Officer, a witness care officer, looked at your case 01YZ1234524." in page_text(html)
