"""Issue 16, part 1, through the pages: from the link next to the Victims' Right to Review on the victim's
timeline to the confirmation with the reference. Answers survive errors (they are kept on the server),
a late request asks for the reason for the delay, a request after the last date considered is not taken
online, and a decision can be asked about once. Another victim's update, an update without the right and
anyone but the victim get a 404."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import VictimRequest
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months, add_working_days, london_date
from tests.support.builders import create_case, create_update, create_victim
from tests.support.pages import page_text, post_form

LINK = "Ask for a review of this decision"


def _today() -> date:
    return london_date(datetime.now(UTC))


def _update(
    app: Flask, event_type: str, details: dict[str, Any], *, agency: str = "cps", case: str = DEMO_CASE_URN
) -> str:
    update = create_update(
        app,
        case,
        event_type,
        agency=agency,
        agency_event_id=f"{event_type}-{uuid.uuid4()}",
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
        details=details,
        announce=False,
    )
    return update.id


def _cps_decision(app: Flask, letter: date | None = None, event_type: str = "cps-no-charge-decision") -> str:
    return _update(app, event_type, {"letter_date": (letter or _today()).isoformat()})


def _requests(app: Flask, update_id: str) -> list[VictimRequest]:
    with app.app_context(), db.job() as session:
        found = list(session.scalars(select(VictimRequest).where(VictimRequest.update_id == update_id)))
        for request in found:
            session.expunge(request)
        return found


def _start(update_id: str) -> str:
    return f"/updates/{update_id}/review"


def test_the_timeline_links_to_the_review_only_next_to_an_open_right(
    seeded: Flask, victim_client: FlaskClient, support_worker_client: FlaskClient
) -> None:
    open_right = _cps_decision(seeded)
    closed_right = _cps_decision(seeded, add_months(_today(), -4), "case-discontinued")
    no_right = _update(
        seeded, "investigation-closed", {"suspect_interviewed_under_caution": False}, agency="police"
    )
    html = victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    links = re.findall(r'href="/updates/([0-9a-f-]+)/review">\s*' + LINK, html)
    assert links == [open_right]
    assert closed_right in html and no_right in html
    # A support worker helping the victim sees the same timeline, with the right but without the link.
    worker_page = support_worker_client.get(f"/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}")
    assert worker_page.status_code == 200
    assert "Victims' Right to Review" in page_text(worker_page)
    assert LINK not in page_text(worker_page)


def test_a_victim_asks_the_cps_for_a_review_and_nothing_typed_is_lost(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update_id = _cps_decision(seeded)
    today = _today()
    start = page_text(victim_client.get(_start(update_id)))
    assert (
        "A prosecutor from the Crown Prosecution Service who was not involved in the decision will look at the decision again."
        in start
    )
    assert (
        f"Ask by {format_date(add_working_days(today, 10))} if you can. A request made until "
        f"{format_date(add_months(today, 3))} will still be considered." in start
    )
    assert "We will send your request to the Crown Prosecution Service (CPS)." in start

    reasons_url = f"{_start(update_id)}/reasons"
    page = victim_client.get(reasons_url)
    assert 'data-maxlength="5000"' in page.get_data(as_text=True)
    assert "We will contact you in the way you told us." in page_text(page)

    # Missing the required answer: the error, and what was typed is still there.
    error = post_form(victim_client, reasons_url, {"reasons": "", "anything_else": "I have a witness."})
    assert error.status_code == 200
    assert "Enter why you disagree with the decision" in page_text(error)
    assert page_text(error).startswith("Error:") or "<title>Error:" in error.get_data(as_text=True)
    assert "I have a witness." in page_text(error)
    # ... and kept on the server: coming back to the page shows it.
    assert "I have a witness." in page_text(victim_client.get(reasons_url))

    too_long = post_form(
        victim_client, reasons_url, {"reasons": "x" * 5001, "anything_else": "I have a witness."}
    )
    assert "Why you disagree with the decision must be 5000 characters or fewer" in page_text(too_long)
    assert "x" * 5001 in page_text(too_long)
    # Kept as typed, but never sent: the check page sends the victim back to the question.
    assert victim_client.get(f"{_start(update_id)}/check").location.endswith(reasons_url)

    sent = post_form(
        victim_client,
        reasons_url,
        {"reasons": "They did not look at the CCTV.", "anything_else": "I have a witness."},
    )
    assert sent.status_code == 302 and sent.location.endswith(f"{_start(update_id)}/check")
    check = page_text(victim_client.get(f"{_start(update_id)}/check"))
    for expected in (
        "Why do you disagree with the decision? They did not look at the CCTV.",
        "Is there anything else the person reviewing the decision should know? I have a witness.",
        "Who will review it Crown Prosecution Service",
        "How we will contact you In the way you told us",
    ):
        assert expected in check
    assert "Why are you asking for a review now?" not in check

    done = post_form(victim_client, f"{_start(update_id)}/check")
    assert done.status_code == 302 and done.location.endswith(f"{_start(update_id)}/confirmation")
    [made] = _requests(seeded, update_id)
    assert (made.kind, made.agency, made.victim_id, made.status) == (
        "review",
        "cps",
        DEMO_VICTIM_ID,
        "received",
    )
    assert made.answers == {"reasons": "They did not look at the CCTV.", "anything_else": "I have a witness."}
    assert made.acknowledge_by == add_working_days(today, 5)
    assert made.answer_by == add_working_days(today, 30)

    confirmation = page_text(victim_client.get(done.location))
    assert f"Request for a review sent Your reference number {made.reference}" in confirmation
    assert (
        f"They should acknowledge your request by {format_date(made.acknowledge_by)} and answer it by "
        f"{format_date(made.answer_by)}." in confirmation
    )

    # One request per decision: asking again shows the request made.
    again = page_text(victim_client.get(_start(update_id)))
    assert "You have already asked for a review of this decision" in again
    assert made.reference in again
    assert victim_client.get(reasons_url).location.endswith(_start(update_id))
    post_form(victim_client, f"{_start(update_id)}/check", page=_start(update_id))
    assert len(_requests(seeded, update_id)) == 1


def test_a_police_decision_goes_to_the_police(seeded: Flask, victim_client: FlaskClient) -> None:
    update_id = _update(
        seeded,
        "suspect-released-no-further-action",
        {"suspect_interviewed_under_caution": True, "reason": "not enough evidence"},
        agency="police",
    )
    start = page_text(victim_client.get(_start(update_id)))
    assert "A police officer who was not involved in the decision will look at the decision again." in start
    assert f"You can ask until {format_date(add_months(_today(), 3))}." in start
    post_form(victim_client, f"{_start(update_id)}/reasons", {"reasons": "The suspect lied."})
    post_form(victim_client, f"{_start(update_id)}/check")
    [made] = _requests(seeded, update_id)
    assert made.agency == "police"


def test_a_late_request_asks_why_and_keeps_the_reason(seeded: Flask, victim_client: FlaskClient) -> None:
    letter = _today() - timedelta(days=30)
    update_id = _cps_decision(seeded, letter)
    start = page_text(victim_client.get(_start(update_id)))
    assert f"Requests should normally be made by {format_date(add_working_days(letter, 10))}." in start
    assert "you will need to say why you are asking now" in start
    after_reasons = post_form(victim_client, f"{_start(update_id)}/reasons", {"reasons": "Wrong."})
    assert after_reasons.location.endswith(f"{_start(update_id)}/delay")
    # The check page cannot be reached without the reason.
    assert victim_client.get(f"{_start(update_id)}/check").location.endswith(f"{_start(update_id)}/delay")
    error = post_form(victim_client, f"{_start(update_id)}/delay", {"delay_reason": " "})
    assert "Enter why you are asking for a review now" in page_text(error)
    post_form(victim_client, f"{_start(update_id)}/delay", {"delay_reason": "I was in hospital."})
    check = page_text(victim_client.get(f"{_start(update_id)}/check"))
    assert "Why are you asking for a review now? I was in hospital." in check
    post_form(victim_client, f"{_start(update_id)}/check")
    [made] = _requests(seeded, update_id)
    assert made.answers == {"reasons": "Wrong.", "delay_reason": "I was in hospital."}


def test_after_the_last_date_considered_it_says_whom_to_contact(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    letter = add_months(_today(), -3) - timedelta(days=1)
    update_id = _cps_decision(seeded, letter)
    page = page_text(victim_client.get(_start(update_id)))
    assert "You can no longer ask for a review of this decision online" in page
    assert (
        f"The last day to ask for a review of this decision was {format_date(add_months(letter, 3))}." in page
    )
    assert "write to the Crown Prosecution Service using the contact details on the letter" in page
    assert victim_client.get(f"{_start(update_id)}/reasons").location.endswith(_start(update_id))
    post_form(victim_client, f"{_start(update_id)}/check", page=_start(update_id))
    assert _requests(seeded, update_id) == []


def test_after_no_evidence_is_offered_the_pages_say_what_a_review_can_do(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update_id = _cps_decision(seeded, event_type="no-evidence-offered")
    limit = "the case cannot be started again, whatever the review finds. If the review finds the decision was wrong, you will get an explanation and an apology."
    start = page_text(victim_client.get(_start(update_id)))
    assert limit in start
    assert "it can be changed" not in start
    post_form(victim_client, f"{_start(update_id)}/reasons", {"reasons": "Wrong."})
    assert limit in page_text(victim_client.get(f"{_start(update_id)}/check"))


def test_other_victims_updates_updates_without_the_right_and_other_roles_get_404(
    seeded: Flask, victim_client: FlaskClient, officer_client: FlaskClient
) -> None:
    other_case = create_case(seeded, "01ZZ7654321", offence="Burglary")
    create_victim(seeded, "Alex", "Other", case=other_case)
    theirs = _update(
        seeded, "cps-no-charge-decision", {"letter_date": _today().isoformat()}, case="01ZZ7654321"
    )
    no_right = _update(
        seeded, "investigation-closed", {"suspect_interviewed_under_caution": False}, agency="police"
    )
    mine = _cps_decision(seeded)
    for update_id in (theirs, no_right, "0" * 36):
        for step in ("", "/reasons", "/check", "/confirmation"):
            assert victim_client.get(f"{_start(update_id)}{step}").status_code == 404, (update_id, step)
    assert post_form(victim_client, f"{_start(theirs)}/check", page="/preferences").status_code == 404
    for step in ("", "/reasons", "/check"):
        assert officer_client.get(f"{_start(mine)}{step}").status_code == 404
    assert _requests(seeded, theirs) == []
