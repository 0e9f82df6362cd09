"""Issue 16, part 1: the outcome of a review on the victim's timeline. When the agency answers a review it
says what the review found (upheld or overturned); the answer becomes a `vrr-outcome` update on the case,
for that victim only, from the agency that reviewed it, and the victim is told the way they chose
(discreetly for the demo victim), once: not also by the generic request notice. Other kinds of request
are told as before, and a decision is refused on them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, CaseUpdate, VictimRequest
from portal.models.victim_requests import ACKNOWLEDGED, ANSWERED, COMPLAINT
from portal.services.demo_data import DEMO_REVIEW_ID, DEMO_VICTIM_ID, EARLIER_CASE_URN
from portal.services.requests import lifecycle
from portal.services.requests.lifecycle import TransitionRefused
from tests.support.builders import create_contact_point, create_victim
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE, messages
from tests.support.pages import page_text
from tests.support.records import count

OUTCOME = (
    "The reviewing officer agreed that the doorbell footage should have been looked at. The "
    "investigation has been reopened."
)
OUTCOME_CY = "Mae'r ymchwiliad wedi'i ailagor."


def _answer_demo_review(app: Flask, **options: str | None) -> None:
    with app.app_context(), db.job() as session:
        review = session.get(VictimRequest, DEMO_REVIEW_ID)
        assert review is not None
        lifecycle.change_status(session, review, ANSWERED, **options)  # type: ignore[arg-type]


def _outcome_updates(app: Flask) -> list[CaseUpdate]:
    with app.app_context(), db.job() as session:
        found = list(session.scalars(select(CaseUpdate).where(CaseUpdate.event_type == "vrr-outcome")))
        session.expunge_all()
    return found


def test_an_answered_review_is_on_the_victims_timeline_and_told_once_discreetly(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    # Another victim on the same case, with an email address: the outcome is not theirs to see.
    with seeded.app_context(), db.job() as session:
        case_id = session.scalar(select(Case.id).where(Case.urn == EARLIER_CASE_URN))
    other = _other_victim(seeded, case_id)
    _answer_demo_review(seeded, outcome=OUTCOME, outcome_cy=OUTCOME_CY, decision="overturned")

    [update] = _outcome_updates(seeded)
    assert (update.agency, update.victim_id, update.case_id) == ("police", DEMO_VICTIM_ID, case_id)
    assert update.details == {"outcome": "overturned", "outcome_summary": OUTCOME}
    assert update.message_cy == OUTCOME_CY
    # One message, the update's, in the demo victim's discreet wording; no generic request notice.
    assert messages(seeded, "request-notice") == []
    told = messages(seeded, f"update:{update.id}")
    assert told and {m.recipient for m in told} <= {"victim@demo.example", "+447700900123"}
    for message in told:
        for word in NOT_IN_A_DISCREET_MESSAGE:
            assert word not in (message.subject or "").lower() + message.body.lower(), word
    assert not [m for m in messages(seeded) if m.recipient == other]

    page = page_text(victim_client.get(f"/cases/{EARLIER_CASE_URN}"))
    assert "The review you asked for has finished" in page
    assert "The review found that the original decision was wrong." in page
    assert "the doorbell footage should have been looked at" in page
    victim_client.get("/language/cy?next=/cases")
    assert OUTCOME_CY in page_text(victim_client.get(f"/cases/{EARLIER_CASE_URN}"))


def _other_victim(app: Flask, case_id: int | None) -> str:
    with app.app_context(), db.job() as session:
        case = session.get(Case, case_id)
        assert case is not None
        victim = create_victim(session, "Alex", "Other", case=case, email="alex.other@example.com")
        create_contact_point(session, victim.id, "email", "alex.other@example.com")
    return "alex.other@example.com"


def test_an_upheld_decision_is_said_so(seeded: Flask, victim_client: FlaskClient) -> None:
    _answer_demo_review(seeded, outcome="The original decision was right.", decision="upheld")
    [update] = _outcome_updates(seeded)
    assert update.details["outcome"] == "upheld" and update.message_cy is None
    page = page_text(victim_client.get(f"/cases/{EARLIER_CASE_URN}"))
    assert "The review found that the original decision was right." in page


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"outcome": OUTCOME}, "needs its decision"),
        ({"outcome": OUTCOME, "decision": "partly"}, "needs its decision"),
        ({"outcome": "x" * 1001, "decision": "upheld"}, "1000 characters at most"),
    ],
)
def test_a_review_is_not_answered_without_what_it_found(
    seeded: Flask, options: dict[str, str], message: str
) -> None:
    with pytest.raises(TransitionRefused, match=message):
        _answer_demo_review(seeded, **options)
    assert _outcome_updates(seeded) == []
    assert count(seeded, VictimRequest, VictimRequest.status == ANSWERED) == 0


def test_other_kinds_are_told_by_the_notice_and_take_no_decision(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        complaint = session.scalar(select(VictimRequest).where(VictimRequest.kind == COMPLAINT))
        assert complaint is not None and complaint.status == ACKNOWLEDGED
        with pytest.raises(TransitionRefused, match="only given when answering a review"):
            lifecycle.change_status(session, complaint, ANSWERED, outcome="Sorry.", decision="upheld")
        lifecycle.change_status(session, complaint, ANSWERED, outcome="We are sorry.")
    assert len(messages(seeded, "request-notice")) == 1
    assert _outcome_updates(seeded) == []
