"""A kept standing (portal/services/cases/kept_standing.py), as rules: what is kept comes back the same, it
holds for as long as `good_until` says and no longer than the standing itself would, and the next hearing
the kept copy gives the timeline is the timeline's own rule. Properties over the same updates as
tests/cases/test_standing.py (every event type the standing reads, with and without told times)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from portal.services.cases import kept_standing
from portal.services.cases.contacts import NamedContact
from portal.services.cases.standing import UpdateFact, next_hearing, standing
from tests.cases.test_standing import FUTURE_HEARINGS, NOW, PROPERTIES, updates

pytestmark = pytest.mark.usefixtures("babel_app_context")

_FIRST_HEARING = datetime.fromisoformat(FUTURE_HEARINGS[0])
#: Times now around what the standing's time rules turn on: London midnights (in winter and summer
#: time), the hour before a hearing, a hearing's own moment, and an ordinary afternoon.
MOMENTS = st.sampled_from(
    (
        NOW,
        datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 7, 1, 22, 30, tzinfo=UTC),  # 23:30 in London, summer time
        _FIRST_HEARING - timedelta(hours=1),
        _FIRST_HEARING - timedelta(microseconds=1),
        _FIRST_HEARING,
        datetime(2027, 1, 17, 23, 0, tzinfo=UTC),
    )
)
COUNTS = st.fixed_dictionaries(
    {source: st.integers(0, 400) for source in ("police", "cps", "witness_care", "probation")}
)


#: When the victim was told of each update: the microseconds a database keeps, in UTC.
TOLD = st.dictionaries(
    st.uuids().map(str),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    max_size=30,
)


@PROPERTIES
@given(history=updates, now=MOMENTS, counts=COUNTS, told=TOLD)
def test_what_is_kept_comes_back_the_same(
    history: list[UpdateFact], now: datetime, counts: dict[str, int], told: dict[str, datetime]
) -> None:
    found = standing(history, now)
    assert kept_standing.from_payload(kept_standing.payload(found, counts, told)) == (found, counts, told)


def test_a_copy_kept_without_told_times_is_not_used() -> None:
    """Copies kept before the told times were (1 December 2026) are worked out afresh, never read as if
    the victim had been told of nothing."""
    kept = json.loads(kept_standing.payload(standing([], NOW), {"police": 1}, {"an-update": NOW}))
    del kept["told"]
    assert kept_standing.from_payload(json.dumps(kept)) is None


@PROPERTIES
@given(history=updates, now=MOMENTS)
def test_what_is_kept_in_welsh_comes_back_in_welsh(history: list[UpdateFact], now: datetime) -> None:
    with force_locale("cy"):
        found = standing(history, now)
        kept = kept_standing.payload(found, {}, {})
    assert kept_standing.from_payload(kept) == (found, {}, {})


def test_the_named_contacts_are_never_kept() -> None:
    contact = NamedContact(
        role="officer-in-case",
        role_label="Officer in the case",  # type: ignore[arg-type]
        name="DC Jo Bloggs",
        phone="01632 960000",
        email=None,
        when_to_reach=None,
        updated_at=NOW,
    )
    found = standing([], NOW, [contact])
    kept = kept_standing.payload(found, {}, {})
    assert "Bloggs" not in kept
    restored = kept_standing.from_payload(kept)
    assert restored is not None and restored.standing.contacts == ()


#: A hearing on the first of FUTURE_HEARINGS, listed on the last day of the updates' range (so that
#: about half the histories leave it the next hearing).
_LISTED = UpdateFact(
    "hearing-scheduled",
    {"hearing_at": FUTURE_HEARINGS[0], "court_name": "A"},
    datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
    datetime(2026, 8, 3, 9, 0, tzinfo=UTC),
)


@PROPERTIES
@given(history=updates, listed=st.booleans(), now=MOMENTS, data=st.data())
def test_a_kept_standing_holds_until_good_until(
    history: list[UpdateFact], listed: bool, now: datetime, data: st.DataObject
) -> None:
    """At any moment from `now` to just before `good_until`, the standing worked out then is the one
    worked out at `now`: so a kept copy shown in that time is what the victim would have been shown."""
    if listed:
        history = [*history, _LISTED]
    found = standing(history, now)
    until = kept_standing.good_until(found, now)
    assert now < until <= now + timedelta(hours=25)
    fraction = data.draw(st.floats(0, 1))
    later = now + (until - now - timedelta(microseconds=1)) * fraction
    for moment in (later, until - timedelta(microseconds=1)):
        assert standing(history, moment) == found, moment


@PROPERTIES
@given(history=updates, now=MOMENTS)
def test_the_kept_next_hearing_is_the_timelines_own_rule(history: list[UpdateFact], now: datetime) -> None:
    """The case page shows the kept standing's next hearing above the timeline: the same hearing the
    timeline's rule gives from the hearing updates alone, told or not."""
    untold = [fact._replace(told_at=None) for fact in history]
    assert standing(history, now).next_hearing == next_hearing(untold, now)


def test_a_hearing_today_ends_the_copy_at_the_hearing() -> None:
    """Worked out an hour before the hearing, the copy holds until the hearing starts, not until
    midnight: a moment later the hearing is no longer the next."""
    hearing = UpdateFact(
        "hearing-scheduled",
        {"hearing_at": FUTURE_HEARINGS[0], "court_name": "A"},
        NOW,
        NOW,
    )
    before = _FIRST_HEARING - timedelta(hours=1)
    found = standing([hearing], before)
    assert found.next_hearing is not None
    assert kept_standing.good_until(found, before) == _FIRST_HEARING
    assert standing([hearing], _FIRST_HEARING).next_hearing is None


def test_with_nothing_to_wait_for_the_copy_holds_until_london_midnight() -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert kept_standing.good_until(standing([], summer), summer) == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)
    assert kept_standing.good_until(standing([], NOW), NOW) == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
