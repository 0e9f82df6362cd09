"""Correction 5, the timeline's side: the date of a right runs from when the victim was told of the
decision, never from when the agency had it. Told = the earlier of the victim first opening the update and
the first message about it reaching them (a letter when it is expected to arrive); when the victim
themselves opens an update for the first time, they are told now. The CPS's Right to Review runs from the
date of its letter. Nobody told yet: no date is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from notifications import outbox
from portal.extensions import db
from portal.models import Communication, User
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months, letter_arrives, london_date
from tests.support.builders import create_update
from tests.support.pages import page_text

SUPPORT_PAGE = f"/support/clients/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}"
VICTIM_PAGE = f"/cases/{DEMO_CASE_URN}"
UNDATED = "You can ask for a review within 3 months of being told about this decision."


def _no_further_action(app: Flask, event_id: str = "nfa") -> str:
    """A police decision not to charge after an interview under caution, 5 days ago (the agency had it
    then): the police Victims' Right to Review runs from when the victim is told."""
    occurred = datetime.now(UTC) - timedelta(days=5)
    update = create_update(
        app,
        DEMO_CASE_URN,
        "suspect-released-no-further-action",
        agency="police",
        agency_event_id=event_id,
        occurred_at=occurred,
        details={"suspect_interviewed_under_caution": True, "reason": "there is not enough evidence"},
        announce=False,
    )
    return update.id


def _delivered(app: Flask, update_id: str, channel: str, at: datetime, *, to_worker: bool = False) -> None:
    """A message about the update to the victim (or a copy to their support worker) that was delivered at
    `at` (a letter: posted then)."""
    with app.app_context(), db.job() as session:
        if channel == "letter":
            message = outbox.enqueue(
                session,
                channel="letter",
                address=["Sam Sample", "1 Demo Street", "SW1A 1AA"],
                subject="x",
                body="x",
            )
        else:
            message = outbox.enqueue(session, channel="sms", recipient="07700900123", body="x")
        message.status = outbox.DELIVERED
        message.sent_at = message.delivered_at = at
        worker = session.query(User).filter_by(email="support@demo.example").one() if to_worker else None
        session.add(
            Communication(
                victim_id=DEMO_VICTIM_ID,
                update_id=update_id,
                outbound_message_id=message.id,
                channel=channel,
                purpose="delegation-copy" if worker else "update",
                recipient_user_id=worker.id if worker else None,
            )
        )


def _entry(response: TestResponse, update_id: str) -> str:
    """The text of the update's entry on the timeline (not the summary panel above it)."""
    html = response.get_data(as_text=True)
    start = html.index(f'id="update-{update_id}"')
    end = html.find('class="moj-timeline__item"', start + 1)
    return page_text(html[start : end if end != -1 else len(html)])


def _until(told: datetime) -> str:
    return f"You can ask for a review until {format_date(add_months(london_date(told), 3))}"


def test_nobody_told_yet_no_date_then_a_letter_tells_the_victim_when_it_arrives(
    seeded: Flask, support_worker_client: FlaskClient
) -> None:
    update_id = _no_further_action(seeded)
    # Worded, and kept, with no told time.
    assert UNDATED in _entry(support_worker_client.get(SUPPORT_PAGE), update_id)

    posted = datetime.now(UTC) - timedelta(days=4)
    # A copy to the support worker tells the victim nothing.
    _delivered(seeded, update_id, "sms", posted, to_worker=True)
    assert UNDATED in _entry(support_worker_client.get(SUPPORT_PAGE), update_id)

    _delivered(seeded, update_id, "letter", posted)
    worker = _entry(support_worker_client.get(SUPPORT_PAGE), update_id)
    assert _until(letter_arrives(posted)) in worker and UNDATED not in worker
    # An earlier text message tells the victim sooner.
    texted = datetime.now(UTC) - timedelta(days=4, hours=1)
    if london_date(texted) != london_date(letter_arrives(posted)):
        _delivered(seeded, update_id, "sms", texted)
        assert _until(texted) in _entry(support_worker_client.get(SUPPORT_PAGE), update_id)


def test_the_victim_opening_an_update_for_the_first_time_is_told_now(
    seeded: Flask, victim_client: FlaskClient, support_worker_client: FlaskClient
) -> None:
    update_id = _no_further_action(seeded)
    today = datetime.now(UTC)
    victim = _entry(victim_client.get(VICTIM_PAGE), update_id)
    assert _until(today) in victim and UNDATED not in victim
    # Seen now: the support worker, and the victim coming back later, read the same date.
    assert _until(today) in _entry(support_worker_client.get(SUPPORT_PAGE), update_id)
    assert _until(today) in _entry(victim_client.get(VICTIM_PAGE), update_id)


def test_the_date_the_victim_was_told_is_the_earlier_of_a_message_and_opening_it(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    update_id = _no_further_action(seeded)
    texted = datetime.now(UTC) - timedelta(days=4)  # days before the victim opened it
    _delivered(seeded, update_id, "sms", texted)
    victim = _entry(victim_client.get(VICTIM_PAGE), update_id)
    assert _until(texted) in victim and _until(datetime.now(UTC)) not in victim


def test_the_cps_right_to_review_runs_from_the_letter(
    seeded: Flask, support_worker_client: FlaskClient
) -> None:
    update = create_update(
        seeded,
        DEMO_CASE_URN,
        "case-discontinued",
        agency="cps",
        agency_event_id="discontinued",
        occurred_at=datetime.now(UTC) - timedelta(days=3),
        details={"reason": "a key witness has died", "letter_date": "2026-11-20"},
        announce=False,
    )
    assert (
        "Ask by 4 December 2026 if you can. The CPS will still consider a request made up to 20 February 2027."
        in _entry(support_worker_client.get(SUPPORT_PAGE), update.id)
    )
