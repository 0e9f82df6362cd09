"""Where things stand now (portal/services/cases/standing/): a pure function of the victim's updates of a
case, the time now and the named contacts. Properties with Hypothesis (the order updates are given in
never matters; a case that ends has no next hearing; escaped then returned is custody again; unknown
event types are ignored), then the rules one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.services.cases import standing as st_
from portal.services.cases.contacts import NamedContact
from portal.services.cases.standing import UpdateFact, next_hearing, standing

pytestmark = pytest.mark.usefixtures("babel_app_context")

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PAST_HEARING = "2026-03-02T10:00:00+00:00"
FUTURE_HEARINGS = ("2027-01-18T10:00:00+00:00", "2027-02-22T14:00:00+00:00")
ENDING = (
    "case-discontinued",
    "no-evidence-offered",
    "suspect-released-no-further-action",
    "investigation-closed",
)
PROPERTIES = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def fact(
    event_type: str,
    day: int,
    details: dict[str, Any] | None = None,
    *,
    received_minutes: int = 30,
    told_at: datetime | None = None,
) -> UpdateFact:
    """An update that happened `day` days after START and reached the agency `received_minutes` later."""
    occurred = START + timedelta(days=day)
    return UpdateFact(
        event_type, details or {}, occurred, occurred + timedelta(minutes=received_minutes), told_at
    )


# --- Strategies -------------------------------------------------------------------------------------

_hearing = st.fixed_dictionaries(
    {
        "hearing_at": st.sampled_from((PAST_HEARING, *FUTURE_HEARINGS)),
        "court_name": st.sampled_from(("A", "B")),
    }
)
_conditions = st.lists(
    st.sampled_from(("not to contact you", "not to go to your street")), min_size=1, max_size=2
)
DETAILS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "crime-recorded": st.just({}),
    "suspect-arrested": st.just({}),
    "suspect-interviewed": st.just({}),
    "suspect-bailed": st.fixed_dictionaries({}, optional={"bail_conditions": _conditions}),
    "bail-conditions-changed": st.fixed_dictionaries({}, optional={"bail_conditions": _conditions}),
    "suspect-released-under-investigation": st.just({}),
    "suspect-released-no-further-action": st.fixed_dictionaries(
        {}, optional={"suspect_interviewed_under_caution": st.booleans()}
    ),
    "investigation-closed": st.just({}),
    "suspect-charged": st.just({}),
    "cps-no-charge-decision": st.fixed_dictionaries({}, optional={"letter_date": st.just("2026-11-20")}),
    "case-discontinued": st.fixed_dictionaries({}, optional={"letter_date": st.just("2026-11-20")}),
    "no-evidence-offered": st.just({}),
    "vrr-outcome": st.fixed_dictionaries({"outcome": st.sampled_from(("upheld", "overturned"))}),
    "hearing-scheduled": _hearing,
    "hearing-changed": _hearing,
    "hearing-adjourned": st.one_of(st.just({}), _hearing),
    "witness-required": st.one_of(st.just({}), _hearing),
    "bail-decision": st.fixed_dictionaries(
        {"decision": st.sampled_from(("remanded-in-custody", "bail-granted"))},
        optional={"bail_conditions": _conditions},
    ),
    "arrest-warrant-issued": st.just({}),
    "offender-arrested-on-warrant": st.fixed_dictionaries(
        {}, optional={"decision": st.sampled_from(("remanded-in-custody", "bail-granted"))}
    ),
    "verdict": st.fixed_dictionaries({}, optional={"guilty": st.booleans()}),
    "sentence": st.fixed_dictionaries({}, optional={"vcs_eligible": st.booleans()}),
    "appeal-lodged": st.fixed_dictionaries({}, optional={"hearing_at": st.sampled_from(FUTURE_HEARINGS)}),
    "appeal-outcome": st.just({}),
    "licence-conditions-set": st.fixed_dictionaries({"conditions": _conditions}),
    "release-date-set": st.fixed_dictionaries(
        {"release_date": st.sampled_from(("2026-06-01", "2027-06-01"))}
    ),
    "offender-released": st.fixed_dictionaries({}, optional={"conditions": _conditions}),
    "offender-recalled": st.just({}),
    "offender-escaped": st.just({}),
    "offender-absconded": st.just({}),
    "offender-returned": st.just({}),
    "temporary-release": st.just({}),
    "home-detention-curfew": st.just({}),
    "restraining-order-made": st.fixed_dictionaries({"terms": _conditions}),
    "not-an-event-type": st.just({"anything": "at all"}),
}


@st.composite
def facts(draw: st.DrawFn, codes: tuple[str, ...] = tuple(DETAILS)) -> UpdateFact:
    code = draw(st.sampled_from(codes))
    # Few distinct times, so that updates often happen at the same moment.
    day = draw(st.integers(0, 30)) * 7
    received = draw(st.sampled_from((0, 30, 60)))
    told = draw(st.sampled_from((None, START + timedelta(days=day + 1), NOW - timedelta(days=3))))
    return fact(code, day, draw(DETAILS[code]), received_minutes=received, told_at=told)


updates = st.lists(facts(), max_size=14)


def _after(history: list[UpdateFact], days: int = 1) -> int:
    """A day (from START) after everything in `history`."""
    last = max((u.occurred_at for u in history), default=START)
    return (last - START).days + days


# --- Properties -------------------------------------------------------------------------------------


@PROPERTIES
@given(history=updates, data=st.data())
def test_the_order_updates_are_given_in_never_matters(history: list[UpdateFact], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(history))
    assert standing(shuffled, NOW) == standing(history, NOW)
    assert next_hearing(shuffled, NOW) == next_hearing(history, NOW)


@PROPERTIES
@given(history=updates, unknown=st.lists(facts(("not-an-event-type",)), max_size=4))
def test_unknown_event_types_are_ignored(history: list[UpdateFact], unknown: list[UpdateFact]) -> None:
    assert standing([*history, *unknown], NOW) == standing(history, NOW)


@PROPERTIES
@given(
    history=updates,
    ending=st.sampled_from((*ENDING, "acquitted", "sentence")),
)
def test_a_case_that_ends_has_no_next_hearing(history: list[UpdateFact], ending: str) -> None:
    if ending == "sentence":  # a sentence ends the case only when no appeal is pending
        history = [u for u in history if u.event_type not in ("appeal-lodged", "appeal-outcome")]
    end = (
        fact("verdict", _after(history), {"guilty": False})
        if ending == "acquitted"
        else fact(ending, _after(history))
    )
    result = standing([*history, end], NOW)
    assert result.next_hearing is None
    assert next_hearing([*history, end], NOW) is None


@PROPERTIES
@given(history=updates)
def test_escaped_then_returned_is_custody_again(history: list[UpdateFact]) -> None:
    before = standing(history, NOW)
    escaped = fact("offender-escaped", _after(history))
    assert standing([*history, escaped], NOW).status == st_.UNLAWFULLY_AT_LARGE
    returned = fact("offender-returned", _after(history, 2))
    after = standing([*history, escaped, returned], NOW)
    assert after.status == (st_.SERVING if before.role == st_.OFFENDER else st_.REMANDED)
    assert after.conditions == ()


@PROPERTIES
@given(history=updates)
def test_the_next_hearing_is_one_rule_read_from_hearing_events_only(history: list[UpdateFact]) -> None:
    result = standing(history, NOW)
    only_hearings = [u for u in history if u.event_type in st_.HEARING_EVENTS]
    assert result.next_hearing == next_hearing(only_hearings, NOW)
    if result.next_hearing is not None:
        assert result.next_hearing.at > NOW
        assert result.witness_needed == result.next_hearing.witness_needed


@PROPERTIES
@given(history=updates)
def test_rights_listed_are_open_now_the_most_urgent_first(history: list[UpdateFact]) -> None:
    rights = standing(history, NOW).rights
    assert all(r.until is None or r.until >= TODAY for r in rights)
    dated = [r.until for r in rights if r.until is not None]
    assert dated == sorted(dated)
    assert [r.until is None for r in rights] == sorted(r.until is None for r in rights)
    assert len({(r.name, r.until) for r in rights}) == len(rights)
    assert all(r.name for r in rights)


@PROPERTIES
@given(history=updates, hearing_at=st.sampled_from(FUTURE_HEARINGS))
def test_a_witness_required_with_a_date_is_the_next_hearing(
    history: list[UpdateFact], hearing_at: str
) -> None:
    needed = fact(
        "witness-required", _after(history), {"hearing_at": hearing_at, "court_name": "Leeds Crown Court"}
    )
    result = standing([*history, needed], NOW)
    assert result.next_hearing == st_.Hearing(datetime.fromisoformat(hearing_at), "Leeds Crown Court", True)
    assert result.witness_needed


# --- Where the suspect or offender is ------------------------------------------------------------------


def test_no_updates_is_unknown() -> None:
    result = standing([], NOW)
    assert (result.status, result.role, result.next_hearing, result.rights) == (
        st_.UNKNOWN,
        st_.SUSPECT,
        None,
        (),
    )


def test_before_charge_not_charged_then_on_bail_with_the_latest_conditions() -> None:
    history = [fact("crime-recorded", 0), fact("suspect-arrested", 1)]
    assert standing(history, NOW).status == st_.NOT_CHARGED
    history.append(fact("suspect-bailed", 2, {"bail_conditions": ["not to contact you"]}))
    history.append(fact("bail-conditions-changed", 9, {"bail_conditions": ["not to go to your street"]}))
    result = standing(history, NOW)
    assert (result.status, result.conditions, result.conditions_kind) == (
        st_.ON_BAIL,
        ("not to go to your street",),
        st_.BAIL,
    )
    assert result.status_since == START + timedelta(days=9)
    # A change that gives no conditions keeps the ones in force.
    history.append(fact("bail-conditions-changed", 10, {"reason": "a new address"}))
    assert standing(history, NOW).conditions == ("not to go to your street",)
    history.append(fact("suspect-released-under-investigation", 11))
    assert (standing(history, NOW).status, standing(history, NOW).conditions) == (st_.NOT_CHARGED, ())


def test_after_charge_the_court_decides_bail_or_remand() -> None:
    history = [
        fact("suspect-bailed", 0, {"bail_conditions": ["not to contact you"]}),
        fact("suspect-charged", 5),
    ]
    charged = standing(history, NOW)
    assert (charged.status, charged.role, charged.conditions) == (st_.UNKNOWN, st_.DEFENDANT, ())
    history.append(
        fact("bail-decision", 6, {"decision": "bail-granted", "bail_conditions": ["to live in Bradford"]})
    )
    assert standing(history, NOW).conditions == ("to live in Bradford",)
    history.append(fact("bail-decision", 20, {"decision": "remanded-in-custody"}))
    assert (standing(history, NOW).status, standing(history, NOW).conditions) == (st_.REMANDED, ())


def test_a_later_received_correction_of_the_same_moment_wins() -> None:
    granted = fact("bail-decision", 6, {"decision": "bail-granted"}, received_minutes=10)
    remanded = fact("bail-decision", 6, {"decision": "remanded-in-custody"}, received_minutes=90)
    assert standing([remanded, granted], NOW).status == st_.REMANDED
    assert standing([granted, remanded], NOW).status == st_.REMANDED


def test_a_warrant_then_an_arrest_on_it() -> None:
    history = [fact("suspect-charged", 0), fact("bail-decision", 1, {"decision": "bail-granted"})]
    history.append(fact("arrest-warrant-issued", 30, {"warrant": "not-backed-for-bail"}))
    assert standing(history, NOW).status == st_.WANTED
    history.append(fact("offender-arrested-on-warrant", 32))
    assert standing(history, NOW).status == st_.REMANDED


def test_decisions_not_to_prosecute_and_a_review_that_overturns_one() -> None:
    history = [fact("suspect-arrested", 0), fact("suspect-released-no-further-action", 3)]
    assert standing(history, NOW).status == st_.NOT_PROSECUTED
    history.append(fact("vrr-outcome", 40, {"outcome": "overturned"}))
    assert standing(history, NOW).status == st_.NOT_CHARGED
    charged = [fact("suspect-charged", 0), fact("no-evidence-offered", 10)]
    charged.append(fact("vrr-outcome", 40, {"outcome": "overturned"}))  # cannot restart after no evidence
    assert standing(charged, NOW).status == st_.NOT_PROSECUTED
    assert standing([fact("verdict", 3, {"guilty": False})], NOW).status == st_.CASE_CLOSED
    assert standing([fact("verdict", 3, {"guilty": True})], NOW).status == st_.UNKNOWN


def test_after_sentence_in_custody_then_released_on_licence_with_the_conditions_set_for_it() -> None:
    history = [fact("suspect-charged", 0), fact("sentence", 60)]
    assert (standing(history, NOW).status, standing(history, NOW).role) == (st_.SERVING, st_.OFFENDER)
    history.append(fact("licence-conditions-set", 200, {"conditions": ["not to enter north Leeds"]}))
    history.append(fact("release-date-set", 201, {"release_date": "2027-03-01"}))
    waiting = standing(history, NOW)
    assert (waiting.status, waiting.conditions, waiting.expected_release) == (
        st_.SERVING,
        (),
        date(2027, 3, 1),
    )
    history.append(fact("offender-released", 210))
    released = standing(history, NOW)
    assert (released.status, released.conditions, released.conditions_kind) == (
        st_.ON_LICENCE,
        ("not to enter north Leeds",),
        st_.LICENCE,
    )
    assert released.expected_release is None
    history.append(fact("offender-recalled", 300))
    assert standing(history, NOW).status == st_.SERVING


def test_news_from_probation_means_a_sentence() -> None:
    result = standing([fact("vcs-referral", 3, {"sentence_date": "2026-01-05"})], NOW)
    assert (result.status, result.role) == (st_.SERVING, st_.OFFENDER)


def test_absconding_is_unlawfully_at_large_until_returned() -> None:
    history = [fact("sentence", 0), fact("offender-absconded", 100, {"absconded_from": "open-prison"})]
    assert standing(history, NOW).status == st_.UNLAWFULLY_AT_LARGE
    assert standing([*history, fact("offender-returned", 101)], NOW).status == st_.SERVING


def test_temporary_release_and_home_detention_curfew_by_their_dates() -> None:
    sentenced = [fact("sentence", 0)]
    away = {"starts_on": "2026-11-23", "ends_on": "2026-12-04", "conditions": ["not to contact you"]}
    result = standing([*sentenced, fact("temporary-release", 300, away)], NOW)
    assert (result.status, result.conditions) == (st_.TEMPORARY_RELEASE, ("not to contact you",))
    over = {"starts_on": "2026-11-02", "ends_on": "2026-11-06"}
    assert standing([*sentenced, fact("temporary-release", 290, over)], NOW).status == st_.SERVING
    curfew = {"release_date": "2026-11-16", "curfew_hours": "7pm to 7am", "conditions": ["to wear a tag"]}
    result = standing([*sentenced, fact("home-detention-curfew", 300, curfew)], NOW)
    assert (result.status, result.curfew_hours, result.conditions) == (
        st_.HOME_DETENTION_CURFEW,
        "7pm to 7am",
        ("to wear a tag",),
    )
    later = {**curfew, "release_date": "2027-01-11"}
    result = standing([*sentenced, fact("home-detention-curfew", 320, later)], NOW)
    assert (result.status, result.expected_release, result.curfew_hours) == (
        st_.SERVING,
        date(2027, 1, 11),
        None,
    )


def test_a_restraining_order_until_it_ends() -> None:
    made = fact("restraining-order-made", 10, {"terms": ["not to contact you"], "order_until": "2029-03-01"})
    assert standing([made], NOW).restraining_order == st_.RestrainingOrder(
        ("not to contact you",), date(2029, 3, 1), False
    )
    varied = fact("restraining-order-varied", 20, {"change": "extended", "until_further_order": True})
    assert standing([made, varied], NOW).restraining_order == st_.RestrainingOrder(
        ("not to contact you",), None, True
    )
    ended = fact("restraining-order-varied", 30, {"change": "ended"})
    assert standing([made, varied, ended], NOW).restraining_order is None
    expired = fact("restraining-order-made", 10, {"terms": ["x"], "order_until": "2026-06-01"})
    assert standing([expired], NOW).restraining_order is None


# --- The next hearing -------------------------------------------------------------------------------


def _hearing(code: str, day: int, at: str | None, **details: Any) -> UpdateFact:
    return fact(code, day, {**({"hearing_at": at} if at else {}), **details})


def test_the_next_hearing_moves_and_is_postponed() -> None:
    history = [_hearing("hearing-scheduled", 0, FUTURE_HEARINGS[0], court_name="Leeds Crown Court")]
    assert next_hearing(history, NOW) == st_.Hearing(
        datetime.fromisoformat(FUTURE_HEARINGS[0]), "Leeds Crown Court"
    )
    history.append(_hearing("hearing-adjourned", 5, None, reason="the court flooded"))
    assert next_hearing(history, NOW) is None
    history.append(_hearing("hearing-changed", 6, FUTURE_HEARINGS[1]))
    assert next_hearing(history, NOW) == st_.Hearing(datetime.fromisoformat(FUTURE_HEARINGS[1]), None)
    assert next_hearing(history, datetime(2027, 3, 1, tzinfo=UTC)) is None  # it has happened


def test_witness_required_without_a_date_marks_the_hearing_it_comes_before() -> None:
    history = [
        _hearing("hearing-scheduled", 0, FUTURE_HEARINGS[0], court_name="A"),
        fact("witness-required", 1),
    ]
    result = standing(history, NOW)
    assert result.next_hearing is not None and result.next_hearing.witness_needed and result.witness_needed
    # Moved: still the hearing they are needed at. Another hearing: not unless they are told so.
    moved = [*history, _hearing("hearing-changed", 2, FUTURE_HEARINGS[1], court_name="A")]
    assert standing(moved, NOW).witness_needed
    other = [*history, _hearing("hearing-scheduled", 2, FUTURE_HEARINGS[1], court_name="A")]
    assert not standing(other, NOW).witness_needed
    # Needed, date not known yet.
    pending = standing([fact("suspect-charged", 0), fact("witness-required", 1)], NOW)
    assert pending.next_hearing is None and pending.witness_needed


def test_a_sentence_ends_the_hearings_unless_an_appeal_is_pending() -> None:
    history = [
        _hearing("hearing-scheduled", 0, FUTURE_HEARINGS[0], court_name="A"),
        fact("verdict", 1, {"guilty": True, "sentencing_at": FUTURE_HEARINGS[1]}),
    ]
    assert next_hearing(history, NOW) == st_.Hearing(datetime.fromisoformat(FUTURE_HEARINGS[1]), None)
    assert next_hearing([*history, fact("sentence", 2)], NOW) is None
    appeal = [*history, fact("sentence", 2), _hearing("appeal-lodged", 3, FUTURE_HEARINGS[0], court_name="B")]
    assert next_hearing(appeal, NOW) == st_.Hearing(datetime.fromisoformat(FUTURE_HEARINGS[0]), "B")
    assert next_hearing([*appeal, fact("appeal-outcome", 4)], NOW) is None
    pending = [fact("appeal-lodged", 0), _hearing("hearing-scheduled", 1, FUTURE_HEARINGS[0], court_name="A")]
    assert next_hearing([*pending, fact("sentence", 2)], NOW) is not None


# --- Rights open now ---------------------------------------------------------------------------------


def test_rights_run_from_when_the_victim_was_told_or_the_letter_and_close_when_reviewed() -> None:
    told = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    nfa = fact(
        "suspect-released-no-further-action", 300, {"suspect_interviewed_under_caution": True}, told_at=told
    )
    police = standing([nfa], NOW).rights
    assert [(r.until, r.has_clock) for r in police] == [(date(2027, 2, 2), True)]
    assert "Right to Review (police)" in police[0].name
    not_told = standing(
        [fact("suspect-released-no-further-action", 300, {"suspect_interviewed_under_caution": True})], NOW
    )
    assert [(r.until, r.has_clock) for r in not_told.rights] == [(None, True)]  # no date invented
    # The CPS's from the date of its letter, whenever the victim was told.
    stopped = fact("case-discontinued", 310, {"letter_date": "2026-11-20"}, told_at=NOW)
    assert [r.until for r in standing([stopped], NOW).rights] == [date(2027, 2, 20)]
    # Reviewed: no longer open. Past its last day: no longer listed.
    assert standing([nfa, fact("vrr-outcome", 320, {"outcome": "upheld"})], NOW).rights == ()
    assert standing([nfa], datetime(2027, 2, 3, 12, tzinfo=UTC)).rights == ()


def test_rights_most_urgent_first() -> None:
    told = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    history = [
        fact("suspect-charged", 200),  # a Victim Personal Statement: no time limit
        fact(
            "suspect-released-no-further-action",
            300,
            {"suspect_interviewed_under_caution": True},
            told_at=told,
        ),
        fact("case-discontinued", 310, {"letter_date": "2026-11-20"}),
        fact("suspect-released-no-further-action", 315, {"suspect_interviewed_under_caution": True}),
    ]
    rights = standing(history, NOW).rights
    assert [(r.until, r.has_clock) for r in rights] == [
        (date(2027, 2, 2), True),
        (date(2027, 2, 20), True),
        (None, True),
    ]
    # The statement to the court ended with the case.
    assert all("Personal Statement" not in r.name for r in rights)


def test_a_victim_personal_statement_is_open_until_sentence() -> None:
    charged = [fact("suspect-charged", 0)]
    assert [r.name for r in standing(charged, NOW).rights] == ["Victim Personal Statement"]
    assert standing([*charged, fact("sentence", 50)], NOW).rights == ()


def test_a_statement_to_the_parole_board_is_open_until_its_decision() -> None:
    review = [fact("parole-review-started", 0, {"statement_by": "2027-06-18"})]
    assert [r.name for r in standing(review, NOW).rights] == ["Victim Personal Statement to the Parole Board"]
    assert standing([*review, fact("parole-decision", 50, {"decision": "release"})], NOW).rights == ()


def test_contacts_are_passed_through() -> None:
    contact = NamedContact(
        "officer-in-case", "Officer in the case", "DC Sam Patel", "01632 960201", None, None, NOW
    )
    assert standing([], NOW, [contact]).contacts == (contact,)
