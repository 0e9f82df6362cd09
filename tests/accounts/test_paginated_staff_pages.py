"""The admin's long lists come a page at a time (issue 21, item 7): the audit trail 50 events a page with
every search kept in the page links, each action by its name and its detail as "Key: value" lines (not
JSON); the API clients 25 keys a page, keys in use first and the newest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.data import audit as audit_data
from portal.extensions import db
from portal.models import ApiClient, AuditEvent
from portal.services.agency_api import clients as api_clients
from portal.services.common import audit, audit_labels
from tests.support.pages import page_text

EVENTS = 120
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _add_events(app: Flask) -> None:
    """120 "organisation-changed" events, a minute apart, by "Tester 0" (the oldest) to "Tester 119"."""
    with app.app_context(), db.job() as session:
        audit_data.add_audit_events(
            session,
            [
                {
                    "at": START + timedelta(minutes=n),
                    "actor_user_id": None,
                    "actor_label": f"Tester {n}",
                    "action": audit.ORGANISATION_CHANGED,
                    "subject_victim_id": None,
                    "request_id": f"req-{n}",
                    "detail": {"role": "admin", "organisation_id": n, "changed": ["name", "force_code"]},
                }
                for n in range(EVENTS)
            ],
        )


def _headings(html: str) -> list[str]:
    """The heading of each event listed (its action)."""
    return [
        page_text(h).strip() for h in re.findall(r'<h2 class="govuk-heading-s[^"]*">(.*?)</h2>', html, re.S)
    ]


def _actors(html: str) -> list[str]:
    return re.findall(r"Who:</dt> <dd[^>]*>(Tester \d+)", page_text(html, markup=True))


def test_the_audit_trail_comes_50_events_a_page(seeded: Flask, admin_client: FlaskClient) -> None:
    _add_events(seeded)
    search = "action=organisation-changed&since=2&since=3&since=2026&until=2&until=3&until=2026"
    first = admin_client.get(f"/admin/audit?{search}")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert _actors(html) == [f"Tester {n}" for n in range(119, 69, -1)]  # newest first, 50 of them
    text = page_text(html)
    assert "120 events (newest first)" in text and "Showing 1 to 50 of 120 events" in text
    # Names, not codes; detail as readable lines, not JSON.
    assert set(_headings(html)) == {"Organisation changed"}
    assert "organisation-changed" not in text
    assert "Role: Administrator" in text and "Organisation id: 119" in text
    assert "Changed: name, force_code" in text
    assert '{"' not in text and "&#34;" not in html.split("<main", 1)[1]
    # The page links keep the search.
    nav = html[html.index('aria-label="Pages of audit events"') :]
    nav = nav[: nav.index("</nav>")].replace("&amp;", "&")
    page_two = next(link for link in re.findall(r'href="([^"]*)"', nav) if "page=2" in link)
    for part in ("action=organisation-changed", "since=2&since=3&since=2026", "until=2&until=3&until=2026"):
        assert part in page_two, (part, page_two)

    second = admin_client.get(page_two)
    assert second.status_code == 200
    assert _actors(second.get_data(as_text=True)) == [f"Tester {n}" for n in range(69, 19, -1)]
    assert "Showing 51 to 100 of 120 events" in page_text(second)
    assert "(page 2 of 3)" in page_text(second, markup=True).split("</title>")[0]
    last = admin_client.get(page_two.replace("page=2", "page=3"))
    assert _actors(last.get_data(as_text=True)) == [f"Tester {n}" for n in range(19, -1, -1)]
    assert admin_client.get(page_two.replace("page=2", "page=4")).status_code == 404
    assert admin_client.get("/admin/audit?page=0").status_code == 404
    # Unfiltered, every page is bounded too: at most 50 events.
    everything = admin_client.get("/admin/audit").get_data(as_text=True)
    assert len(_headings(everything)) == 50
    with seeded.app_context():
        total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    # (The search itself is audited after it counted: the trail has one event more than it found.)
    assert f"Showing 1 to 50 of {total - 1:,} events" in page_text(everything)


def test_every_audit_action_has_a_name(babel_app_context: Flask) -> None:
    for action in audit.ACTIONS:
        assert action in audit_labels.ACTION_LABELS, action
    assert audit_labels.action_label("sign-in-failed") == "Sign-in failed"
    assert audit_labels.action_label("staff.view_victim") == "Victim shown on a staff page"
    assert audit_labels.action_label("api.send_updates") == "Agency API: updates sent"
    assert audit_labels.action_label("api.something_new") == "Agency API: something new"
    assert audit_labels.action_label("brand-new.thing") == "Brand new thing"  # one nobody named yet
    assert audit_labels.detail_lines(
        {"role": "witness_care_officer", "what": "review queue", "ok": True}
    ) == [
        ("Role", "Witness care officer"),
        ("What was shown", "review queue"),
        ("Ok", "Yes"),
    ]
    # The search offers each action by its name.
    names = [name for _, name in audit_labels.action_choices(audit.ACTIONS)]
    assert names == sorted(names) and "Sign-in failed" in names and "sign-in-failed" not in names


def test_the_api_clients_come_25_a_page(seeded: Flask, admin_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        demo = session.scalar(select(func.count()).select_from(ApiClient)) or 0
        for n in range(30):
            api_clients.create_client(
                session,
                name=f"Probation system {n:02d}",
                agency="probation",
                force_code=None,
                created_by="Ada",
            )
            session.flush()
            newest = session.scalar(select(ApiClient).where(ApiClient.name == f"Probation system {n:02d}"))
            assert newest is not None
            newest.created_at = datetime.now(UTC) + timedelta(days=n + 1)  # after the demo keys
        old = session.scalar(select(ApiClient).where(ApiClient.name == "Probation system 29"))
        assert old is not None
        old.revoked_at = datetime.now(UTC)  # the newest key, but revoked: at the end
    first = admin_client.get("/admin/api-clients")
    html = first.get_data(as_text=True)
    names = re.findall(r'<span class="govuk-!-font-weight-bold">([^<]*)</span>', html)
    assert len(names) == 25
    assert names[:3] == ["Probation system 28", "Probation system 27", "Probation system 26"]
    text = page_text(html)
    assert f"{30 + demo - 1} keys in use, 1 revoked" in text
    assert f"Showing 1 to 25 of {30 + demo} keys" in text
    second = admin_client.get("/admin/api-clients?page=2")
    assert second.status_code == 200
    later = re.findall(
        r'<span class="govuk-!-font-weight-bold">([^<]*)</span>', second.get_data(as_text=True)
    )
    assert len(later) == 30 + demo - 25
    assert later[-1] == "Probation system 29"  # revoked keys last
    assert "Probation system 03" in later and "Probation system 28" not in later
    assert admin_client.get("/admin/api-clients?page=3").status_code == 404
