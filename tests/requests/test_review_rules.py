"""Issue 16, part 1: which decisions a victim can ask to have reviewed (the Victims' Right to Review), who
reviews them, and by when: the police 3 months from when the victim was told; the Crown Prosecution
Service (CPS) 10 working days from its letter's date, and up to 3 months with a reason for the delay; after
that, no longer online. After no evidence is offered, a review can only lead to an explanation and an
apology."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import UpdateSeen, VictimRequest
from portal.models.victim_requests import RECEIVED, REVIEW, WITHDRAWN
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID, EARLIER_CASE_URN
from portal.services.requests import lifecycle
from portal.services.requests import review as reviews
from portal.services.vocabulary.deadlines import LONDON
from tests.support.builders import create_case, create_update, create_victim

VICTIM = Actor(user_id=0, role="victim", victim_id=DEMO_VICTIM_ID)

# The CPS letter of Monday 1 March 2027: 10 working days later is Monday 15 March; 3 months, 1 June.
LETTER = "2027-03-01"
CPS_ORDINARY_BY = date(2027, 3, 15)
CPS_LAST = date(2027, 6, 1)


def _at(day: date, hour: int = 12) -> datetime:
    """Midday (or `hour`) in London on `day`, as an aware UTC time."""
    return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)


def _update(
    app: Flask,
    event_type: str,
    details: dict[str, Any],
    *,
    agency: str,
    told: datetime | None = None,
    case: str = DEMO_CASE_URN,
    victim_id: str | None = None,
) -> str:
    occurred = datetime(2027, 2, 26, 10, 0, tzinfo=UTC)
    update = create_update(
        app,
        case,
        event_type,
        agency=agency,
        agency_event_id=f"{event_type}-{uuid.uuid4()}",
        occurred_at=occurred,
        details=details,
        victim_id=victim_id,
        announce=False,
    )
    if told is not None:
        with app.app_context(), db.job() as session:
            session.add(UpdateSeen(update_id=update.id, victim_id=DEMO_VICTIM_ID, seen_at=told))
    return update.id


def _offer(app: Flask, update_id: str, today: date) -> reviews.ReviewOffer:
    with app.test_request_context(), db.job() as session:
        return reviews.offer(session, VICTIM, update_id, now=_at(today))


def _no_offer(app: Flask, update_id: str) -> None:
    with app.test_request_context(), db.job() as session, pytest.raises(NotFound):
        reviews.offer(session, VICTIM, update_id, now=_at(date(2027, 3, 2)))


NFA = {"reason": "not enough evidence", "officer_name": "DC Sam Patel", "officer_contact": "01632 960 201"}


@pytest.mark.parametrize("event_type", ["suspect-released-no-further-action", "investigation-closed"])
def test_the_police_decision_is_reviewable_only_when_the_suspect_was_interviewed_under_caution(
    seeded: Flask, event_type: str
) -> None:
    told = _at(date(2027, 3, 1), 9)
    interviewed = _update(
        seeded, event_type, {**NFA, "suspect_interviewed_under_caution": True}, agency="police", told=told
    )
    review = _offer(seeded, interviewed, date(2027, 3, 2))
    assert review.agency == "police"
    assert (review.starts, review.ordinary_by, review.last_considered) == (
        date(2027, 3, 1),
        date(2027, 6, 1),
        date(2027, 6, 1),
    )
    assert review.limit is None

    _no_offer(
        seeded,
        _update(seeded, event_type, {**NFA, "suspect_interviewed_under_caution": False}, agency="police"),
    )
    _no_offer(seeded, _update(seeded, event_type, {"reason": "no suspect"}, agency="police"))


def test_updates_that_are_not_such_decisions_offer_no_review(seeded: Flask) -> None:
    _no_offer(seeded, _update(seeded, "crime-recorded", {"crime_reference": "X/1"}, agency="police"))
    _no_offer(seeded, _update(seeded, "charge-altered", {"charges": ["assault"]}, agency="cps"))


@pytest.mark.parametrize("event_type", ["cps-no-charge-decision", "case-discontinued", "no-evidence-offered"])
def test_cps_decisions_go_to_the_cps_and_count_from_the_letters_date(seeded: Flask, event_type: str) -> None:
    # Told a week after the letter's date: the CPS clock still runs from the letter.
    update_id = _update(seeded, event_type, {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 8)))
    review = _offer(seeded, update_id, date(2027, 3, 9))
    assert review.agency == "cps"
    assert (review.starts, review.ordinary_by, review.last_considered) == (
        date(2027, 3, 1),
        CPS_ORDINARY_BY,
        CPS_LAST,
    )


def test_without_a_letter_date_the_cps_clock_runs_from_when_the_victim_was_told(seeded: Flask) -> None:
    update_id = _update(seeded, "cps-no-charge-decision", {}, agency="cps", told=_at(date(2027, 3, 1), 22))
    review = _offer(seeded, update_id, date(2027, 3, 2))
    assert (review.starts, review.ordinary_by) == (date(2027, 3, 1), CPS_ORDINARY_BY)


def test_a_victim_not_yet_told_is_counted_as_told_today(seeded: Flask) -> None:
    update_id = _update(
        seeded,
        "suspect-released-no-further-action",
        {**NFA, "suspect_interviewed_under_caution": True},
        agency="police",
    )
    review = _offer(seeded, update_id, date(2027, 4, 6))
    assert (review.starts, review.last_considered) == (date(2027, 4, 6), date(2027, 7, 6))


def test_the_cps_window_its_late_reason_and_its_last_day_at_the_exact_boundaries(seeded: Flask) -> None:
    update_id = _update(
        seeded, "case-discontinued", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    on_the_last_ordinary_day = _offer(seeded, update_id, CPS_ORDINARY_BY)
    assert not on_the_last_ordinary_day.late
    the_day_after = _offer(seeded, update_id, date(2027, 3, 16))
    assert the_day_after.late and not the_day_after.too_late
    on_the_last_day = _offer(seeded, update_id, CPS_LAST)
    assert on_the_last_day.late and not on_the_last_day.too_late
    after = _offer(seeded, update_id, date(2027, 6, 2))
    assert after.too_late
    assert "Crown Prosecution Service" in reviews.how_to_ask_after_the_limit(after)


def test_the_police_window_has_no_late_period(seeded: Flask) -> None:
    update_id = _update(
        seeded,
        "investigation-closed",
        {**NFA, "suspect_interviewed_under_caution": True},
        agency="police",
        told=_at(date(2027, 3, 1)),
    )
    last = _offer(seeded, update_id, date(2027, 6, 1))
    assert not last.late and not last.too_late
    after = _offer(seeded, update_id, date(2027, 6, 2))
    assert after.late and after.too_late
    # Said plainly, with the officer's number from the update.
    assert "contact DC Sam Patel on 01632 960 201" in reviews.how_to_ask_after_the_limit(after)


def _submit(app: Flask, update_id: str, today: date, answers: dict[str, Any]) -> VictimRequest:
    with app.test_request_context(), db.job() as session:
        review = reviews.offer(session, VICTIM, update_id, now=_at(today))
        request = reviews.submit(session, VICTIM, review, answers, submitted_by_user_id=None, now=_at(today))
        session.expunge(request)
        return request


def test_a_late_request_needs_the_reason_for_the_delay_and_keeps_it(seeded: Flask) -> None:
    update_id = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    with pytest.raises(reviews.ReviewRefused, match="delay_reason"):
        _submit(seeded, update_id, date(2027, 3, 16), {"reasons": "They ignored the CCTV."})
    made = _submit(
        seeded,
        update_id,
        date(2027, 3, 16),
        {"reasons": " They ignored the CCTV. ", "delay_reason": "I was in hospital."},
    )
    assert (made.kind, made.agency, made.status, made.update_id) == (REVIEW, "cps", RECEIVED, update_id)
    assert made.answers == {"reasons": "They ignored the CCTV.", "delay_reason": "I was in hospital."}


def test_in_the_ordinary_window_no_delay_reason_is_asked_or_kept(seeded: Flask) -> None:
    update_id = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    made = _submit(
        seeded,
        update_id,
        CPS_ORDINARY_BY,
        {"reasons": "Wrong.", "anything_else": "", "delay_reason": "stale"},
    )
    assert made.answers == {"reasons": "Wrong."}


def test_after_the_last_day_considered_the_request_is_refused(seeded: Flask) -> None:
    update_id = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    with pytest.raises(reviews.ReviewRefused, match="last date"):
        _submit(seeded, update_id, date(2027, 6, 2), {"reasons": "Wrong.", "delay_reason": "Unwell."})


def test_the_reasons_are_required_and_no_answer_may_pass_5000_characters(seeded: Flask) -> None:
    update_id = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    with pytest.raises(reviews.ReviewRefused, match="reasons is required"):
        _submit(seeded, update_id, date(2027, 3, 2), {"reasons": "   "})
    with pytest.raises(reviews.ReviewRefused, match="longer than 5000"):
        _submit(seeded, update_id, date(2027, 3, 2), {"reasons": "x" * 5001})
    assert (
        _submit(seeded, update_id, date(2027, 3, 2), {"reasons": "x" * 5000}).answers["reasons"] == "x" * 5000
    )


def test_one_review_per_decision_until_it_is_withdrawn(seeded: Flask) -> None:
    update_id = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    first = _submit(seeded, update_id, date(2027, 3, 2), {"reasons": "Wrong."})
    assert _offer(seeded, update_id, date(2027, 3, 3)).existing is not None
    with pytest.raises(reviews.ReviewRefused, match="already"):
        _submit(seeded, update_id, date(2027, 3, 3), {"reasons": "Again."})
    with seeded.app_context(), db.job() as session:
        request = session.get(VictimRequest, first.id)
        assert request is not None
        lifecycle.change_status(session, request, WITHDRAWN, now=_at(date(2027, 3, 3)))
    assert _offer(seeded, update_id, date(2027, 3, 4)).existing is None
    assert _submit(seeded, update_id, date(2027, 3, 4), {"reasons": "Again."}).id != first.id


def test_after_no_evidence_is_offered_a_review_can_only_explain_and_apologise(seeded: Flask) -> None:
    ended = _offer(
        seeded,
        _update(seeded, "no-evidence-offered", {"letter_date": LETTER}, agency="cps"),
        date(2027, 3, 2),
    )
    assert ended.limit is not None
    assert "cannot be started again" in ended.limit
    assert "an explanation and an apology" in ended.limit
    stopped = _offer(
        seeded, _update(seeded, "case-discontinued", {"letter_date": LETTER}, agency="cps"), date(2027, 3, 2)
    )
    assert stopped.limit is None


def test_another_victims_update_or_case_is_not_found(seeded: Flask) -> None:
    other_case = create_case(seeded, "99ZZ9999999", offence="Burglary")
    stranger = create_victim(seeded, "Alex", "Other", case=other_case)
    theirs = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", case="99ZZ9999999"
    )
    _no_offer(seeded, theirs)
    # On the victim's own case, but meant for another victim only.
    only_for_stranger = _update(
        seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", victim_id=stranger.id
    )
    _no_offer(seeded, only_for_stranger)
    _no_offer(seeded, "not-an-update")
    # The victim's other case is theirs: its decisions are offered as usual.
    _offer(
        seeded,
        _update(
            seeded, "cps-no-charge-decision", {"letter_date": LETTER}, agency="cps", case=EARLIER_CASE_URN
        ),
        date(2027, 3, 2),
    )


def test_answer_labels_name_every_question_of_the_journey(babel_app_context: Flask) -> None:
    labels = {key: str(label) for key, label in reviews.answer_labels().items()}
    assert labels == {
        "reasons": "Why do you disagree with the decision?",
        "anything_else": "Is there anything else the person reviewing the decision should know?",
        "delay_reason": "Why are you asking for a review now?",
    }


def test_the_days_are_london_days(seeded: Flask) -> None:
    update_id = _update(
        seeded, "case-discontinued", {"letter_date": LETTER}, agency="cps", told=_at(date(2027, 3, 1))
    )
    with seeded.test_request_context(), db.job() as session:
        # 23:30 on the last day in London (British Summer Time) is 22:30 UTC: still in time.
        late_evening = datetime(2027, 6, 1, 22, 30, tzinfo=UTC)
        assert not reviews.offer(session, VICTIM, update_id, now=late_evening).too_late
        # Half past midnight the next day in London is still 1 June in UTC: too late.
        after_midnight = datetime(2027, 6, 1, 23, 30, tzinfo=UTC)
        assert reviews.offer(session, VICTIM, update_id, now=after_midnight).too_late
