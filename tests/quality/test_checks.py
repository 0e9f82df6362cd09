"""The checks on what agencies send, rule by rule (no database): jargon from the maintained list with the
plain words, readability by the Flesch reading ease, and the elements of a decision."""

from __future__ import annotations

import pytest

from portal.services import vocabulary
from portal.services.quality import checks, elements, jargon


def _terms(text: str) -> list[str]:
    return [found.term for found in jargon.find(text)]


def test_jargon_is_found_with_the_plain_words_to_use() -> None:
    assert _terms("The CPS discontinued the case; the matter was adjourned sine die.") == [
        "CPS",
        "discontinued",
        "adjourned sine die",
    ]
    [nfa] = jargon.find("Outcome: NFA.")
    assert nfa.plain == "no further action: the police will not take the case further"


def test_an_explained_abbreviation_and_ordinary_words_are_not_jargon() -> None:
    assert _terms("The Crown Prosecution Service (CPS) has decided to stop the case.") == []
    assert _terms("The nfa and rui in lower case are not abbreviations; listed items are fine.") == []
    assert _terms("The judge found no case to answer.") == ["no case to answer"]


@pytest.mark.parametrize(
    ("message", "passes"),
    [
        ("We have looked at all the evidence. We do not have enough to go to court. We are sorry.", True),
        (
            "Notwithstanding considerable investigative endeavours, identification of the perpetrator "
            "responsible remains unsubstantiated, consequently necessitating administrative finalisation.",
            False,
        ),
    ],
)
def test_readability_passes_at_or_above_the_threshold(message: str, passes: bool) -> None:
    result = checks.run("investigation-update", {}, message, enhanced=False, named_contact=False)
    assert result.readability is not None
    assert (result.readability >= elements.READABILITY_THRESHOLD) is passes
    assert result.checks[elements.READABILITY] is passes


def test_too_few_words_are_not_scored() -> None:
    result = checks.run(
        "investigation-update", {}, "Still looking into it.", enhanced=False, named_contact=False
    )
    assert result.readability is None and elements.READABILITY not in result.checks
    assert result.checks == {elements.JARGON: True}


def test_a_decision_needs_each_element_and_the_meeting_only_for_enhanced_rights() -> None:
    details = {"reason": "there was not enough evidence that it was him", "letter_date": "2026-11-20"}
    message = "You can ask us to look at this decision again."
    standard = checks.run("case-discontinued", details, message, enhanced=False, named_contact=True)
    assert standard.checks == {
        "readability": True,
        "jargon": True,
        "reason": True,
        "review": True,
        "next_steps": True,
        "contact": True,
    }
    assert standard.warnings == []
    enhanced = checks.run("case-discontinued", details, message, enhanced=True, named_contact=True)
    assert enhanced.checks["meeting"] is False
    offered = checks.run(
        "case-discontinued", {**details, "meeting_offered": True}, message, enhanced=True, named_contact=True
    )
    assert offered.checks["meeting"] is True


def test_a_police_decision_names_its_officer_or_the_case_contact() -> None:
    base = {"reason": "the suspect was not the person on the film", "suspect_interviewed_under_caution": True}
    assert (
        checks.run("investigation-closed", base, None, enhanced=False, named_contact=False).checks["contact"]
        is False
    )
    named = {**base, "officer_name": "DC Sam Patel"}
    assert checks.run("investigation-closed", named, None, enhanced=False, named_contact=False).checks[
        "contact"
    ]
    assert checks.run("investigation-closed", base, None, enhanced=False, named_contact=True).checks[
        "contact"
    ]


def test_a_reason_in_jargon_is_not_a_reason_in_plain_words() -> None:
    result = checks.run(
        "cps-no-charge-decision",
        {
            "reason": "no realistic prospect of conviction at the evidential stage",
            "letter_date": "2026-11-20",
        },
        None,
        enhanced=False,
        named_contact=True,
    )
    assert result.checks["reason"] is False
    assert {w["check"] for w in result.warnings} >= {"reason", "jargon"}


def test_a_moved_hearing_needs_a_reason() -> None:
    assert checks.run("hearing-changed", {}, None, enhanced=False, named_contact=False).checks == {
        "hearing_reason": False
    }
    moved = checks.run(
        "hearing-changed", {"reason": "the court room flooded"}, None, enhanced=False, named_contact=False
    )
    assert moved.checks["hearing_reason"] is True


@pytest.mark.parametrize(
    "event_type", sorted(code for code in vocabulary.EVENT_TYPES if code not in elements.DECISIONS)
)
@pytest.mark.parametrize("enhanced", [False, True])
def test_only_a_decision_asks_for_a_named_contact(event_type: str, enhanced: bool) -> None:
    """check_updates reads the case's named contacts only for a decision: every other update's checks are
    the same with and without one."""
    details = {"officer_name": "", "reason": "The hearing moved.", "summary": "A plain summary."}
    message = "We have decided. Call us if you want to talk about it. We will write again next week."
    with_contact = checks.run(event_type, details, message, enhanced=enhanced, named_contact=True)
    without = checks.run(event_type, details, message, enhanced=enhanced, named_contact=False)
    assert with_contact == without


def test_a_decision_does_ask_for_a_named_contact() -> None:
    """The test above can fail: for a decision the named contact changes the checks."""
    event_type = sorted(elements.DECISIONS)[0]
    details = {elements.DECISIONS[event_type].reason: "We did not have enough evidence to charge anyone."}
    message = "We have decided not to charge. You can ask us to look again."
    with_contact = checks.run(event_type, details, message, enhanced=False, named_contact=True)
    without = checks.run(event_type, details, message, enhanced=False, named_contact=False)
    assert with_contact.checks[elements.CONTACT] and not without.checks[elements.CONTACT]
