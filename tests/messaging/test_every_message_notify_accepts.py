"""The whole input space a victim can reach, through the real dispatch and outbox, on SQLite and
PostgreSQL: every event type x every channel order x discreet or detailed x English, Welsh or both x every
frequency x addresses, numbers and email addresses of every shape the preference questions accept.
Nothing raises, and every message written to the outbox is one GOV.UK Notify would accept
(tests/support/notify_rules.py, written from Notify's own validation rules).

Both ways updates are announced: one at a time (an officer's recorded update), and through the agency
API's own entry (`record_updates`) for a call of one to four updates, whose messages, communications and
quality checks are gathered and written together at the end of the call (dispatch.Outgoing and
notifications/rows.py: on PostgreSQL a few rows in psycopg's pipeline, more by COPY).

An update to a victim who chose letters answered 500 while 1,351 tests passed; this test would have
failed on it at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.models import Case, CaseUpdate, UpdateQualityCheck, Victim
from portal.services import vocabulary
from portal.services.agency_api import ingest as api_ingest
from portal.services.common import access
from portal.services.common.actors import ApiCaller
from portal.services.messaging import dispatch
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_preferences_version,
    create_update,
    create_victim,
)
from tests.support.notify_rules import outbox_problems

CHANNELS = ("email", "sms", "letter", "phone")
WRITTEN = ("email", "sms", "letter")
# Monday 30 November 2026, 10am London: the property is about what is sent, not when.
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)

# Shapes the question pages and the agency API accept (each is normalised on the way in).
EMAILS = ("someone@example.com", "o'brien+cases@example.co.uk", "x@xn--bcher-kva.example", "Name@Example.ORG")
PHONES = ("07700 900123", "+44 7700 900982", "07797 123456", "+44 7624 123456", "07700900003")
ADDRESSES = (
    ["1 Demo Street", "Exampletown", "EX1 1AA"],
    ["Flat 2", "10 High Street", "Upper Village", "Exampletown", "Shire", "sw1a1aa"],
    ["Ty Gwyn", "Heol y Bont", "Caerdydd", "CF10 1AA"],
    ["Unit 5", "Camp Bastion", "BFPO 801"],
    ["3 Rue Street", "St Helier", "JE2 3AB"],
)
NAMES = (("Sam", "Sample"), ("Siân", "Llywelyn-Jones"), ("Jo", "O'Neill"), ("Zoë", "Ng"))


@st.composite
def preference_answers(draw: st.DrawFn) -> dict:
    channels = list(draw(st.permutations(CHANNELS))[: draw(st.integers(1, 4))])
    officer_only = channels == ["phone"] and draw(st.booleans())
    safe = {channel: draw(st.booleans()) for channel in channels}
    if not officer_only and not any(safe.values()):
        safe[channels[0]] = True
    return {
        "channels": channels,
        "officer_phone_only": officer_only,
        "safe": safe,
        "detailed": {channel: draw(st.booleans()) for channel in WRITTEN},
        "email": draw(st.sampled_from(EMAILS)),
        "phone": draw(st.sampled_from(PHONES)),
        "address": draw(st.sampled_from(ADDRESSES)),
        "frequency": draw(st.sampled_from(("every-update", "key-milestones", "daily-digest"))),
        "language": draw(st.sampled_from(("en", "cy", "both"))),
        "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "safe_from": "00:00",
        "safe_to": "23:59",
        # Not an answer: whether the victim has confirmed their email address and number with a code.
        "_verified": draw(st.booleans()),
    }


def _make_case(session) -> Case:
    return create_case(session, f"01YZ{uuid.uuid4().int % 10**5:05d}26", offence="Assault")


def _victims_on(session, case: Case, answers: list[dict], name: tuple[str, str]) -> list[Victim]:
    """A victim on the case for each set of answers (contact details confirmed where `_verified`)."""
    victims = []
    for answer in answers:
        victim = create_victim(session, name[0], name[1], case=case)
        changes = {key: value for key, value in answer.items() if not key.startswith("_")}
        create_preferences_version(session, victim, changes, actor_label="test", source=SOURCE_VICTIM_ONLINE)
        if answer["_verified"]:
            prefs = preferences.current_preferences(session, victim.id)
            create_contact_point(session, victim.id, "email", prefs.email or "")
            create_contact_point(session, victim.id, "phone", prefs.phone or "")
        victims.append(victim)
    return victims


def _details(code: str) -> dict:
    return dict(vocabulary.get_event_type(code).details_schema["examples"][0])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.lists(preference_answers(), min_size=1, max_size=3),
    event_code=st.sampled_from(sorted(vocabulary.EVENT_TYPES)),
    name=st.sampled_from(NAMES),
    for_one_victim=st.booleans(),
)
def test_every_message_for_every_update_is_one_notify_accepts(
    app: Flask, answers: list[dict], event_code: str, name: tuple[str, str], for_one_victim: bool
) -> None:
    event = vocabulary.get_event_type(event_code)
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            case = _make_case(session)
            victims = _victims_on(session, case, answers, name)
            update = create_update(
                session,
                case,
                event_code,
                agency=str(event.agencies[0]),
                agency_event_id=f"prop-{uuid.uuid4()}",
                occurred_at=NOW,
                details=_details(event_code),
                victim_id=victims[0].id if for_one_victim else None,
            )
            session.flush()
            messages = _messages_sent_about(session, [update])
            # Every victim the update is for, with a safe written channel and no opt-out, was told once
            # (urgent news: once on each safe written channel).
            expected = 0
            for victim in victims[:1] if for_one_victim else victims:
                decision = dispatch.decide(
                    preferences.current_preferences(session, victim.id), update, victim.id, NOW
                )
                expected += len(decision.channels)
            assert len(messages) == expected
        finally:
            session.rollback()
            session.close()


def _agency_and_types(draw: st.DrawFn) -> tuple[str, list[str]]:
    agency = draw(
        st.sampled_from(sorted({str(a) for e in vocabulary.EVENT_TYPES.values() for a in e.agencies}))
    )
    sent_by = sorted(
        code for code, e in vocabulary.EVENT_TYPES.items() if agency in (str(a) for a in e.agencies)
    )
    return agency, draw(st.lists(st.sampled_from(sent_by), min_size=1, max_size=4))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.lists(preference_answers(), min_size=1, max_size=3),
    call=st.composite(_agency_and_types)(),
    name=st.sampled_from(NAMES),
    for_one_victim=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_every_message_for_an_agency_api_call_is_one_notify_accepts(
    app: Flask,
    answers: list[dict],
    call: tuple[str, list[str]],
    name: tuple[str, str],
    for_one_victim: list[bool],
) -> None:
    """As the agency API stores and announces a call's updates (`record_updates`, as the route calls it:
    one update alone, the most common call, is written without a SAVEPOINT; more in one statement; every
    message, communication and quality check written together at the end, in psycopg's pipeline or by
    COPY): every message is one Notify accepts, each victim is told of each update once per channel the
    rule chooses (a victim who chose a daily digest: one digest for the whole call), and every update's
    quality checks are stored."""
    agency, event_codes = call
    caller = ApiCaller(client_id="property", name="Property test", agency=agency, force_code="01")
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            case = _make_case(session)
            victims = _victims_on(session, case, answers, name)
            items = [
                {
                    "event_id": f"call-{uuid.uuid4()}",
                    "type": code,
                    "occurred_at": "2026-11-30T09:00:00Z",
                    "received_at": "2026-11-30T09:30:00Z",
                    "details": _details(code),
                    **({"victim_id": victims[0].id} if for_one_victim[index] else {}),
                }
                for index, code in enumerate(event_codes)
            ]
            _case, links = access.case_and_victims_for_api_client(session, caller, case.urn)
            stored, created = api_ingest.record_updates(
                session, caller, case, items, batch=len(items) > 1, victims=links
            )
            assert created and len(stored) == len(items)
            updates = [session.get(CaseUpdate, answer["id"]) for answer in stored]
            messages = _messages_sent_about(session, updates)
            expected = 0
            for victim in victims:
                prefs = preferences.current_preferences(session, victim.id)
                decisions = [
                    dispatch.decide(prefs, update, victim.id, NOW)
                    for update in updates
                    if update is not None and update.victim_id in (None, victim.id)
                ]
                expected += sum(len(d.channels) for d in decisions if not d.digest)
                expected += any(d.digest and d.channel for d in decisions)
            assert len(messages) == expected
            checked = session.scalars(
                select(UpdateQualityCheck.update_id).where(
                    UpdateQualityCheck.update_id.in_([answer["id"] for answer in stored])
                )
            ).all()
            assert sorted(checked) == sorted(answer["id"] for answer in stored)
        finally:
            session.rollback()
            session.close()


def _messages_sent_about(session, updates: list) -> list[OutboundMessage]:
    """The outbox rows about these updates (and any digest), each checked against Notify's rules."""
    messages = session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.correlation.in_([*(f"update:{u.id}" for u in updates), "digest"])
        )
    ).all()
    for message in messages:
        assert outbox_problems(message) == [], (message.channel, message.address, message.recipient)
    return list(messages)
