"""Checks on what agencies send (issue 18): a decision written in jargon and without a reason is stored,
and the agency is told what is wrong as `warnings` in the API's answer; the checks are stored with it."""

from __future__ import annotations

from collections.abc import Callable

import requests
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import CaseUpdate, UpdateQualityCheck
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient

URN = DEMO_CASE_URN
WHEN = {"occurred_at": "2026-11-20T10:00:00Z", "received_at": "2026-11-20T11:00:00Z"}


def _by_check(warnings: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for warning in warnings:
        found.setdefault(warning["check"], []).append(warning)
    return found


def test_a_jargon_decision_without_a_reason_is_stored_with_warnings(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    body = {
        "event_id": "CPS-JARGON-1",
        "type": "case-discontinued",
        **WHEN,
        "message": "The matter was discontinued at the evidential stage. NFA re the co-accused.",
        "details": {},
    }
    response = agency("cps").send_updates(URN, body)
    assert response.status_code == 201, response.text  # accepted all the same
    stored = response.json()
    warnings = _by_check(stored["warnings"])
    # Every element but the named contact (the demo case has one) is missing, and the words are hard to read.
    assert set(warnings) == {"readability", "jargon", "reason", "review", "meeting", "next_steps"}
    jargon = {w["message"] for w in warnings["jargon"]}
    assert jargon == {
        '"NFA" is jargon: say "no further action: the police will not take the case further" instead',
        '"discontinued" is jargon: say "stopped: the case will not go ahead" instead',
        '"evidential stage" is jargon: say "whether there is enough evidence" instead',
    }
    assert all(w["field"] == "message" for w in warnings["jargon"])
    assert warnings["reason"] == [
        {
            "check": "reason",
            "field": "details.reason",
            "message": "no reason given for the decision: explain it in plain words",
        }
    ]
    assert warnings["review"][0]["field"] == "details.letter_date"
    assert warnings["meeting"][0]["field"] == "details.meeting_offered"  # the demo victim has enhanced rights

    with seeded.app_context():
        update = db.session.scalar(select(CaseUpdate).where(CaseUpdate.id == stored["id"]))
        assert update is not None  # the update was stored
        check = db.session.get(UpdateQualityCheck, stored["id"])
        assert check is not None and check.warnings == stored["warnings"]
        assert check.checks == {
            "readability": False,
            "jargon": False,
            "reason": False,
            "review": False,
            "meeting": False,
            "next_steps": False,
            "contact": True,
        }

    again = agency("cps").send_updates(URN, body)  # a replay: the first answer, warnings and all
    assert again.status_code == 200 and again.json() == stored


def test_a_plain_decision_with_every_element_has_no_warnings(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    body = {
        "event_id": "CPS-PLAIN-1",
        "type": "cps-no-charge-decision",
        **WHEN,
        "message": "We know this is hard news. If you want to, you can ask us to look at the decision again.",
        "details": {
            "reason": "the evidence does not show who caused the injuries",
            "letter_date": "2026-11-20",
            "meeting_offered": True,
        },
    }
    response = agency("cps").send_updates(URN, body)
    assert response.status_code == 201, response.text
    assert response.json()["warnings"] == []


def test_a_moved_hearing_without_a_reason_is_warned_about_in_a_batch(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    hearing = {"hearing_at": "2027-01-20T10:00:00+00:00", "court_name": "Exampletown Crown Court"}
    response = agency("witness_care").send_updates(
        URN,
        {
            "updates": [
                {"event_id": "WC-MOVED-1", "type": "hearing-changed", **WHEN, "details": hearing},
                {
                    "event_id": "WC-MOVED-2",
                    "type": "hearing-adjourned",
                    **WHEN,
                    "details": {**hearing, "reason": "the judge was ill"},
                },
            ]
        },
    )
    assert response.status_code == 201, response.text
    first, second = response.json()["updates"]
    assert [w["check"] for w in first["warnings"]] == ["hearing_reason"]
    assert first["warnings"][0]["field"] == "details.reason"
    assert second["warnings"] == []


def test_hard_to_read_words_are_scored_and_warned_about(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    message = (
        "Notwithstanding considerable investigative endeavours, identification of the perpetrator "
        "responsible remains unsubstantiated, consequently necessitating administrative finalisation."
    )
    response = agency("police").send_updates(
        URN, {"event_id": "POL-HARD-1", "type": "investigation-update", **WHEN, "message": message}
    )
    assert response.status_code == 201, response.text
    [warning] = response.json()["warnings"]
    assert warning["check"] == "readability" and warning["field"] == "message"
    assert warning["message"].startswith("hard to read: Flesch reading ease ")
    with seeded.app_context():
        check = db.session.get(UpdateQualityCheck, response.json()["id"])
        assert check is not None and check.readability is not None and check.readability < 60
        assert check.checks == {"readability": False, "jargon": True}


def test_what_a_victim_found_unclear_never_reaches_the_agency(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    from portal.models import UpdateRating
    from portal.services.demo_data import DEMO_VICTIM_ID

    cps = agency("cps")
    stored = cps.send_updates(URN, {"event_id": "CPS-RATED-1", "type": "suspect-charged", **WHEN}).json()
    with seeded.app_context(), db.job() as session:
        session.add(
            UpdateRating(
                update_id=stored["id"],
                victim_id=DEMO_VICTIM_ID,
                clear=False,
                unclear="Sam here: what is a charge?",
            )
        )
    response = cps.communications(URN)
    assert response.status_code == 200
    assert "what is a charge" not in response.text
    docs = requests.get(f"{cps.base_url}/api/v1/docs", timeout=10).text
    assert "Warnings about what victims will read" in docs and "no reason given for the decision" in docs


def test_updates_just_stored_are_checked_without_looking_for_earlier_checks(seeded: Flask) -> None:
    from portal.services.quality.checks import check_updates
    from tests.support.builders import create_update
    from tests.support.statements import counting

    with seeded.app_context(), db.job() as session:
        update = create_update(
            session,
            URN,
            "case-discontinued",
            agency="cps",
            agency_event_id="CPS-NEW-CHECK-1",
            message="NFA.",
            announce=False,
        )
        with counting(seeded) as statements:
            checks = check_updates(session, [update], just_stored=True)
        assert "jargon" in {w["check"] for w in checks[update.id].warnings}
        assert not [
            s for s in statements if s.lstrip().upper().startswith("SELECT") and "update_quality_check" in s
        ]
        stored = session.get(UpdateQualityCheck, update.id)  # stored as returned
        assert stored is not None and stored is not checks[update.id]
        returned = checks[update.id]
        assert (stored.warnings, stored.checks, stored.words, stored.readability, stored.demo) == (
            returned.warnings,
            returned.checks,
            returned.words,
            returned.readability,
            False,
        )
        assert stored.checked_at == returned.checked_at
