"""Cases and victims pushed in; preferences and the communications log read back out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.api import examples
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.agency_client import AgencyClient
from tests.support.signing_in import sign_in_with_totp


def test_put_creates_then_updates_a_case(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    created = police.put_case("01xy 1234526", {"offence": "Criminal damage", "reported_on": "2026-11-20"})
    assert created.status_code == 201, created.text
    assert created.json()["urn"] == "01XY1234526" and created.json()["force_code"] == "01"
    probation = agency("probation")
    updated = probation.put_case("01XY1234526", {"offence": "Criminal damage", "crn": "X123456"})
    assert updated.status_code == 200
    assert updated.json()["crn"] == "X123456"
    assert updated.json()["reported_on"] == "2026-11-20"  # left out: kept


def test_put_refuses_a_bad_urn_or_body(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    bad_urn = police.put_case("01Y1234524", {"offence": "Assault"})
    assert bad_urn.status_code == 400
    assert bad_urn.json()["errors"][0]["message"].startswith("urn: URN must be 2 digits")
    bad_body = police.put_case("01XY1234526", {"offense": "Assault", "crn": "123"})
    messages = [e["message"] for e in bad_body.json()["errors"]]
    assert "offence: is required" in messages
    assert "crn: is not in the right form" in messages
    assert "offense: is not a field this accepts (unknown fields are refused)" in messages


def test_an_agency_records_at_reporting_that_safety_news_may_come_at_any_time(
    agency: Callable[[str], AgencyClient],
) -> None:
    body = {**examples.VICTIM_REQUEST, "agency_person_reference": "URGENT-ANY-TIME"}
    body["preferences"] = {**body["preferences"], "urgent_any_time": True}
    added = agency("police").add_victim(DEMO_CASE_URN, body)
    assert added.status_code == 201, added.text
    prefs = agency("police").preferences(DEMO_CASE_URN, added.json()["id"]).json()
    assert prefs["preferences"]["urgent_any_time"] is True


def test_adding_a_victim_twice_returns_the_first(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    first = police.add_victim(DEMO_CASE_URN, examples.VICTIM_REQUEST)
    assert first.status_code == 201, first.text
    victim = first.json()
    assert victim["agency_person_reference"] == "DEMO-PERSON-2" and victim["enhanced_rights"] is True
    again = agency("cps").add_victim(DEMO_CASE_URN, {**examples.VICTIM_REQUEST, "given_name": "Changed"})
    assert again.status_code == 200 and again.json()["id"] == victim["id"]
    # What they said at reporting is now their preferences, authored by the police system.
    prefs = agency("witness_care").preferences(DEMO_CASE_URN, victim["id"]).json()
    assert prefs["recorded"] is True and prefs["version"] == 1
    assert prefs["last_changed_by"] == "Demo police"
    assert prefs["last_change_source"] == "agency at reporting"
    assert prefs["preferences"]["channels"] == ["email", "sms"]
    assert prefs["preferences"]["special_measures"] == ["screens"]
    # The email address the police took from the victim, for a way the victim confirmed safe, may be used
    # at once; text messages were not confirmed safe, so the number is not used for them.
    assert prefs["safe_channels"] == ["email"]
    assert prefs["contact_status"]["email"] == "verified"


def test_only_the_details_taken_at_reporting_count_as_confirmed(
    agency: Callable[[str], AgencyClient], seeded: Flask
) -> None:
    """A new address given later (online here) is used only once the victim enters the code sent to it;
    the agency's confirmation is audited with its name."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent
    from portal.services.preferences import records as preferences

    added = agency("police").add_victim(
        DEMO_CASE_URN, {**examples.VICTIM_REQUEST, "agency_person_reference": "CONFIRMED-AT-REPORTING"}
    )
    victim_id = added.json()["id"]
    with seeded.app_context(), db.job() as session:
        preferences.record_preferences(
            session,
            victim_id,
            {"email": "new.address@demo.example"},
            actor=None,
            actor_label="t",
            source="victim online",
        )
    with seeded.app_context():
        prefs = preferences.current_preferences(db.session, victim_id)
        assert prefs.contact_status["email"] == "unverified"
        assert preferences.safe_channels(prefs) == []
        confirmed = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_victim_id == victim_id, AuditEvent.action == "contact-verified"
            )
        ).all()
        assert sorted((e.actor_label, e.detail["kind"], e.detail["source"]) for e in confirmed) == [
            ("Demo police", "email", "agency at reporting"),
            ("Demo police", "phone", "agency at reporting"),
        ]


def test_victim_checks_name_each_problem(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    response = police.add_victim(
        DEMO_CASE_URN,
        {
            "given_name": "A",
            "family_name": "B",
            "agency_person_reference": "R1",
            "enhanced_rights": True,
            "email": "not-an-email",
            "preferences": {"channels": ["pigeon"]},
        },
    )
    messages = [e["message"] for e in response.json()["errors"]]
    assert response.status_code == 400
    assert "enhanced_reason: is required" in messages
    assert "email: is not a valid email" in messages
    assert any(m.startswith("preferences.channels[0]: must be one of") for m in messages)
    # Rules across answers come from the preferences service, named under preferences.
    rules = police.add_victim(
        DEMO_CASE_URN,
        {
            "given_name": "A",
            "family_name": "B",
            "agency_person_reference": "R2",
            "preferences": {"channels": ["letter"], "safe": {"letter": True}},
        },
    )
    assert rules.status_code == 400
    assert rules.json()["errors"][0]["message"].startswith("preferences.address:")


def test_preferences_of_someone_not_on_the_case_are_not_found(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    assert police.preferences(DEMO_CASE_URN, "00000000-0000-4000-8000-000000000000").status_code == 404
    assert police.preferences("01AB5432123", DEMO_VICTIM_ID).status_code == 200  # the other demo case
    assert police.preferences(DEMO_CASE_URN, "not-a-uuid").status_code == 404


def test_communications_log_shows_what_was_read_and_whether_on_time(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    now = datetime.now(UTC).replace(microsecond=0)
    sent = police.send_updates(
        DEMO_CASE_URN,
        {
            "event_id": "POL-C1",
            "type": "suspect-arrested",
            "occurred_at": (now - timedelta(hours=1)).isoformat(),
            "received_at": now.isoformat(),
        },
    ).json()
    before = {c["update"]["id"]: c for c in police.communications(DEMO_CASE_URN).json()["communications"]}
    entry = before[sent["id"]]
    assert entry["told_at"] is None and entry["met_code_deadline"] is None  # not yet due
    assert entry["update"]["event_id"] == "POL-C1"
    assert [d["channel"] for d in entry["deliveries"]] == ["email"]  # queued for the victim
    assert entry["deliveries"][0]["status"] == "queued"
    # An old demo update nobody was told about, past its deadline, is reported late.
    old = next(c for c in before.values() if c["update"]["type"] == "suspect-charged")
    assert old["met_code_deadline"] is False and old["told_at"] is None
    assert old["update"]["agency"] == "cps" and old["update"]["event_id"] is None  # another agency's id

    sign_in_with_totp(seeded, client, "victim@demo.example")
    client.get(f"/cases/{DEMO_CASE_URN}")  # the victim reads their updates
    after = {
        c["update"]["id"]: c for c in agency("cps").communications(DEMO_CASE_URN).json()["communications"]
    }
    assert after[sent["id"]]["told_by"] == "portal"
    assert after[sent["id"]]["met_code_deadline"] is True
    assert after[sent["id"]]["update"]["event_id"] is None  # the CPS does not see police ids


def test_a_victim_added_by_an_agency_is_invited_only_by_a_channel_confirmed_safe(
    agency: Callable[[str], AgencyClient], seeded: Flask
) -> None:
    from sqlalchemy import select

    from notifications.outbox import OutboundMessage
    from portal.extensions import db

    police = agency("police")
    safe = police.add_victim(
        DEMO_CASE_URN,
        {
            **examples.VICTIM_REQUEST,
            "agency_person_reference": "SAFE-SMS",
            "preferences": {"channels": ["sms", "email"], "safe": {"sms": True, "email": False}},
        },
    )
    assert safe.status_code == 201, safe.text
    # Contact details, but nobody has said any channel is safe to use.
    unknown = {k: v for k, v in examples.VICTIM_REQUEST.items() if k != "preferences"}
    unsafe = police.add_victim(
        DEMO_CASE_URN,
        {
            **unknown,
            "agency_person_reference": "NOTHING-SAFE",
            "email": "other.person@demo.example",
        },
    )
    assert unsafe.status_code == 201, unsafe.text
    with seeded.app_context():
        invitations = db.session.execute(
            select(OutboundMessage.channel, OutboundMessage.recipient).where(
                OutboundMessage.correlation.startswith("invitation:")
            )
        ).all()
    assert [channel for channel, _ in invitations] == ["sms"]
    assert "other.person@demo.example" not in [recipient for _, recipient in invitations]


def test_contact_details_notify_would_refuse_are_a_400_in_notifys_words(
    agency: Callable[[str], AgencyClient],
) -> None:
    """Details a message could never reach are refused when the agency sends them, not discovered when
    the first update fails to go; nothing is stored."""
    police = agency("police")
    base = {k: v for k, v in examples.VICTIM_REQUEST.items() if k not in ("preferences", "email", "phone")}
    cases = [
        ({"email": "émile@example.com"}, "email: Not a valid email address"),
        ({"email": "someone@example.c"}, "email: Not a valid email address"),
        (
            {"address": {"line_1": "No fixed abode", "town": "Exampletown", "postcode": "EX1 1AB"}},
            "address: ",
        ),
        ({"address": {"line_1": "1 Demo Street", "town": "Exampletown", "postcode": "ZZ1 1AB"}}, "address: "),
        (
            {"address": {"line_1": "=1 Demo Street", "town": "Exampletown", "postcode": "EX1 1AB"}},
            "address: ",
        ),
    ]
    for index, (fields, message) in enumerate(cases):
        response = police.add_victim(
            DEMO_CASE_URN, {**base, **fields, "agency_person_reference": f"BAD-{index}"}
        )
        assert response.status_code == 400, (fields, response.text)
        body = response.json()
        assert body["status_code"] == 400 and body["errors"][0]["error"] == "ValidationError"
        assert body["errors"][0]["message"].startswith(message), body
    victims = police.request("GET", f"/api/v1/cases/{DEMO_CASE_URN}/communications").json()
    assert not {entry["victim_id"] for entry in victims["communications"]} - {DEMO_VICTIM_ID}
