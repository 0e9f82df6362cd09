"""Issue 13, "The Code, right": each correction to the vocabulary has a test named for it.

Dates were worked out by hand on a calendar (England and Wales bank holidays: 2027: 26 Mar Good Friday,
29 Mar Easter Monday, 3 May, 31 May, 30 Aug, 27 and 28 Dec; 2028: 3 Jan).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services.vocabulary import (
    CPS_VRR,
    EVENT_TYPES,
    PAROLE_RECONSIDERATION,
    PAROLE_VPS,
    POLICE_VRR,
    TOLD,
    VPS,
    VPS_BEFORE_SENTENCE,
    Wording,
    describe,
    parse_overrides,
    right_clock_start,
    timescale_days,
    validate_details,
)
from portal.services.vocabulary.deadlines import code_deadline

pytestmark = pytest.mark.usefixtures("babel_app_context")

OCCURRED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Monday
RECEIVED = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
TOLD_AT = datetime(2027, 3, 10, 18, 0, tzinfo=UTC)  # Wednesday 10 March 2027, 6pm in London

NEW_TYPES = {
    "cps-no-charge-decision",
    "arrest-warrant-issued",
    "offender-arrested-on-warrant",
    "restraining-order-made",
    "restraining-order-varied",
    "restraining-order-breached",
    "offender-escaped",
    "offender-absconded",
    "offender-returned",
    "temporary-release",
    "home-detention-curfew",
    "release-date-changed",
    "parole-decision",
    "parole-summary-available",
    "deportation-decision",
}
URGENT = {
    "offender-escaped",
    "offender-absconded",
    "offender-returned",
    "temporary-release",
    "home-detention-curfew",
    "release-date-changed",
    "restraining-order-made",
    "restraining-order-varied",
    "restraining-order-breached",
    "deportation-decision",
}
CPS_DECISIONS = ("cps-no-charge-decision", "case-discontinued", "no-evidence-offered")
POLICE_DECISIONS = ("suspect-released-no-further-action", "investigation-closed")
INTERVIEWED = {"suspect_interviewed_under_caution": True}


def example(code: str) -> dict[str, Any]:
    return dict(EVENT_TYPES[code].details_schema["examples"][0])


def all_words(wording: Wording) -> str:
    return "\n".join(
        [wording.title, wording.what_this_means, wording.what_happens_next, *(r.text for r in wording.rights)]
    )


def rights_named(wording: Wording, name: str) -> list[str]:
    return [right.text for right in wording.rights if right.name == name]


# --- 1. Hearings: 1 working day for every victim (Right 8.1) --------------------------------------------


@pytest.mark.parametrize("code", ["hearing-changed", "hearing-adjourned"])
def test_hearing_changed_is_one_working_day_for_every_victim(code: str) -> None:
    event = EVENT_TYPES[code]
    assert (timescale_days(event, enhanced=False), timescale_days(event, enhanced=True)) == (1, 1)
    assert not event.unconfirmed, "the Code sets it: not configurable"
    # Friday 5 March 2027 -> Monday 8 March, standard or enhanced.
    friday = datetime(2027, 3, 5, 15, 0, tzinfo=UTC)
    assert code_deadline(friday, code, enhanced=False) == date(2027, 3, 8)
    with pytest.raises(ValueError, match="set by the Victims' Code"):
        parse_overrides(f"{code}=5/1")


@pytest.mark.parametrize(
    "code", ["bail-decision", "arrest-warrant-issued", "offender-arrested-on-warrant", "suspect-bailed"]
)
def test_bail_outcomes_warrants_and_rearrest_stay_five_and_one(code: str) -> None:
    event = EVENT_TYPES[code]
    assert (event.standard_days, event.enhanced_days, event.unconfirmed) == (5, 1, False)


# --- 2. Police Victims' Right to Review: only after an interview under caution ------------------------


@pytest.mark.parametrize("code", POLICE_DECISIONS)
def test_police_vrr_not_offered_when_no_suspect_was_interviewed(code: str) -> None:
    for details in ({}, {"suspect_interviewed_under_caution": False}):
        wording = describe(code, details, occurred_at=OCCURRED, told_at=TOLD_AT)
        assert wording.rights == []
        assert "Right to Review" not in all_words(wording)
    offered = describe(code, INTERVIEWED, occurred_at=OCCURRED, told_at=TOLD_AT)
    assert [right.name for right in offered.rights] == ["Victims' Right to Review (police)"]


def test_investigation_closed_example_where_no_suspect_was_identified_offers_no_review() -> None:
    details = example("investigation-closed")
    assert "no suspect has been identified" in details["reason"]
    assert details["suspect_interviewed_under_caution"] is False
    assert describe("investigation-closed", details, occurred_at=OCCURRED, told_at=TOLD_AT).rights == []
    nfa = example("suspect-released-no-further-action")
    assert nfa["suspect_interviewed_under_caution"] is True
    assert describe("suspect-released-no-further-action", nfa, occurred_at=OCCURRED, told_at=TOLD_AT).rights


@pytest.mark.parametrize(
    "code",
    [
        "out-of-court-resolution",
        "investigation-update",
        "suspect-arrested",
        "suspect-interviewed",
        "suspect-bailed",
        "bail-conditions-changed",
        "suspect-released-under-investigation",
    ],
)
def test_police_vrr_never_for_out_of_court_resolution_nor_while_the_investigation_continues(
    code: str,
) -> None:
    assert all(offered.right is not POLICE_VRR for offered in EVENT_TYPES[code].offered_rights())
    wording = describe(code, {**example(code), **INTERVIEWED}, occurred_at=OCCURRED, told_at=TOLD_AT)
    assert "Right to Review" not in all_words(wording)


def test_suspect_interviewed_under_caution_is_a_documented_boolean_detail() -> None:
    for code in POLICE_DECISIONS:
        spec = EVENT_TYPES[code].details_schema["properties"]["suspect_interviewed_under_caution"]
        assert spec["type"] == "boolean" and "interviewed under caution" in spec["description"]
        with pytest.raises(ValueError, match="type"):
            validate_details(code, {"suspect_interviewed_under_caution": "yes"})


# --- 3. The CPS decides not to charge -----------------------------------------------------------------


def test_cps_no_charge_decision_offers_the_cps_review() -> None:
    event = EVENT_TYPES["cps-no-charge-decision"]
    assert [str(a) for a in event.agencies] == ["cps"]
    assert (event.rights, event.standard_days, event.enhanced_days, event.unconfirmed) == ((6,), 5, 1, False)
    assert event.milestone and event.category == "charge-and-prosecution" and not event.urgent
    assert event.review_right is CPS_VRR and event.review_right_if is None
    wording = describe(
        "cps-no-charge-decision", example("cps-no-charge-decision"), occurred_at=OCCURRED, told_at=TOLD_AT
    )
    assert "has decided that the suspect should not be charged" in wording.what_this_means
    assert "The CPS gave this reason:" in wording.what_this_means
    assert rights_named(wording, "Victims' Right to Review (Crown Prosecution Service)")


# --- 4. After no evidence is offered the case cannot restart ------------------------------------------


def test_no_evidence_offered_says_the_case_cannot_restart_and_a_review_leads_only_to_an_apology() -> None:
    wording = describe("no-evidence-offered", {}, occurred_at=OCCURRED, told_at=TOLD_AT)
    assert "The case cannot be started again." in wording.what_this_means
    (right,) = wording.rights
    assert "the case cannot be restarted, whatever the review finds" in right.text
    assert "you will get an explanation and an apology" in right.text
    assert "case can go ahead" not in right.text
    assert EVENT_TYPES["no-evidence-offered"].review_right is not CPS_VRR


def test_case_discontinued_does_not_say_flatly_that_the_defendant_will_not_be_prosecuted() -> None:
    wording = describe("case-discontinued", {}, occurred_at=OCCURRED, told_at=TOLD_AT)
    text = all_words(wording)
    assert "will not be prosecuted" not in text
    assert "Unless this decision is changed after a review, there will be no trial" in wording.what_this_means
    assert "it can be changed and the case can go ahead" in wording.rights[0].text


# --- 5. Right-to-review dates: from when the victim was told, or the CPS letter -------------------------


@pytest.mark.parametrize("code", CPS_DECISIONS)
def test_cps_vrr_counts_from_letter_date(code: str) -> None:
    # Letter dated Tuesday 2 March 2027: 10 working days -> Tuesday 16 March; 3 months -> 2 June 2027.
    # The victim was told later (10 March), and the agency knew earlier (1 March): neither counts.
    details = {"letter_date": "2027-03-02"}
    (right,) = describe(code, details, occurred_at=OCCURRED, received_at=RECEIVED, told_at=TOLD_AT).rights
    assert "Ask by 16 March 2027 if you can." in right.text
    assert "up to 2 June 2027." in right.text
    assert right.until == date(2027, 6, 2)
    assert right.name == "Victims' Right to Review (Crown Prosecution Service)"


def test_cps_vrr_counts_from_when_told_without_a_letter_date() -> None:
    # Told Wednesday 10 March 2027: 10 working days -> 24 March; 3 months -> 10 June 2027.
    (right,) = describe("case-discontinued", {}, occurred_at=OCCURRED, told_at=TOLD_AT).rights
    assert "Ask by 24 March 2027 if you can." in right.text
    assert right.until == date(2027, 6, 10)


def test_cps_vrr_over_easter() -> None:
    # Letter dated Thursday 25 March 2027; Good Friday and Easter Monday are not working days:
    # 10 working days -> Monday 12 April 2027.
    (right,) = describe("case-discontinued", {"letter_date": "2027-03-25"}, occurred_at=OCCURRED).rights
    assert "Ask by 12 April 2027 if you can." in right.text
    assert right.until == date(2027, 6, 25)


@pytest.mark.parametrize("code", POLICE_DECISIONS)
def test_police_vrr_counts_from_when_victim_was_told(code: str) -> None:
    wording = describe(code, INTERVIEWED, occurred_at=OCCURRED, received_at=RECEIVED, told_at=TOLD_AT)
    (right,) = wording.rights
    assert "You can ask for a review until 10 June 2027," in right.text
    assert right.until == date(2027, 6, 10)
    assert right.name == "Victims' Right to Review (police)"


def test_police_vrr_counts_from_the_london_date_of_being_told() -> None:
    # 23:30 UTC on 30 June 2027 is 00:30 on 1 July in London: 3 months -> 1 October 2027.
    told = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    (right,) = describe("investigation-closed", INTERVIEWED, occurred_at=OCCURRED, told_at=told).rights
    assert right.until == date(2027, 10, 1)


def test_a_letter_date_does_not_move_the_police_clock() -> None:
    assert POLICE_VRR.counts_from == (TOLD,)
    assert CPS_VRR.counts_from == ("letter_date", TOLD)


def test_no_right_date_invented_before_told() -> None:
    police = describe(
        "suspect-released-no-further-action", INTERVIEWED, occurred_at=OCCURRED, received_at=RECEIVED
    ).rights[0]
    assert police.text.endswith("You can ask for a review within 3 months of being told about this decision.")
    assert police.until is None
    for code in CPS_DECISIONS:
        cps = describe(code, {}, occurred_at=OCCURRED, received_at=RECEIVED).rights[0]
        assert cps.text.endswith(
            "Ask within 10 working days of the date of the CPS letter if you can. The CPS will still consider "
            "a request made up to 3 months from that date."
        )
        assert cps.until is None
        assert not re.search(r"\d{4}", cps.text), "no year, so no date"


def test_received_at_never_dates_a_right() -> None:
    for received in (RECEIVED, datetime(2026, 1, 5, 9, 0, tzinfo=UTC)):
        wording = describe("investigation-closed", INTERVIEWED, occurred_at=OCCURRED, received_at=received)
        assert wording.rights[0].until is None
        told = describe(
            "investigation-closed", INTERVIEWED, occurred_at=OCCURRED, received_at=received, told_at=TOLD_AT
        )
        assert told.rights[0].until == date(2027, 6, 10)


def test_describe_keeps_its_old_signature_and_checks_told_at() -> None:
    old = describe("verdict", {}, occurred_at=OCCURRED, received_at=RECEIVED)
    assert old.title == "The court has reached a verdict"
    with pytest.raises(ValueError, match="told_at must be timezone-aware"):
        describe("verdict", {}, occurred_at=OCCURRED, told_at=datetime(2027, 3, 1))


def test_rights_carry_their_name() -> None:
    wording = describe("sentence", example("sentence"), occurred_at=OCCURRED, told_at=TOLD_AT)
    assert [right.name for right in wording.rights] == [
        "Victim Contact Scheme",
        "Unduly Lenient Sentence scheme",
    ]
    assert wording.rights[0].until is None


# --- The Parole Board ---------------------------------------------------------------------------------


def test_parole_decision_tells_victim_to_ask_vlo_within_21_days() -> None:
    # Decision on Tuesday 29 June 2027: 21 calendar days -> Tuesday 20 July 2027.
    wording = describe("parole-decision", example("parole-decision"), occurred_at=OCCURRED, told_at=TOLD_AT)
    (right,) = wording.rights
    assert "Ask your Victim Liaison Officer by 20 July 2027" in right.text
    assert "within 21 days of the decision" in right.text
    assert "Only the Secretary of State for Justice or the prisoner can ask" in right.text
    assert right.until == date(2027, 7, 20)
    assert right.name == "Asking for the Parole Board's decision to be reconsidered"
    assert "summary of the Parole Board's reasons" in wording.what_happens_next


def test_parole_reconsideration_counts_calendar_days_not_working_days() -> None:
    # Decision on Friday 24 December 2027: over Christmas and New Year bank holidays -> 14 January 2028.
    details = {"decision_date": "2027-12-24", "outcome": "no-release"}
    (right,) = describe("parole-decision", details, occurred_at=OCCURRED).rights
    assert right.until == date(2028, 1, 14)
    assert "by 14 January 2028" in right.text
    assert PAROLE_RECONSIDERATION.calendar_days == 21 and PAROLE_RECONSIDERATION.working_days is None


def test_parole_reconsideration_counts_from_the_decision_not_from_being_told() -> None:
    details = {"decision_date": "2027-06-29"}
    late = datetime(2027, 7, 30, 9, 0, tzinfo=UTC)
    (right,) = describe("parole-decision", details, occurred_at=OCCURRED, told_at=late).rights
    assert right.until == date(2027, 7, 20)


def test_parole_recommendation_for_open_conditions_offers_no_reconsideration() -> None:
    details = {"decision_date": "2027-06-29", "outcome": "open-conditions"}
    wording = describe("parole-decision", details, occurred_at=OCCURRED)
    assert wording.rights == []
    assert "The Secretary of State for Justice decides whether to accept this." in wording.what_this_means


def test_parole_summary_available() -> None:
    sent = describe("parole-summary-available", {"summary": "sent"}, occurred_at=OCCURRED)
    assert "has sent it to you" in sent.what_this_means
    unknown = describe("parole-summary-available", {}, occurred_at=OCCURRED)
    assert "You can ask your Victim Liaison Officer for a copy" in unknown.what_this_means


def test_parole_vps_says_the_prisoner_normally_sees_it() -> None:
    wording = describe("parole-review-started", {"statement_by": "2027-06-18"}, occurred_at=OCCURRED)
    (right,) = wording.rights
    assert "The prisoner and their lawyer will normally see it." in right.text
    assert right.until == date(2027, 6, 18)
    assert "exceptional" in str(PAROLE_VPS.description)


# --- 7. Sentence wording ------------------------------------------------------------------------------


def test_sentence_wording_never_promises_a_fraction() -> None:
    fraction = re.compile(r"\bhalf\b|\d+ ?%|\bper ?cent\b|third|quarter", re.IGNORECASE)
    for code in EVENT_TYPES:
        wording = describe(code, example(code), occurred_at=OCCURRED, told_at=TOLD_AT)
        assert not fraction.search(all_words(wording)), code
    sentence = describe("sentence", example("sentence"), occurred_at=OCCURRED)
    assert "released automatically part of the way through" in sentence.what_happens_next
    assert "When that happens depends on the sentence and the crime." in sentence.what_happens_next
    spec = EVENT_TYPES["sentence"].details_schema["properties"]["sentence_summary"]["description"]
    assert "Never promise a fraction" in spec and "10 September 2024" in spec


def test_unduly_lenient_sentence_is_28_calendar_days_from_sentence_and_a_hard_limit() -> None:
    # Sentenced Monday 1 March 2027 -> 29 March 2027 (Easter Monday: calendar days, so still the limit).
    wording = describe("sentence", {"sentence_date": "2027-03-01"}, occurred_at=OCCURRED, told_at=TOLD_AT)
    (uls,) = rights_named(wording, "Unduly Lenient Sentence scheme")
    assert "The last day to ask is 29 March 2027, 28 days after the sentence." in uls
    assert "cannot be extended" in uls
    assert wording.rights[-1].until == date(2027, 3, 29)
    undated = describe("sentence", {}, occurred_at=OCCURRED, told_at=TOLD_AT)
    (text,) = rights_named(undated, "Unduly Lenient Sentence scheme")
    assert "within 28 days of the sentence, counting weekends and bank holidays" in text
    assert undated.rights[-1].until is None


def test_release_date_changed_by_an_early_release_scheme() -> None:
    wording = describe("release-date-changed", example("release-date-changed"), occurred_at=OCCURRED)
    assert wording.what_this_means.startswith(
        "The offender's release date has changed. They are now due to be released on 22 October 2027."
    )
    assert "early release scheme" in wording.what_this_means
    assert "They were due to be released on 14 January 2028." in wording.what_this_means


# --- 8. Victim Personal Statement ---------------------------------------------------------------------

DEFENDANT_SEES_IT = "The defendant and their lawyers will see it."


def test_vps_offered_when_the_witness_statement_is_taken() -> None:
    taken = describe("crime-recorded", {"witness_statement_taken": True}, occurred_at=OCCURRED)
    (right,) = taken.rights
    assert right.name == "Victim Personal Statement"
    assert "when you give your witness statement" in right.text and DEFENDANT_SEES_IT in right.text
    assert describe("crime-recorded", {}, occurred_at=OCCURRED).rights == []
    assert 7 in EVENT_TYPES["crime-recorded"].rights


def test_vps_offered_again_when_charged_and_before_sentence() -> None:
    charged = describe("suspect-charged", {}, occurred_at=OCCURRED)
    assert [r.name for r in charged.rights] == ["Victim Personal Statement"]
    guilty = describe("verdict", {"guilty": True}, occurred_at=OCCURRED)
    (right,) = guilty.rights
    assert right.text.startswith("Before the court decides the sentence, you can make a Victim Personal")
    assert DEFENDANT_SEES_IT in right.text
    not_guilty = describe("verdict", {"guilty": False}, occurred_at=OCCURRED)
    assert not_guilty.rights == [] and "Victim Personal Statement" not in all_words(not_guilty)
    unknown = describe("verdict", {}, occurred_at=OCCURRED)
    assert "Victim Personal Statement" in unknown.what_happens_next
    assert DEFENDANT_SEES_IT in unknown.what_happens_next
    hearing = {**example("hearing-scheduled"), "hearing_type": "sentencing"}
    sentencing = describe("hearing-scheduled", hearing, occurred_at=OCCURRED)
    assert "Victim Personal Statement" in sentencing.what_this_means
    assert DEFENDANT_SEES_IT in sentencing.what_this_means


def test_every_vps_text_says_who_will_see_it() -> None:
    texts: list[str] = []
    for event in EVENT_TYPES.values():
        texts += [str(event.what_this_means), str(event.what_happens_next)]
        texts += [str(sentence.text) for sentence in event.sentences]
        texts += [str(offered.right.description) for offered in event.offered_rights()]
    for right in (VPS, VPS_BEFORE_SENTENCE):
        texts.append(str(right.description))
    mentions = [text for text in texts if "Victim Personal Statement" in text]
    assert len(mentions) >= 5
    for text in mentions:
        if "Parole Board" in text:
            assert "The prisoner and their lawyer will normally see it." in text, text
        else:
            assert DEFENDANT_SEES_IT in text, text


# --- New event types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(NEW_TYPES))
def test_new_type_example_validates_and_is_worded(code: str) -> None:
    validate_details(code, example(code))
    wording = describe(code, example(code), occurred_at=OCCURRED, told_at=TOLD_AT)
    assert wording.title and wording.what_this_means and wording.what_happens_next


def test_urgent_safety_news_is_one_working_day_unconfirmed_and_a_milestone() -> None:
    assert {code for code, event in EVENT_TYPES.items() if event.urgent} == URGENT
    for code in URGENT:
        event = EVENT_TYPES[code]
        assert (event.standard_days, event.enhanced_days, event.unconfirmed, event.milestone) == (
            1,
            1,
            True,
            True,
        )
    assert parse_overrides("offender-escaped=1/1,deportation-decision=2/1") == {
        "offender-escaped": (1, 1),
        "deportation-decision": (2, 1),
    }
    for code in ("parole-decision", "arrest-warrant-issued", "cps-no-charge-decision"):
        assert not EVENT_TYPES[code].urgent


def test_categories_of_safety_news() -> None:
    court = {"arrest-warrant-issued", "offender-arrested-on-warrant"} | {
        c for c in NEW_TYPES if c.startswith("restraining-order")
    }
    for code in NEW_TYPES - {"cps-no-charge-decision"}:
        expected = "court" if code in court else "parole-and-release"
        assert EVENT_TYPES[code].category == expected, code


def test_safety_news_says_to_call_999() -> None:
    for code in (URGENT - {"offender-returned"}) | {"arrest-warrant-issued", "offender-arrested-on-warrant"}:
        wording = describe(code, example(code), occurred_at=OCCURRED)
        assert "call 999" in all_words(wording), code


def test_restraining_order_breach_tells_the_victim_what_to_do() -> None:
    wording = describe("restraining-order-breached", {}, occurred_at=OCCURRED)
    assert wording.what_happens_next.startswith("If you are in danger now, call 999.")
    assert "say that there is a restraining order" in wording.what_happens_next
    made = describe("restraining-order-made", example("restraining-order-made"), occurred_at=OCCURRED)
    assert "not to go within 100 metres of your home" in made.what_this_means
    ended = describe("restraining-order-varied", {"change": "ended"}, occurred_at=OCCURRED)
    assert "its terms no longer apply" in ended.what_this_means


def test_bail_conditions_changed_can_come_from_witness_care() -> None:
    assert {str(a) for a in EVENT_TYPES["bail-conditions-changed"].agencies} == {"police", "witness_care"}
    assert "suspect's" not in str(EVENT_TYPES["bail-conditions-changed"].title)


def test_titles_of_safety_news_name_no_detail() -> None:
    for code in NEW_TYPES:
        title = str(EVENT_TYPES[code].title)
        assert "{" not in title and len(title) <= 60, title


# --- The property: every type, every example, with and without the clock dates -----------------------


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(sorted(EVENT_TYPES)),
    told_at=st.none() | st.datetimes(datetime(2026, 1, 1), datetime(2029, 12, 31), timezones=st.just(UTC)),
    letter_date=st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)),
    data=st.data(),
)
def test_describe_never_fails_and_dates_never_precede_their_clock(
    code: str, told_at: datetime | None, letter_date: date | None, data: st.DataObject
) -> None:
    """Every event type x its example's details (any optional ones left out) x told_at and letter_date
    present or absent: describe never raises, leaves no placeholder, words every right, and never dates
    a right before its clock starts (nor at all when the start is unknown)."""
    event = EVENT_TYPES[code]
    full = example(code)
    required = set(event.details_schema["required"])
    optional = sorted(set(full) - required)
    kept = set(data.draw(st.lists(st.sampled_from(optional), unique=True))) if optional else set()
    details = {k: v for k, v in full.items() if k in required or k in kept}
    properties = event.details_schema["properties"]
    if "letter_date" in properties:
        details.pop("letter_date", None)
        if letter_date is not None:
            details["letter_date"] = letter_date.isoformat()
    validate_details(code, details)
    wording = describe(code, details, occurred_at=OCCURRED, received_at=RECEIVED, told_at=told_at)
    text = all_words(wording)
    assert "{" not in text and "}" not in text and "%(" not in text, text
    for right in wording.rights:
        assert right.text.strip() and right.name
    names = [str(o.right.name) for o in event.offered_rights()]
    assert [r.name for r in wording.rights] == [n for n in names if n in {r.name for r in wording.rights}]
    for offered in event.offered_rights():
        matching = [r for r in wording.rights if r.name == str(offered.right.name)]
        if not matching or not offered.right.has_clock:
            continue
        start = right_clock_start(offered.right, details, told_at)
        until = matching[0].until
        if start is None:
            assert until is None or offered.right.deadline_detail, "a date was invented"
        else:
            assert until is not None and until >= start
            assert re.search(r"\d{4}", matching[0].text)
