"""Issue 16: every request a victim makes (a review, a statement, a complaint) has one life. It gets a
reference a person can read out, dates by which the agency should acknowledge and answer it in working days
from the agency's targets, and moves only forward; an answer needs words for the victim; the victim is told
discreetly when the agency acknowledges or answers, and not when they withdraw it themselves."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from portal.config import settings_problems
from portal.extensions import db
from portal.models import VictimRequest, VictimRequestEvent
from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    COMPLAINT,
    IN_PROGRESS,
    RECEIVED,
    REVIEW,
    SERVICE,
    STATEMENT,
    WITHDRAWN,
)
from portal.services.requests import kinds, lifecycle
from portal.services.requests.lifecycle import TransitionRefused
from tests.support.demo import demo_victim_id
from tests.support.outbox import messages

# A Friday before the late May bank holiday (Monday 25 May 2026), at 10:00 London time.
FRIDAY = datetime(2026, 5, 22, 9, 0, tzinfo=UTC)


def _submit(app: Flask, kind: str = REVIEW, agency: str = "cps", now: datetime = FRIDAY) -> str:
    with app.app_context(), db.job() as session:
        request = lifecycle.submit(
            session,
            kind=kind,
            victim_id=demo_victim_id(app),
            agency=agency,
            answers={"why": "I disagree"},
            submitted_by_user_id=None,
            now=now,
        )
        return request.id


def _move(app: Flask, request_id: str, status: str, **options: str) -> None:
    with app.app_context(), db.job() as session:
        request = session.get(VictimRequest, request_id)
        assert request is not None
        lifecycle.change_status(session, request, status, **options)


def _get(app: Flask, request_id: str) -> VictimRequest:
    with app.app_context(), db.job() as session:
        request = session.get(VictimRequest, request_id)
        assert request is not None
        session.expunge(request)
        return request


def test_a_reference_is_the_kinds_prefix_and_eight_characters_that_cannot_be_misheard() -> None:
    for kind, prefix in (("review", "REV"), ("statement", "VPS"), ("complaint", "CMP")):
        reference = lifecycle.new_reference(kind)
        assert re.fullmatch(rf"{prefix}-[2-9A-HJKMNP-Z]{{4}}-[2-9A-HJKMNP-Z]{{4}}", reference), reference
    assert len({lifecycle.new_reference("review") for _ in range(200)}) == 200


def test_targets_count_working_days_past_weekends_and_bank_holidays(seeded: Flask) -> None:
    request = _get(seeded, _submit(seeded, REVIEW, "cps"))
    assert request.status == RECEIVED
    # 5 working days from Friday 22 May 2026: Tue 26 (the Monday is a bank holiday) ... Mon 1 June.
    assert request.acknowledge_by == date(2026, 6, 1)
    assert request.answer_by == kinds_answer_by(30)


def kinds_answer_by(days: int) -> date:
    from portal.services.vocabulary.deadlines import add_working_days

    return add_working_days(date(2026, 5, 22), days)


def test_a_kind_without_a_published_answer_target_has_no_answer_date(seeded: Flask) -> None:
    request = _get(seeded, _submit(seeded, STATEMENT, "cps"))
    assert request.acknowledge_by is not None
    assert request.answer_by is None


def test_targets_can_be_set_without_a_code_change(seeded: Flask) -> None:
    seeded.config["REQUEST_TARGETS"] = "complaint:service=1/3"
    try:
        request = _get(seeded, _submit(seeded, COMPLAINT, SERVICE))
    finally:
        seeded.config.pop("REQUEST_TARGETS")
    assert request.acknowledge_by == date(2026, 5, 26)
    assert request.answer_by == date(2026, 5, 28)
    with seeded.app_context():
        assert kinds.targets_for(COMPLAINT, SERVICE).unconfirmed


def test_statuses_move_forward_and_each_change_is_recorded(seeded: Flask) -> None:
    request_id = _submit(seeded)
    _move(seeded, request_id, ACKNOWLEDGED)
    _move(seeded, request_id, IN_PROGRESS, note="A prosecutor is looking at it")
    with pytest.raises(TransitionRefused, match="cannot go back"):
        _move(seeded, request_id, ACKNOWLEDGED)
    _move(seeded, request_id, ANSWERED, outcome="The decision was right.", decision="upheld")
    with pytest.raises(TransitionRefused, match="cannot change"):
        _move(seeded, request_id, WITHDRAWN)
    request = _get(seeded, request_id)
    assert (request.status, request.outcome) == (ANSWERED, "The decision was right.")
    assert request.acknowledged_at is not None and request.answered_at is not None
    with seeded.app_context(), db.job() as session:
        history = session.scalars(
            select(VictimRequestEvent.status)
            .where(VictimRequestEvent.request_id == request_id)
            .order_by(VictimRequestEvent.id)
        ).all()
    assert history == [RECEIVED, ACKNOWLEDGED, IN_PROGRESS, ANSWERED]


def test_an_answer_needs_words_for_the_victim(seeded: Flask) -> None:
    request_id = _submit(seeded)
    with pytest.raises(TransitionRefused, match="outcome"):
        _move(seeded, request_id, ANSWERED, outcome="   ")
    assert _get(seeded, request_id).status == RECEIVED


def test_answering_straight_away_counts_as_acknowledged(seeded: Flask) -> None:
    request_id = _submit(seeded)
    _move(
        seeded,
        request_id,
        ANSWERED,
        outcome="Overturned: the suspect will be charged.",
        decision="overturned",
    )
    request = _get(seeded, request_id)
    assert request.acknowledged_at == request.answered_at


@pytest.mark.parametrize("status", ["received", "closed", ""])
def test_a_status_that_is_not_a_step_forward_is_refused(seeded: Flask, status: str) -> None:
    request_id = _submit(seeded)
    with pytest.raises(TransitionRefused, match="status must be one of"):
        _move(seeded, request_id, status)


def test_the_victim_is_told_discreetly_when_the_agency_moves_it_but_not_when_they_withdraw(
    seeded: Flask,
) -> None:
    request_id = _submit(seeded)
    assert messages(seeded, "request-notice") == []
    _move(seeded, request_id, ACKNOWLEDGED)
    [notice] = messages(seeded, "request-notice")
    assert "review" not in notice.body.lower() and "cps" not in notice.body.lower()
    assert "Sign in" in notice.body
    _move(seeded, request_id, WITHDRAWN)
    assert len(messages(seeded, "request-notice")) == 1


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("complaint:police=5", "Cannot read the request target"),
        ("complaint:police=0/20", "at least 1 working day"),
        ("complaint:police=20/5", "no less to answer than to acknowledge"),
        ("review:service=5/20", "no request target for review:service"),
        ("appeal:cps=5/20", "no request target for appeal:cps"),
        ("review:cps=5/30,review:cps=5/20", "more than once"),
    ],
)
def test_a_request_target_that_cannot_be_read_stops_the_portal_starting(text: str, refusal: str) -> None:
    problems = settings_problems({"PORTAL_ENV": "development", "PROXY_HOPS": 0, "REQUEST_TARGETS": text})
    assert refusal in problems["REQUEST_TARGETS"]


def test_request_targets_read_with_no_target_written_as_a_dash() -> None:
    assert kinds.parse_targets(" statement:cps=5/-, complaint:service=1/3 ") == {
        (STATEMENT, "cps"): kinds.Targets(5, None, unconfirmed=False),
        (COMPLAINT, SERVICE): kinds.Targets(1, 3, unconfirmed=False),
    }
    assert settings_problems({"PORTAL_ENV": "development", "PROXY_HOPS": 0, "REQUEST_TARGETS": ""}) == {}
