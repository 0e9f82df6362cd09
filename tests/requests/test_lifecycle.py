"""Issue 16: every request a victim makes (a review, a statement, a complaint) has one life. It gets a
reference a person can read out, dates by which the agency should acknowledge and answer it in working days
from the agency's targets, and moves only forward; an answer needs words for the victim; the victim is told
discreetly when the agency acknowledges or answers, and not when they withdraw it themselves."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.config import settings_problems
from portal.extensions import db
from portal.models import User, VictimRequest, VictimRequestEvent
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


def _move(app: Flask, request_id: str, status: str, **options: Any) -> None:
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


# --- What each change records (found by make mutation) ---------------------------------------------


def _events(app: Flask, request_id: str) -> list[VictimRequestEvent]:
    with app.app_context(), db.job() as session:
        found = session.scalars(
            select(VictimRequestEvent)
            .where(VictimRequestEvent.request_id == request_id)
            .order_by(VictimRequestEvent.id)
        ).all()
        session.expunge_all()
        return list(found)


def test_an_unknown_kind_of_request_is_refused_by_name(seeded: Flask) -> None:
    with pytest.raises(ValueError, match="unknown kind of request 'appeal'"):
        _submit(seeded, "appeal")


def test_who_sent_it_and_the_version_it_replaces_are_kept(seeded: Flask) -> None:
    first = _submit(seeded, STATEMENT, "cps")
    with seeded.app_context(), db.job() as session:
        victim_id = demo_victim_id(seeded)
        user_id = session.scalar(select(User.id).where(User.victim_id == victim_id))
        previous = session.get(VictimRequest, first)
        second = lifecycle.submit(
            session,
            kind=STATEMENT,
            victim_id=victim_id,
            agency="cps",
            answers={"text": "Version 2"},
            submitted_by_user_id=user_id,
            supersedes=previous,
            now=FRIDAY,
        )
        assert (second.submitted_by_user_id, second.supersedes_id) == (user_id, first)
        assert second.submitted_by_user_id is not None
    assert _events(seeded, second.id)[0].by_user_id == user_id


def test_a_target_of_no_days_gives_no_date_to_acknowledge_by(seeded: Flask) -> None:
    seeded.config["REQUEST_TARGETS"] = "statement:cps=-/-"
    try:
        request = _get(seeded, _submit(seeded, STATEMENT, "cps"))
    finally:
        seeded.config.pop("REQUEST_TARGETS")
    assert (request.acknowledge_by, request.answer_by) == (None, None)


def test_each_change_is_dated_when_it_happened_and_keeps_the_first_acknowledgement(seeded: Flask) -> None:
    request_id = _submit(seeded)
    acknowledged = datetime(2026, 5, 26, 9, 0, tzinfo=UTC)
    considered = datetime(2026, 5, 27, 9, 0, tzinfo=UTC)
    with seeded.app_context(), db.job() as session:
        request = session.get(VictimRequest, request_id)
        assert request is not None
        lifecycle.change_status(session, request, ACKNOWLEDGED, now=acknowledged)
        lifecycle.change_status(session, request, IN_PROGRESS, note="  Looking at it  ", now=considered)
    request = _get(seeded, request_id)
    assert request.acknowledged_at == acknowledged
    events = _events(seeded, request_id)
    assert [event.at for event in events] == [FRIDAY, acknowledged, considered]
    assert [event.note for event in events] == [None, None, "Looking at it"]


def test_an_answer_without_any_words_is_refused(seeded: Flask) -> None:
    request_id = _submit(seeded, COMPLAINT, "witness_care")
    with pytest.raises(TransitionRefused, match="outcome"):
        _move(seeded, request_id, ANSWERED)
    assert _get(seeded, request_id).status == RECEIVED


def test_a_review_outcome_is_at_most_what_the_timeline_shows(seeded: Flask) -> None:
    longest, too_long = _submit(seeded), _submit(seeded)
    with pytest.raises(TransitionRefused, match="1000 characters at most"):
        _move(seeded, too_long, ANSWERED, outcome="x" * 1001, decision="upheld")
    _move(seeded, longest, ANSWERED, outcome="x" * 1000, decision="upheld")
    assert _get(seeded, longest).status == ANSWERED


def test_the_notice_waits_for_the_victims_safe_time_from_when_the_change_was_made(seeded: Flask) -> None:
    request_id = _submit(seeded)
    _move(seeded, request_id, ACKNOWLEDGED, now=datetime(2026, 5, 26, 9, 0, tzinfo=UTC))
    [notice] = messages(seeded, "request-notice")
    # The next safe time after the change, in May 2026: not the time the test happens to run.
    assert notice.not_before is not None and notice.not_before < datetime(2026, 6, 1, tzinfo=UTC)


def test_an_answered_review_about_no_case_is_told_by_the_notice(seeded: Flask) -> None:
    request_id = _submit(seeded)  # a review on no case: no timeline to put the outcome on
    _move(seeded, request_id, ANSWERED, outcome="The decision stands.", decision="upheld")
    assert len(messages(seeded, "request-notice")) == 1
