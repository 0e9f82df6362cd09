"""The event vocabulary: every row of DOMAIN.md, its timescales, its details schema and its wording."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from flask_babel.speaklater import LazyString
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from portal.services.vocabulary import (
    AGENCY_LABELS,
    CATEGORIES,
    CLOCK_STARTS,
    EVENT_TYPES,
    Agency,
    MissingDetails,
    UnknownEventType,
    Wording,
    describe,
    format_time,
    get_event_type,
    parse_overrides,
    timescale_days,
    validate_details,
)

pytestmark = pytest.mark.usefixtures("babel_app_context")

OCCURRED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
RECEIVED = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)

P, C, W, PR = Agency.POLICE, Agency.CPS, Agency.WITNESS_CARE, Agency.PROBATION

# code: (agencies, standard, enhanced, unconfirmed) -- transcribed from DOMAIN.md's table by hand.
EXPECTED: dict[str, tuple[tuple[Agency, ...], int, int, bool]] = {
    "crime-recorded": ((P,), 1, 1, True),  # "without delay": our reading, so overridable
    "support-referral-made": ((P,), 2, 2, False),
    "investigation-update": ((P,), 5, 1, False),
    "suspect-arrested": ((P,), 5, 1, False),
    "suspect-interviewed": ((P,), 5, 1, False),
    "suspect-released-no-further-action": ((P,), 5, 1, False),
    "suspect-bailed": ((P,), 5, 1, False),
    "bail-conditions-changed": ((P, W), 5, 1, False),  # police bail, or court bail through Witness Care
    "suspect-released-under-investigation": ((P,), 5, 1, False),
    "investigation-closed": ((P,), 5, 1, False),
    "out-of-court-resolution": ((P,), 5, 1, False),
    "suspect-charged": ((P, C), 5, 1, True),
    "charge-altered": ((C,), 5, 1, False),
    "cps-no-charge-decision": ((C,), 5, 1, False),
    "case-discontinued": ((C,), 5, 1, False),
    "no-evidence-offered": ((C,), 5, 1, False),
    "vrr-outcome": ((P, C), 5, 1, True),
    "hearing-scheduled": ((W,), 1, 1, False),
    "hearing-changed": ((W,), 1, 1, False),  # Right 8.1: any hearing, 1 working day for every victim
    "hearing-adjourned": ((W,), 1, 1, False),
    "witness-required": ((W,), 1, 1, False),
    "witness-no-longer-needed": ((W,), 1, 1, False),  # issue 15: released from a hearing
    "bail-decision": ((W,), 5, 1, False),
    "arrest-warrant-issued": ((W,), 5, 1, False),
    "offender-arrested-on-warrant": ((W,), 5, 1, False),
    "restraining-order-made": ((W, P), 1, 1, True),
    "restraining-order-varied": ((W, P), 1, 1, True),
    "restraining-order-breached": ((P, W), 1, 1, True),
    "verdict": ((W,), 1, 1, False),
    "sentence": ((W,), 1, 1, False),
    "appeal-lodged": ((W,), 5, 1, True),
    "appeal-outcome": ((W,), 5, 1, True),
    "vcs-referral": ((PR,), 10, 10, False),
    "vlo-contact": ((PR,), 20, 20, False),
    "parole-review-started": ((PR,), 5, 1, True),
    "licence-conditions-set": ((PR,), 5, 1, True),
    "release-date-set": ((PR,), 5, 1, True),
    "offender-released": ((PR,), 5, 1, True),
    "offender-recalled": ((PR,), 5, 1, True),
    "offender-transferred": ((PR,), 5, 1, True),
    "parole-decision": ((PR,), 5, 1, True),
    "parole-summary-available": ((PR,), 5, 1, True),
    "offender-escaped": ((PR,), 1, 1, True),
    "offender-absconded": ((PR,), 1, 1, True),
    "offender-returned": ((PR,), 1, 1, True),
    "temporary-release": ((PR,), 1, 1, True),
    "home-detention-curfew": ((PR,), 1, 1, True),
    "release-date-changed": ((PR,), 1, 1, True),
    "deportation-decision": ((PR,), 1, 1, True),
}

#: DOMAIN.md's safety news: urgent, every safe channel at once.
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

ALL_CODES = sorted(EVENT_TYPES)
UNEXPLAINED_JARGON = re.compile(r"\b(VRR|VCS|VPS|VLO|NFA|RUI|URN|CRN|OCR|VCL|ISVA|IDVA)\b")


def example(code: str) -> dict[str, Any]:
    return dict(EVENT_TYPES[code].details_schema["examples"][0])


def words(wording: Wording) -> str:
    return "\n".join(
        [wording.title, wording.what_this_means, wording.what_happens_next, *(r.text for r in wording.rights)]
    )


def assert_clean(wording: Wording) -> None:
    text = words(wording)
    assert "{" not in text and "}" not in text, text
    assert "None" not in text and "  " not in text and ".." not in text and " ." not in text, text
    assert not UNEXPLAINED_JARGON.search(text), text
    if "CPS" in text:
        assert "Crown Prosecution Service (CPS)" in text, text
    for part in (wording.what_this_means, wording.what_happens_next):
        assert part and part[0].isupper() and part.endswith("."), part
    parts = sorted(wording.key_details + wording.background, key=wording.what_this_means.index)
    assert " ".join(parts) == wording.what_this_means, "key_details + background must be what_this_means"


# --- The table ----------------------------------------------------------------------------------------


def test_every_row_of_the_domain_table_is_there_and_nothing_else() -> None:
    assert set(EVENT_TYPES) == set(EXPECTED)
    assert len(EVENT_TYPES) == 49


@pytest.mark.parametrize("code", ALL_CODES)
def test_timescales_and_agencies_match_the_table(code: str) -> None:
    event = EVENT_TYPES[code]
    agencies, standard, enhanced, unconfirmed = EXPECTED[code]
    assert event.code == code
    assert set(event.agencies) == set(agencies)
    assert (event.standard_days, event.enhanced_days, event.unconfirmed) == (standard, enhanced, unconfirmed)
    assert timescale_days(event, enhanced=False) == standard
    assert timescale_days(event, enhanced=True) == enhanced
    assert event.category in CATEGORIES
    assert event.counts_from in CLOCK_STARTS
    assert event.rights and all(1 <= right <= 12 for right in event.rights)


def test_special_clocks_and_rights() -> None:
    assert EVENT_TYPES["vcs-referral"].counts_from == "sentence"
    assert EVENT_TYPES["vlo-contact"].counts_from == "referral"
    assert {c for c, e in EVENT_TYPES.items() if e.counts_from != "received"} == {
        "vcs-referral",
        "vlo-contact",
    }
    assert EVENT_TYPES["crime-recorded"].rights == (2, 3, 7)  # 7: a Victim Personal Statement
    assert 4 in EVENT_TYPES["support-referral-made"].rights
    police_vrr = {"suspect-released-no-further-action", "investigation-closed"}
    cps_vrr = {"cps-no-charge-decision", "case-discontinued", "no-evidence-offered"}
    for code in police_vrr:
        assert EVENT_TYPES[code].review_right is not None and EVENT_TYPES[code].review_right.months == 3
        assert EVENT_TYPES[code].review_right_if == "suspect_interviewed_under_caution"
    for code in cps_vrr:
        right = EVENT_TYPES[code].review_right
        assert right is not None and (right.working_days, right.months) == (10, 3)
        assert right.counts_from == ("letter_date", "told")
    assert EVENT_TYPES["parole-review-started"].review_right is not None
    assert EVENT_TYPES["vcs-referral"].review_right is not None
    assert EVENT_TYPES["sentence"].review_right_if == "vcs_eligible"


def test_categories_and_milestones() -> None:
    assert {e.category for e in EVENT_TYPES.values()} == set(CATEGORIES)
    parole = {c for c, e in EVENT_TYPES.items() if e.category == "parole-and-release"}
    assert parole == {
        "parole-review-started",
        "licence-conditions-set",
        "release-date-set",
        "offender-released",
        "offender-recalled",
        "offender-transferred",
        "parole-decision",
        "parole-summary-available",
        "offender-escaped",
        "offender-absconded",
        "offender-returned",
        "temporary-release",
        "home-detention-curfew",
        "release-date-changed",
        "deportation-decision",
    }
    for code in ("arrest-warrant-issued", "offender-arrested-on-warrant"):
        assert EVENT_TYPES[code].category == "court"
    for code in ("restraining-order-made", "restraining-order-varied", "restraining-order-breached"):
        assert EVENT_TYPES[code].category == "court"
    for code in ("suspect-charged", "hearing-scheduled", "verdict", "sentence", "case-discontinued"):
        assert EVENT_TYPES[code].milestone
    assert not EVENT_TYPES["investigation-update"].milestone


def test_agency_labels() -> None:
    assert {str(AGENCY_LABELS[a]) for a in Agency} == {
        "Police",
        "Crown Prosecution Service",
        "Witness Care",
        "Probation Service",
    }
    assert Agency("witness_care") is Agency.WITNESS_CARE


def test_user_facing_strings_are_translatable() -> None:
    for event in EVENT_TYPES.values():
        for value in (event.title, event.what_this_means, event.what_happens_next):
            assert isinstance(value, LazyString)
        for sentence in event.sentences:
            assert isinstance(sentence.text, LazyString)
        for offered in event.offered_rights():
            right = offered.right
            for value in (right.name, right.description):
                assert isinstance(value, LazyString)
            for optional in (right.deadline_text, right.undated_text, right.deadline_detail_text):
                assert optional is None or isinstance(optional, LazyString)
    assert all(isinstance(label, LazyString) for label in AGENCY_LABELS.values())


def test_titles_are_sentence_case_without_a_full_stop() -> None:
    proper = {"Victim", "Contact", "Scheme", "Liaison", "Officer", "Parole", "Board", "Board's"}
    for event in EVENT_TYPES.values():
        title = str(event.title)
        assert title[0].isupper() and not title.endswith(".")
        assert all(not w[0].isupper() or w in proper for w in title.split()[1:]), title


def test_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType) as raised:
        get_event_type("hearing-cancelled")
    assert raised.value.code == "hearing-cancelled"
    assert not isinstance(raised.value, KeyError)


# --- Details schemas -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_CODES)
def test_details_schema_is_closed_documented_and_its_example_is_valid(code: str) -> None:
    schema = EVENT_TYPES[code].details_schema
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["required"]) <= set(schema["properties"])
    for name, spec in schema["properties"].items():
        assert spec.get("description"), f"{code}.{name} has no description"
    assert schema["examples"] and all(isinstance(e, dict) for e in schema["examples"])
    if schema["properties"]:
        assert schema["examples"][0], f"{code} needs a realistic, non-empty example"
    validate_details(code, schema["examples"][0])


def test_required_details_are_only_those_the_wording_needs() -> None:
    required = {
        c: tuple(e.details_schema["required"]) for c, e in EVENT_TYPES.items() if e.details_schema["required"]
    }
    assert required == {
        "hearing-scheduled": ("hearing_at", "court_name"),
        "hearing-changed": ("hearing_at", "court_name"),
        "release-date-set": ("release_date",),
        "release-date-changed": ("release_date",),
        "parole-decision": ("decision_date",),
        "witness-no-longer-needed": ("hearing_at",),
    }


@pytest.mark.parametrize(
    ("code", "details", "message"),
    [
        ("hearing-scheduled", {"court_name": "Leeds Crown Court"}, "needs 'hearing_at'"),
        ("hearing-scheduled", {**example("hearing-scheduled"), "judge": "Smith"}, "does not accept: judge"),
        (
            "hearing-scheduled",
            {**example("hearing-scheduled"), "hearing_at": "2027-03-14T10:00"},
            "date-time",
        ),
        ("hearing-scheduled", {**example("hearing-scheduled"), "hearing_at": "next Tuesday"}, "date-time"),
        ("release-date-set", {"release_date": "2028-02-30"}, "format"),
        ("suspect-charged", {"charges": []}, "minItems"),
        ("suspect-charged", {"charges": "assault"}, "type"),
        ("sentence", {"vcs_eligible": "yes"}, "type"),
        ("vrr-outcome", {"outcome": "partly"}, "enum"),
    ],
)
def test_validate_details_rejects_bad_details(code: str, details: Mapping[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_details(code, details)


def test_validate_details_never_echoes_values() -> None:
    with pytest.raises(ValueError) as raised:
        validate_details("suspect-charged", {"charges": "Jane Doe's secret"})
    assert "Jane Doe" not in str(raised.value)


# --- Overrides ------------------------------------------------------------------------------------------


def test_parse_overrides() -> None:
    assert parse_overrides("") == {}
    assert parse_overrides("  ,  ") == {}
    assert parse_overrides("suspect-charged=5/1,appeal-lodged=5/2") == {
        "suspect-charged": (5, 1),
        "appeal-lodged": (5, 2),
    }
    assert parse_overrides(" crime-recorded = 2/1 ") == {"crime-recorded": (2, 1)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hearing-scheduled=2/2", "set by the Victims' Code"),
        ("no-such-type=5/1", "no such event type"),
        ("suspect-charged=5", "write it as 'event-type=standard/enhanced'"),
        ("suspect-charged:5/1", "write it as"),
        ("suspect-charged=five/one", "write it as"),
        ("suspect-charged=0/0", "between 1 and 250"),
        ("suspect-charged=1/5", "must not be longer than the standard"),
        ("suspect-charged=5/1,suspect-charged=4/1", "more than once"),
    ],
)
def test_parse_overrides_rejects_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_overrides(text)


def test_timescale_days_with_overrides() -> None:
    charged = get_event_type("suspect-charged")
    assert timescale_days(charged, False, {"suspect-charged": (7, 2)}) == 7
    assert timescale_days(charged, True, {"suspect-charged": (7, 2)}) == 2
    with pytest.raises(ValueError, match="Only unconfirmed"):
        timescale_days(get_event_type("verdict"), False, {"verdict": (3, 3)})


# --- Wording ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_CODES)
def test_describe_with_the_example(code: str) -> None:
    wording = describe(code, example(code), occurred_at=OCCURRED, received_at=RECEIVED)
    assert_clean(wording)
    assert wording.title == str(EVENT_TYPES[code].title)


@pytest.mark.parametrize("code", ALL_CODES)
def test_describe_with_no_details_never_leaks_a_placeholder(code: str) -> None:
    if EVENT_TYPES[code].details_schema["required"]:
        with pytest.raises(MissingDetails, match=code):
            describe(code, {}, occurred_at=OCCURRED, received_at=RECEIVED)
        return
    assert_clean(describe(code, {}, occurred_at=OCCURRED, received_at=RECEIVED))


@pytest.mark.parametrize("code", ALL_CODES)
def test_describe_with_only_the_required_details(code: str) -> None:
    required = EVENT_TYPES[code].details_schema["required"]
    details = {key: value for key, value in example(code).items() if key in required}
    assert_clean(describe(code, details, occurred_at=OCCURRED, received_at=RECEIVED))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_describe_with_any_subset_of_details(data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(ALL_CODES))
    full = example(code)
    required = set(EVENT_TYPES[code].details_schema["required"])
    optional = sorted(set(full) - required)
    chosen = data.draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    details = {k: v for k, v in full.items() if k in required or k in chosen}
    assert_clean(describe(code, details, occurred_at=OCCURRED, received_at=RECEIVED))


def test_unknown_detail_keys_are_never_shown() -> None:
    details = {**example("verdict"), "defendant_name": "John Smith"}
    assert "John Smith" not in words(describe("verdict", details, occurred_at=OCCURRED, received_at=RECEIVED))


def test_hearing_wording_is_specific_and_in_london_time() -> None:
    details = {
        "hearing_at": "2027-06-14T09:30:00Z",
        "court_name": "Leeds Crown Court",
        "hearing_type": "trial",
    }
    wording = describe("hearing-scheduled", details, occurred_at=OCCURRED, received_at=RECEIVED)
    assert wording.what_this_means.startswith(
        "There will be a court hearing at Leeds Crown Court on 14 June 2027 at 10:30am."
    )
    assert "This is the trial." in wording.what_this_means
    assert wording.key_details[0].startswith("There will be a court hearing at Leeds Crown Court")
    late = {"hearing_at": "2027-06-14T23:30:00+00:00", "court_name": "Leeds Crown Court"}
    text = describe("hearing-scheduled", late, occurred_at=OCCURRED, received_at=RECEIVED).what_this_means
    assert "on 15 June 2027 at 12:30am" in text


def test_hearing_adjourned_without_a_new_date() -> None:
    wording = describe("hearing-adjourned", {}, occurred_at=OCCURRED, received_at=RECEIVED)
    assert "will continue on another day" in wording.what_this_means
    assert "If the new date is not known yet" in wording.what_happens_next


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (10, 0, "10am"),
        (14, 30, "2:30pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (12, 15, "12:15pm"),
        (0, 5, "12:05am"),
        (9, 5, "9:05am"),
    ],
)
def test_format_time(hour: int, minute: int, expected: str) -> None:
    assert format_time(datetime(2027, 3, 1, hour, minute)) == expected


def test_police_vrr_date_is_three_months_from_when_the_victim_was_told() -> None:
    told = datetime(2026, 12, 14, 16, 0, tzinfo=UTC)
    details = {"suspect_interviewed_under_caution": True}
    wording = describe(
        "suspect-released-no-further-action", details, occurred_at=told, received_at=told, told_at=told
    )
    assert len(wording.rights) == 1
    assert "Victims' Right to Review" in wording.rights[0].text
    assert "You can ask for a review until 14 March 2027" in wording.rights[0].text
    closed = describe("investigation-closed", details, occurred_at=told, received_at=told, told_at=told)
    assert "until 14 March 2027" in closed.rights[0].text


def test_cps_vrr_dates() -> None:
    # Told Monday 1 March 2027: 10 working days -> Monday 15 March; 3 months -> 1 June 2027.
    for code in ("cps-no-charge-decision", "case-discontinued", "no-evidence-offered"):
        wording = describe(code, {}, occurred_at=OCCURRED, received_at=RECEIVED, told_at=RECEIVED)
        assert "Ask by 15 March 2027 if you can." in wording.rights[0].text
        assert "up to 1 June 2027" in wording.rights[0].text


def test_rights_count_from_the_london_date() -> None:
    # 23:30 UTC on 30 November 2026 is still 30 November in London (GMT): 3 months -> 28 February 2027.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    details = {"suspect_interviewed_under_caution": True}
    wording = describe("investigation-closed", details, occurred_at=late, received_at=late, told_at=late)
    assert "until 28 February 2027," in wording.rights[0].text
    # 23:30 UTC on 30 June 2027 is 00:30 on 1 July in London (BST): 3 months -> 1 October 2027.
    summer = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    wording = describe("investigation-closed", details, occurred_at=summer, told_at=summer)
    assert "until 1 October 2027," in wording.rights[0].text


def test_parole_statement_right() -> None:
    with_date = describe(
        "parole-review-started", {"statement_by": "2027-06-18"}, occurred_at=OCCURRED, received_at=RECEIVED
    )
    assert "Victim Personal Statement" in with_date.rights[0].text
    assert with_date.rights[0].text.endswith("Send your statement by 18 June 2027.")
    without = describe("parole-review-started", {}, occurred_at=OCCURRED, received_at=RECEIVED)
    assert "Send your statement" not in without.rights[0].text


def test_victim_contact_scheme_only_when_eligible() -> None:
    def rights(details: Mapping[str, Any]) -> list[str]:
        wording = describe("sentence", details, occurred_at=OCCURRED, received_at=RECEIVED)
        return [r.text for r in wording.rights if r.name == "Victim Contact Scheme"]

    assert any("Victim Contact Scheme" in r for r in rights({"vcs_eligible": True}))
    assert rights({"vcs_eligible": False}) == []
    assert rights({}) == []
    referral = describe("vcs-referral", {}, occurred_at=OCCURRED, received_at=RECEIVED)
    assert "join or leave the scheme at any time" in referral.rights[0].text


def test_enumerations_and_flags_pick_the_right_sentence() -> None:
    upheld = describe("vrr-outcome", {"outcome": "upheld"}, occurred_at=OCCURRED, received_at=RECEIVED)
    assert "the original decision was right" in upheld.what_this_means
    assert "wrong" not in upheld.what_this_means
    custody = describe(
        "bail-decision", {"decision": "remanded-in-custody"}, occurred_at=OCCURRED, received_at=RECEIVED
    )
    assert "kept in custody, which means held in prison" in custody.what_this_means
    no_meeting = describe(
        "case-discontinued", {"meeting_offered": False}, occurred_at=OCCURRED, received_at=RECEIVED
    )
    assert "meeting" not in no_meeting.what_happens_next


def test_lists_and_stray_full_stops_read_naturally() -> None:
    details = {"charges": ["assault by beating.", "  criminal   damage "]}
    wording = describe("suspect-charged", details, occurred_at=OCCURRED, received_at=RECEIVED)
    assert "The charges are: assault by beating; criminal damage." in wording.what_this_means


def test_agency_message_is_kept_apart() -> None:
    wording = describe(
        "investigation-update", {}, occurred_at=OCCURRED, received_at=RECEIVED, message="  We have CCTV.  "
    )
    assert wording.message == "We have CCTV."
    assert "CCTV" not in wording.what_this_means
    assert (
        describe("investigation-update", {}, occurred_at=OCCURRED, received_at=RECEIVED, message=" ").message
        is None
    )


def test_describe_rejects_naive_times_and_unreadable_dates() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        describe("verdict", {}, occurred_at=datetime(2027, 3, 1), received_at=RECEIVED)
    with pytest.raises(ValueError):
        describe("release-date-set", {"release_date": "soon"}, occurred_at=OCCURRED, received_at=RECEIVED)
