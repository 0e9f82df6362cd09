"""Issue 15, the officer's side of secure messages: the unit's inbox (overdue first, tabs by status), a
thread's page with internal notes the victim never sees, replying (from a common reply, with the text kept
on errors), assigning and closing, each look and reply audited and shown to the victim; another unit's
thread, or one written to the Victim Liaison Officer, is a 404 on every route that takes an id."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.data import cases as cases_data
from portal.extensions import db
from portal.models import MessageThread, Victim
from portal.models.messages import NEW, TO_OFFICER_IN_CASE, TO_VLO, TO_WITNESS_CARE
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.secure_messages import threads
from portal.services.secure_messages.demo import DEMO_THREAD_ID
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit

LONG_AGO = datetime(2024, 6, 3, 9, tzinfo=UTC)


def write(
    app: Flask,
    subject: str,
    *,
    victim_id: str | None = None,
    urn: str = DEMO_CASE_URN,
    recipient: str = TO_WITNESS_CARE,
    body: str = "When is the trial?",
    now: datetime | None = None,
) -> str:
    """A thread from the victim (the demo victim on the demo case unless given); its id."""
    victim_id = victim_id or demo_victim_id(app)
    with app.app_context(), db.job() as session:
        case = cases_data.get_case_by_urn(session, urn)
        assert case is not None
        victim = session.get(Victim, victim_id)
        assert victim is not None
        thread, _message = threads.start(
            session,
            victim_id=victim_id,
            case=case,
            recipient=recipient,
            subject=subject,
            body=body,
            written_by_user_id=None,
            author_label=victim.full_name,
            now=now,
        )
        return thread.id


def status_of(app: Flask, thread_id: str) -> str:
    with app.app_context(), db.job() as session:
        thread = session.get(MessageThread, thread_id)
        assert thread is not None
        return thread.status


def test_the_inbox_lists_the_units_threads_overdue_first(seeded: Flask, officer_client: FlaskClient) -> None:
    other = create_other_unit(seeded)
    fresh = write(seeded, "Fresh question")
    overdue = write(seeded, "Old question", now=LONG_AGO)
    to_officer = write(seeded, "For the officer", recipient=TO_OFFICER_IN_CASE)
    to_vlo = write(seeded, "For the liaison officer", recipient=TO_VLO)
    elsewhere = write(seeded, "Another unit's", victim_id=other["victim_id"], urn=other["urn"])

    html = officer_client.get("/staff/messages").get_data(as_text=True)
    for shown in ("Fresh question", "Old question", "For the officer"):
        assert shown in html, shown
    for hidden in ("For the liaison officer", "Another unit&#39;s", "Another unit's"):
        assert hidden not in html, hidden
    assert html.index("Old question") < html.index("Fresh question")
    overdue_row = html[html.index("Old question") : html.index("Old question") + 900]
    assert "Overdue" in overdue_row and "govuk-tag--red" in overdue_row
    assert "Overdue" not in html[html.index("Fresh question") : html.index("Fresh question") + 900]
    assert "1 message is overdue" in page_text(html)
    assert {fresh, overdue, to_officer} <= set(re.findall(r"/staff/messages/([0-9a-f-]{36})", html))
    assert to_vlo not in html and elsewhere not in html


@pytest.mark.security(11)
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/staff/messages/{id}", None),
        ("post", "/staff/messages/{id}/reply", {"reply": "Hello", "action": "send"}),
        ("post", "/staff/messages/{id}/reply", {"reply_template": "received", "action": "use-template"}),
        ("post", "/staff/messages/{id}/note", {"note": "A note"}),
        ("post", "/staff/messages/{id}/change", {"change": "assign-to-me"}),
        ("post", "/staff/messages/{id}/change", {"change": "close"}),
        ("post", "/staff/messages/{id}/change", {"change": "nonsense"}),
    ],
)
def test_another_units_thread_is_not_found_on_every_route(
    seeded: Flask, officer_client: FlaskClient, method: str, path: str, data: dict[str, str] | None
) -> None:
    other = create_other_unit(seeded)
    elsewhere = write(seeded, "Another unit's", victim_id=other["victim_id"], urn=other["urn"])
    mine = write(seeded, "Ours")
    for hidden in (elsewhere, DEMO_THREAD_ID, "not-an-id"):  # another unit's; to the VLO (probation's)
        url = path.format(id=hidden)
        if method == "get":
            response = officer_client.get(url)
        else:
            response = post_form(officer_client, url, data, page="/staff/messages")
        assert response.status_code == 404, (url, data)
    assert status_of(seeded, elsewhere) == NEW
    # The same request on the unit's own thread is not a 404.
    url = path.format(id=mine)
    if method == "get":
        response = officer_client.get(url)
    else:
        response = post_form(officer_client, url, data, page=f"/staff/messages/{mine}")
    assert response.status_code in (200, 302, 400), (url, data)
