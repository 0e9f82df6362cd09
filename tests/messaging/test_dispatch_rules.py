"""SECURITY.md item 21: nothing is sent outside the victim's safe times or to a channel not confirmed
safe; messages wait instead. Hypothesis over preferences and clock times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.models import CaseUpdate
from portal.services import vocabulary
from portal.services.messaging.dispatch import decide
from portal.services.preferences.records import Preferences

pytestmark = pytest.mark.security(21)

LONDON = ZoneInfo("Europe/London")
CHANNELS = ("email", "sms", "letter", "phone")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STATUSES = ("verified", "unverified", "unusable", "missing")


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    start = draw(st.integers(min_value=0, max_value=22 * 60))
    safe_days = draw(st.sets(st.sampled_from(DAYS), min_size=1))
    end = draw(st.integers(min_value=start + 15, max_value=24 * 60 - 1))
    return Preferences(
        channels=tuple(draw(st.permutations(CHANNELS))[: draw(st.integers(0, 4))]),
        safe=frozenset(draw(st.sets(st.sampled_from(CHANNELS)))),
        detailed=frozenset(draw(st.sets(st.sampled_from(("email", "sms", "letter"))))),
        email="someone@example.com",
        phone="+447700900123",
        address=("1 Demo Street", "Exampletown", "EX1 1AA"),
        safe_days=tuple(d for d in DAYS if d in safe_days),
        safe_from=time(start // 60, start % 60),
        safe_to=time(end // 60, end % 60),
        frequency=draw(st.sampled_from(("every-update", "key-milestones", "daily-digest"))),
        opted_out=frozenset(draw(st.sets(st.sampled_from(vocabulary.CATEGORIES)))),
        contact_status={
            "email": draw(st.sampled_from(STATUSES)),
            "phone": draw(st.sampled_from(STATUSES)),
            "address": draw(st.sampled_from(STATUSES)),
        },
    )


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=400, deadline=None)
@given(prefs=preferences(), now=moments, event_code=st.sampled_from(sorted(vocabulary.EVENT_TYPES)))
def test_sec21_never_outside_safe_times_or_on_an_unsafe_channel(
    prefs: Preferences, now: datetime, event_code: str
) -> None:
    update = CaseUpdate(event_type=event_code)
    decision = decide(prefs, update, "victim-1", now)
    if decision.channel is None:
        return
    kind = {"email": "email", "sms": "phone", "letter": "address"}[decision.channel]
    assert decision.channel in prefs.safe, "a channel not confirmed safe"
    assert decision.channel in prefs.channels, "a channel the victim did not choose"
    assert prefs.contact_status[kind] == "verified", "an unverified or failing contact point"
    assert decision.channel != "phone"
    assert decision.not_before is not None
    assert decision.not_before >= now
    local = decision.not_before.astimezone(LONDON)
    assert DAYS[local.weekday()] in prefs.safe_days
    assert prefs.safe_from <= local.time() < prefs.safe_to
    event = vocabulary.get_event_type(event_code)
    assert event.category not in prefs.opted_out
    if prefs.frequency == "key-milestones":
        assert event.milestone
    # It waits no longer than it must: the next safe window starts within a week.
    assert decision.not_before - now <= timedelta(days=8)


@settings(max_examples=200, deadline=None)
@given(prefs=preferences(), now=moments)
def test_detailed_wording_only_where_chosen(prefs: Preferences, now: datetime) -> None:
    decision = decide(prefs, CaseUpdate(event_type="hearing-scheduled"), "victim-1", now)
    if decision.channel is not None and decision.detailed:
        assert decision.channel in prefs.detailed


def test_a_message_outside_safe_hours_waits_for_the_next_window() -> None:
    prefs = Preferences(
        channels=("sms",),
        safe=frozenset({"sms"}),
        phone="+447700900123",
        safe_days=("mon", "tue", "wed", "thu", "fri"),
        safe_from=time(9, 0),
        safe_to=time(17, 0),
        contact_status={"phone": "verified"},
    )
    friday_evening = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)  # 7:30pm Friday in London (GMT)
    decision = decide(prefs, CaseUpdate(event_type="hearing-scheduled"), "v", friday_evening)
    assert decision.channel == "sms"
    assert decision.not_before == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 9am


def test_no_safe_channel_means_no_message() -> None:
    prefs = Preferences(
        channels=("email",), safe=frozenset(), email="a@example.com", contact_status={"email": "verified"}
    )
    decision = decide(prefs, CaseUpdate(event_type="verdict"), "v", datetime(2026, 11, 27, 10, tzinfo=UTC))
    assert decision.channel is None
    assert decision.reason == "no safe channel for messages"
