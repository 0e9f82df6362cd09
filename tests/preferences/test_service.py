"""The preferences service API other parts of the portal call, and contact-point verification."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import AuditEvent, Communication, ContactVerification, Victim
from portal.services.preferences import contact_points
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import InvalidPreferences
from tests.support.builders import create_victim


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context(), db.job() as job:
        yield job


@pytest.fixture
def victim(session: Session) -> Victim:
    return create_victim(
        session,
        "Dee",
        "Dunn",
        email="dee@example.com",
        phone="07700 900 111",
        address_line_1="3 Test Lane",
        address_town="Testtown",
        postcode="ts1 1st",
    )


def record(session: Session, victim: Victim, changes: dict, source: str = "victim online") -> int:
    return preferences.record_preferences(
        session, victim, changes, actor=None, actor_label="Test", source=source
    ).version


def test_defaults_before_anything_is_recorded(session: Session, victim: Victim) -> None:
    prefs = preferences.current_preferences(session, victim.id)
    assert prefs.version is None
    assert prefs.channels == () and prefs.safe == frozenset() and prefs.detailed == frozenset()
    assert (prefs.email, prefs.phone, prefs.address) == (
        "dee@example.com",
        "+447700900111",
        ("3 Test Lane", "Testtown", "TS1 1ST"),
    )
    assert prefs.contact_status == {"email": "unverified", "phone": "unverified", "address": "verified"}
    assert preferences.safe_channels(prefs) == []
    assert preferences.preference_history(session, victim.id) == []


def test_a_version_only_when_something_changed(session: Session, victim: Victim) -> None:
    assert record(session, victim, {"channels": ["letter"], "safe": {"letter": True}}) == 1
    assert record(session, victim, {"channels": ["letter"]}) == 1
    assert record(session, victim, {"safe": {"letter": True}, "detailed": {"letter": True}}) == 2
    history = preferences.preference_history(session, victim.id)
    assert [entry.version for entry in history] == [2, 1]
    assert history[0].changed_fields == ("detailed.letter",)
    assert history[1].changed_fields == ("channels", "safe.letter")
    assert preferences.safe_channels(preferences.current_preferences(session, victim.id)) == ["letter"]


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"phone": "0123"}, "phone", "Enter a phone number"),
        ({"email": "no-at-sign"}, "email", "Enter an email address in the correct format"),
        (
            {"safe_from": "25:00"},
            "safe_from",
            "The earliest time it is safe to contact you must be a real time",
        ),
        ({"safe_from": "17:00", "safe_to": "09:00"}, "safe_to", "The end time must be after the start time"),
        ({"safe_days": []}, "safe_days", "Select at least one day"),
        ({"channels": ["pigeon"]}, "channels", "Select from the list"),
        ({"opted_out": ["everything"]}, "opted_out", "Select from the list"),
        ({"channels": ["email"], "safe": {"email": False}}, "safe", "Select at least one way that is safe"),
        (
            {"channels": ["sms"], "safe": {"sms": True}, "phone": "020 7946 0000"},
            "phone",
            "Enter a UK mobile phone number",
        ),
        (
            {"channels": ["sms"], "safe": {"sms": True}, "phone": "+33 6 12 34 56 78"},
            "phone",
            "Enter a UK mobile phone number",
        ),
        ({"address": ["No fixed abode", "Testtown", "TS1 1ST"]}, "address", "Enter an address where"),
        ({"address": ["3 Test Lane", "Testtown", "TE1 1ST"]}, "address", "Enter a real postcode"),
        ({"email": "dée@example.com"}, "email", "Enter an email address in the correct format"),
        ({"interpreter_needed": True}, "interpreter_language", "Enter the language"),
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown preference"),
    ],
)
def test_invalid_changes_are_refused(
    session: Session, victim: Victim, changes: dict, key: str, message: str
) -> None:
    with pytest.raises(InvalidPreferences) as problem:
        record(session, victim, changes)
    assert message in problem.value.errors[key]
    assert preferences.preference_history(session, victim.id) == []


def test_international_numbers_are_accepted(session: Session, victim: Victim) -> None:
    record(session, victim, {"phone": "+33 6 12 34 56 78", "alternative_phone": "+1 202 555 0143"})
    prefs = preferences.current_preferences(session, victim.id)
    assert (prefs.phone, prefs.alternative_phone) == ("+33612345678", "+12025550143")


def test_an_unknown_source_is_a_programming_error(session: Session, victim: Victim) -> None:
    with pytest.raises(ValueError):
        record(session, victim, {"frequency": "daily-digest"}, source="gossip")


def test_safe_channels_need_safe_and_verified_in_the_victims_order(session: Session, victim: Victim) -> None:
    record(
        session,
        victim,
        {"channels": ["sms", "phone", "email"], "safe": {"sms": True, "phone": True, "email": True}},
    )
    prefs = preferences.current_preferences(session, victim.id)
    # Nothing verified yet: only the officer's call, which needs a number but no code.
    assert preferences.safe_channels(prefs) == ["phone"]
    contact_points.record_verified(session, victim.id, "email", "dee@example.com")
    contact_points.record_verified(session, victim.id, "phone", "+447700900111")
    assert preferences.safe_channels(preferences.current_preferences(session, victim.id)) == [
        "sms",
        "phone",
        "email",
    ]
    # A permanent failure on text messages stops both uses of the number.
    phone = preferences.current_preferences(session, victim.id).contact_for("sms")
    assert contact_points.mark_contact_point_unusable(session, victim.id, "sms", phone, "permanent-failure")
    prefs = preferences.current_preferences(session, victim.id)
    assert prefs.contact_status["phone"] == "unusable"
    assert preferences.safe_channels(prefs) == ["email"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "contact-unusable"))
    assert event is not None and event.detail == {"kind": "phone", "reason": "permanent-failure"}
    # A new number must be verified before use.
    record(session, victim, {"phone": "07700 900 222"})
    assert preferences.safe_channels(preferences.current_preferences(session, victim.id)) == [
        "phone",
        "email",
    ]


def test_changes_are_audited_without_the_answers(session: Session, victim: Victim) -> None:
    record(session, victim, {"email": "new@example.com", "frequency": "daily-digest", "safe_days": ["mon"]})
    events = session.scalars(select(AuditEvent).where(AuditEvent.subject_victim_id == victim.id)).all()
    assert {e.action for e in events} == {"contact-details-changed", "safe-contact-changed"}
    assert all("new@example.com" not in str(e.detail) for e in events)


def test_safe_times_in_london(session: Session, victim: Victim) -> None:
    record(session, victim, {"safe_days": ["mon", "tue"], "safe_from": "09:00", "safe_to": "17:00"})
    prefs = preferences.current_preferences(session, victim.id)
    assert prefs.safe_from == time(9) and prefs.timezone == "Europe/London"
    monday_8am_bst = datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
    assert not prefs.is_safe_time(monday_8am_bst)
    assert prefs.next_safe_time(monday_8am_bst) == datetime(2026, 7, 6, 8, 0, tzinfo=UTC)  # 9am BST
    tuesday_5pm_bst = datetime(2026, 7, 7, 16, 0, tzinfo=UTC)
    assert prefs.next_safe_time(tuesday_5pm_bst) == datetime(2026, 7, 13, 8, 0, tzinfo=UTC)  # next Monday


def test_a_code_is_hashed_single_use_and_lasts_ten_minutes(
    app: Flask, session: Session, victim: Victim
) -> None:
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        contact_points.send_code(session, victim.id, "email", "dee@example.com")
    message = session.scalar(
        select(OutboundMessage).where(OutboundMessage.correlation.like("contact-verification:%"))
    )
    assert message is not None and message.channel == "email" and message.recipient == "dee@example.com"
    code = message.body.split("Your security code is ")[1][:6]
    for word in ("police", "court", "case", "crime", "victim"):
        assert word not in (message.body + (message.subject or "")).lower()  # discreet
    verification = session.scalar(select(ContactVerification))
    assert verification is not None and code not in verification.code_hash
    communication = session.scalar(select(Communication))
    assert communication is not None and communication.purpose == "verification"

    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        assert (
            contact_points.check_code(session, victim.id, "email", "dee@example.com", code).outcome
            == "expired"
        )
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        assert contact_points.check_code(session, victim.id, "email", "dee@example.com", code).ok
        assert (
            contact_points.check_code(session, victim.id, "email", "dee@example.com", code).outcome
            == "expired"
        )
    assert contact_points.is_verified(session, victim.id, "email", "dee@example.com")


def test_five_wrong_tries_use_a_code_up_and_five_live_codes_is_the_limit(
    session: Session, victim: Victim
) -> None:
    contact_points.send_code(session, victim.id, "phone", "+447700900111")
    message = session.scalar(select(OutboundMessage))
    assert message is not None and message.channel == "sms" and message.subject is None
    code = message.body.split("Your security code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert (
            contact_points.check_code(session, victim.id, "phone", "+447700900111", wrong).outcome == "wrong"
        )
    assert contact_points.check_code(session, victim.id, "phone", "+447700900111", code).outcome == "expired"
    for _ in range(4):
        contact_points.send_code(session, victim.id, "phone", "+447700900111")
    with pytest.raises(contact_points.TooManyCodes):
        contact_points.send_code(session, victim.id, "phone", "+447700900111")
