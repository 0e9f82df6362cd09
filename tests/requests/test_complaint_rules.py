"""Issue 16, part 4 (Right 12): who a victim can complain about, what a complaint must say, the dates the
agency should acknowledge and answer it by, and what the victim can do after the final response."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import Case, Victim
from portal.models.victim_requests import COMPLAINT, RECEIVED
from portal.services.cases import records as case_records
from portal.services.common.actors import Actor
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.requests import complaint
from portal.services.requests.complaint import InvalidComplaint
from tests.support.builders import create_case, create_update, create_victim

VICTIM = Actor(user_id=0, role="victim", victim_id=DEMO_VICTIM_ID)
# A Friday before the late May bank holiday (Monday 25 May 2026), at 10:00 London time.
FRIDAY = datetime(2026, 5, 22, 9, 0, tzinfo=UTC)
TODAY = date(2026, 5, 22)
ANSWERS = {"what_happened": "Nobody called me back.", "what_you_want": "An apology.", "happened_on": None}


def _case_with_updates(app: Flask, *agencies: str, other_victims_agency: str | None = None) -> str:
    """A case of the demo victim with one update from each of `agencies` (and, when given, one from
    `other_victims_agency` meant for another victim on the case only). Returns its URN."""
    urn = f"01CM{uuid.uuid4().int % 100000:05d}26"
    with app.app_context(), db.job() as session:
        case = create_case(session, urn, offence="Criminal damage")
        demo = session.get(Victim, DEMO_VICTIM_ID)
        assert demo is not None
        case_records.add_victim(session, case, demo)
        other = create_victim(session, "Olu", "Other", case=case)
        events = {"police": "investigation-update", "cps": "charge-altered", "probation": "vcs-referral"}
        for agency in agencies:
            create_update(
                session,
                case,
                events[agency],
                agency=agency,
                agency_event_id=str(uuid.uuid4()),
                announce=False,
            )
        if other_victims_agency:
            create_update(
                session,
                case,
                events[other_victims_agency],
                agency=other_victims_agency,
                agency_event_id=str(uuid.uuid4()),
                victim_id=other.id,
                announce=False,
            )
    return urn


def _subjects(app: Flask, urn: str | None) -> list[tuple[str, bool]]:
    with app.app_context(), db.job() as session:
        case = None if urn is None else session.query(Case).filter_by(urn=urn).one()
        return [(s.agency, s.suggested) for s in complaint.subjects(session, VICTIM, case)]


def test_the_agencies_that_sent_updates_on_the_case_are_suggested_first(seeded: Flask) -> None:
    urn = _case_with_updates(seeded, "probation", "cps", other_victims_agency="police")
    assert _subjects(seeded, urn) == [
        ("cps", True),
        ("probation", True),
        # An update meant only for another victim on the case does not make the police "theirs".
        ("police", False),
        ("witness_care", False),
        ("service", False),
    ]


def test_without_updates_every_agency_is_offered_none_suggested(seeded: Flask) -> None:
    urn = _case_with_updates(seeded)
    assert _subjects(seeded, urn) == [
        ("police", False),
        ("cps", False),
        ("witness_care", False),
        ("probation", False),
        ("service", False),
    ]


def test_without_a_case_a_complaint_can_only_be_about_the_portal(seeded: Flask) -> None:
    assert _subjects(seeded, None) == [("service", False)]


def _submit(app: Flask, agency: str, *, urn: str | None = DEMO_CASE_URN, answers: dict | None = None) -> dict:
    with app.app_context(), db.job() as session:
        case = None if urn is None else session.query(Case).filter_by(urn=urn).one()
        sent = complaint.submit(
            session,
            VICTIM,
            case=case,
            agency=agency,
            answers=answers or ANSWERS,
            submitted_by_user_id=None,
            now=FRIDAY,
        )
        return {
            "kind": sent.kind,
            "status": sent.status,
            "agency": sent.agency,
            "case_id": sent.case_id,
            "acknowledge_by": sent.acknowledge_by,
            "answer_by": sent.answer_by,
            "answers": sent.answers,
            "reference": sent.reference,
        }


@pytest.mark.parametrize(
    ("agency", "acknowledge_by", "answer_by"),
    [
        # 5 working days after Friday 22 May 2026, skipping the bank holiday on 25 May: Monday 1 June.
        ("police", date(2026, 6, 1), date(2026, 6, 22)),
        ("cps", date(2026, 5, 28), date(2026, 6, 22)),
        ("witness_care", date(2026, 5, 28), date(2026, 6, 22)),
        # Probation Instruction 51/2014: 5 working days, then 25 after the acknowledgement (30 in all).
        ("probation", date(2026, 6, 1), date(2026, 7, 6)),
        ("service", date(2026, 5, 27), date(2026, 6, 8)),
    ],
)
def test_a_complaint_gets_the_agencys_published_targets(
    seeded: Flask, agency: str, acknowledge_by: date, answer_by: date
) -> None:
    sent = _submit(seeded, agency)
    assert (sent["kind"], sent["status"], sent["agency"]) == (COMPLAINT, RECEIVED, agency)
    assert (sent["acknowledge_by"], sent["answer_by"]) == (acknowledge_by, answer_by)
    assert sent["reference"].startswith("CMP-")
    assert sent["answers"] == ANSWERS


def test_configured_targets_replace_the_published_ones(seeded: Flask) -> None:
    seeded.config["REQUEST_TARGETS"] = "complaint:cps=1/3"
    try:
        sent = _submit(seeded, "cps")
        assert (sent["acknowledge_by"], sent["answer_by"]) == (date(2026, 5, 26), date(2026, 5, 28))
    finally:
        seeded.config.pop("REQUEST_TARGETS")


def test_a_complaint_about_the_portal_needs_no_case(seeded: Flask) -> None:
    sent = _submit(seeded, "service", urn=None)
    assert (sent["agency"], sent["case_id"]) == ("service", None)


@pytest.mark.parametrize(("agency", "urn"), [("police", None), ("court", DEMO_CASE_URN), ("", DEMO_CASE_URN)])
def test_an_agency_complaint_needs_a_case_and_a_known_agency(
    seeded: Flask, agency: str, urn: str | None
) -> None:
    with pytest.raises(InvalidComplaint) as refused:
        _submit(seeded, agency, urn=urn)
    assert refused.value.errors == {"agency": "Select who your complaint is about"}


@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"what_happened": "  ", "what_you_want": "x"}, "what_happened", "Enter what happened"),
        (
            {"what_happened": "x" * 5001, "what_you_want": "x"},
            "what_happened",
            "What happened must be 5000 characters or fewer",
        ),
        ({"what_happened": "x", "what_you_want": ""}, "what_you_want", "Enter what you would like to happen"),
        (
            {"what_happened": "x", "what_you_want": "y" * 2001},
            "what_you_want",
            "What you would like to happen must be 2000 characters or fewer",
        ),
        (
            {"what_happened": "x", "what_you_want": "y", "happened_on": "2026-05-23"},
            "happened_on",
            "The date it happened must be today or in the past",
        ),
    ],
)
def test_what_a_complaint_must_say(answers: dict, field: str, message: str) -> None:
    with pytest.raises(InvalidComplaint) as refused:
        complaint.check_answers(answers, today=TODAY)
    assert refused.value.errors == {field: message}


@pytest.mark.usefixtures("babel_app_context")
def test_the_longest_answers_are_accepted_and_trimmed() -> None:
    checked = complaint.check_answers(
        {"what_happened": " " + "x" * 5000 + "\n", "what_you_want": "y" * 2000, "happened_on": "2026-05-22"},
        today=TODAY,
    )
    assert checked == {"what_happened": "x" * 5000, "what_you_want": "y" * 2000, "happened_on": "2026-05-22"}


@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "5", "2026"), "The date it happened must include a day"),
        (("3", "", ""), "The date it happened must include a month and year"),
        (("31", "2", "2026"), "The date it happened must be a real date"),
        (("3", "5", "26"), "The date it happened must be a real date"),
        (("23", "5", "2026"), "The date it happened must be today or in the past"),
    ],
)
def test_the_date_it_happened_is_optional_but_must_be_real(parts: tuple[str, str, str], message: str) -> None:
    with pytest.raises(InvalidComplaint) as refused:
        complaint.parse_happened_on(*parts, today=TODAY)
    assert refused.value.errors == {"happened_on": message}
    assert complaint.parse_happened_on("", " ", "", today=TODAY) is None
    assert complaint.parse_happened_on("22", "5", "2026", today=TODAY) == TODAY


@pytest.mark.usefixtures("babel_app_context")
def test_the_labels_name_every_stored_answer() -> None:
    checked = complaint.check_answers(ANSWERS, today=TODAY)
    assert list(complaint.answer_labels()) == ["what_happened", "happened_on", "what_you_want"]
    assert set(complaint.answer_labels()) == set(checked)


@pytest.mark.usefixtures("babel_app_context")
def test_after_the_final_response_the_police_route_is_a_review_not_the_ombudsman() -> None:
    text = " ".join(complaint.after_final_response("police"))
    assert "Independent Office for Police Conduct (IOPC)" in text
    assert "within 28 days" in text
    assert text.endswith("https://www.policeconduct.gov.uk/")
    assert "Ombudsman" not in text


@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize("agency", ["cps", "probation", "service"])
def test_after_the_final_response_others_go_to_the_ombudsman_through_an_mp(agency: str) -> None:
    text = " ".join(complaint.after_final_response(agency))
    assert (
        "ask your MP to refer your complaint to the Parliamentary and Health Service Ombudsman (PHSO)" in text
    )
    assert "within 12 months" in text
    assert text.endswith("https://www.ombudsman.org.uk/")
    assert "IOPC" not in text


@pytest.mark.usefixtures("babel_app_context")
def test_after_the_final_response_witness_care_gives_both_routes() -> None:
    paragraphs = complaint.after_final_response("witness_care")
    assert paragraphs[0].startswith("Witness care units are run by the police with the CPS.")
    text = " ".join(paragraphs)
    assert "https://www.policeconduct.gov.uk/" in text and "https://www.ombudsman.org.uk/" in text
