"""Urgent updates (safety news: escape, release, orders that protect the victim; issue 13), through the
real dispatch into the outbox, on SQLite and PostgreSQL.

- An urgent update goes at once to EVERY reachable safe channel, one message each, never held for the
  digest and even to a victim who chose key milestones only; opt-outs by category still apply.
- It waits for the victim's next safe time, unless the victim chose to hear this news at any time:
  then `not_before` is now. Never a message on a channel not confirmed safe.
- Any other update still goes to the first reachable channel only.

The property runs over every urgent event type in the vocabulary (the safety types: escape, release,
restraining orders...). `urgent_event_type` is the real `offender-escaped` (a test-only stand-in made
with `dataclasses.replace` only if the vocabulary ever lacks it), and registers one test-only urgent type
that is not a milestone, to show urgency alone gets past "key milestones only".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import Case, CaseUpdate, Communication, Victim
from portal.services import vocabulary
from portal.services.messaging import dispatch
from portal.services.messaging.messages import RenderedMessage, fits_two_sms, render_update_message
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from portal.services.vocabulary import EventType
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_preferences_version,
    create_update,
    create_victim,
)
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE

URGENT = "offender-escaped"
#: A test-only urgent type that is not a milestone: urgency alone gets past "key milestones only".
URGENT_NOT_MILESTONE = "test-urgent-not-milestone"
NOT_URGENT = ("hearing-scheduled", "offender-released", "investigation-update")  # the last: not a milestone
URGENT_CODES = tuple(sorted(code for code, e in vocabulary.EVENT_TYPES.items() if e.urgent)) or (URGENT,)
CHANNELS = ("email", "sms", "letter", "phone")
WRITTEN = ("email", "sms", "letter")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EMAIL = "someone@example.com"
PHONE = "+447700900123"
ADDRESS = ["1 Demo Street", "Exampletown", "EX1 1AA"]


@pytest.fixture(scope="module", autouse=True)
def urgent_event_type() -> Iterator[EventType]:
    """`offender-escaped` as the vocabulary has it once it is urgent; until then a test-only stand-in.
    Also a test-only urgent type that is not a milestone."""
    with pytest.MonkeyPatch.context() as patch:
        registered = vocabulary.EVENT_TYPES.get(URGENT)
        if registered is not None and registered.urgent:
            event = registered
        else:
            base = vocabulary.EVENT_TYPES["offender-released"]
            event = replace(base, code=URGENT, urgent=True, milestone=True)
            patch.setitem(vocabulary.EVENT_TYPES, URGENT, event)
        patch.setitem(
            vocabulary.EVENT_TYPES,
            URGENT_NOT_MILESTONE,
            replace(event, code=URGENT_NOT_MILESTONE, milestone=False),
        )
        yield event


def _details(code: str) -> dict[str, Any]:
    return dict(vocabulary.get_event_type(code).details_schema["examples"][0])


def _victim_with(
    session: Session, answers: dict[str, Any], *, email_ok: bool, phone_ok: bool
) -> tuple[Victim, Case]:
    """A victim on a new case, with these answers; their email and number confirmed if `*_ok`."""
    case = create_case(session, f"01YZ{uuid.uuid4().int % 10**5:05d}26", offence="Assault")
    victim = create_victim(session, "Sam", "Sample", case=case)
    create_preferences_version(
        session,
        victim,
        {"email": EMAIL, "phone": PHONE, "address": ADDRESS, **answers},
        actor_label="test",
        source=SOURCE_VICTIM_ONLINE,
    )
    if email_ok:
        create_contact_point(session, victim.id, "email", EMAIL)
    if phone_ok:
        create_contact_point(session, victim.id, "phone", PHONE)
    return victim, case


def _announce(session: Session, case: Case, code: str, now: datetime) -> CaseUpdate:
    """Record `code` on the case and announce it at `now`, writing its messages to the outbox."""
    update = create_update(
        session,
        case,
        code,
        agency=str(vocabulary.get_event_type(code).agencies[0]),
        agency_event_id=f"urgent-{uuid.uuid4()}",
        occurred_at=now,
        details=_details(code),
        announce=False,
    )
    dispatch.announce_update(session, case, update, now=now)
    session.flush()
    return update


def _outbox(session: Session, update: CaseUpdate) -> list[OutboundMessage]:
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.correlation.in_([f"update:{update.id}", "digest"]))
            .order_by(OutboundMessage.created_at, OutboundMessage.id)
        ).all()
    )


def _where(message: OutboundMessage) -> tuple[str, Any]:
    return message.channel, message.recipient if message.channel != "letter" else tuple(message.address or ())


RECIPIENT = {"email": EMAIL, "sms": PHONE, "letter": ("Sam Sample", *ADDRESS)}


# --- The property: what reaches the outbox ---------------------------------------------------------


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    channels = list(draw(st.permutations(CHANNELS))[: draw(st.integers(1, 4))])
    safe = {channel: draw(st.booleans()) for channel in channels}
    if not any(safe.values()):
        safe[channels[0]] = True  # the questions insist on one safe way
    start = draw(st.integers(min_value=0, max_value=22 * 60))
    end = draw(st.integers(min_value=start + 15, max_value=24 * 60 - 1))
    return {
        "channels": channels,
        "safe": safe,
        "detailed": {channel: draw(st.booleans()) for channel in WRITTEN},
        "safe_days": sorted(draw(st.sets(st.sampled_from(DAYS), min_size=1)), key=DAYS.index),
        "safe_from": f"{start // 60:02d}:{start % 60:02d}",
        "safe_to": f"{end // 60:02d}:{end % 60:02d}",
        "frequency": draw(st.sampled_from(("every-update", "key-milestones", "daily-digest"))),
        "opted_out": sorted(draw(st.sets(st.sampled_from(("parole-and-release", "court", "investigation"))))),
        "urgent_any_time": draw(st.booleans()),
        "language": draw(st.sampled_from(("en", "cy"))),
    }


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    chosen=answers(),
    email_ok=st.booleans(),
    phone_ok=st.booleans(),
    code=st.sampled_from((*URGENT_CODES, URGENT_NOT_MILESTONE, *NOT_URGENT)),
    now=moments,
)
def test_what_reaches_the_outbox_for_urgent_and_other_updates(
    app: Flask, chosen: dict[str, Any], email_ok: bool, phone_ok: bool, code: str, now: datetime
) -> None:
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            victim, case = _victim_with(session, chosen, email_ok=email_ok, phone_ok=phone_ok)
            prefs = preferences.current_preferences(session, victim.id)
            update = _announce(session, case, code, now)
            sent = _outbox(session, update)

            event = vocabulary.get_event_type(code)
            verified = {"email": email_ok, "sms": phone_ok, "letter": True}
            reachable = [c for c in chosen["channels"] if c in WRITTEN and chosen["safe"][c] and verified[c]]
            # Never a message on a channel the victim did not choose and confirm safe, or not verified.
            for message in sent:
                assert message.channel in reachable, message.channel
                assert _where(message) == (message.channel, RECIPIENT[message.channel])

            if event.category in chosen["opted_out"] or not reachable:
                assert sent == []  # an opt-out holds even for urgent news
                return
            if event.urgent:
                # One message per reachable safe channel, in the victim's order, each on its own.
                assert [_where(m) for m in sent] == [(c, RECIPIENT[c]) for c in reachable]
                assert all(m.correlation == f"update:{update.id}" for m in sent)  # never the digest
                expected = now if chosen["urgent_any_time"] else prefs.next_safe_time(now)
                assert {m.not_before for m in sent} == {expected}
                if not chosen["urgent_any_time"]:
                    assert prefs.is_safe_time(expected) and expected >= now
                    assert all(prefs.is_safe_time(m.not_before) for m in sent)
                # Each one written down as telling the victim about the update.
                told = session.scalars(
                    select(Communication.channel).where(
                        Communication.update_id == update.id, Communication.recipient_user_id.is_(None)
                    )
                ).all()
                assert sorted(told) == sorted(reachable)
                return
            if chosen["frequency"] == "key-milestones" and not event.milestone:
                assert sent == []
                return
            # Anything else: the first reachable channel only, at the next safe time (or the digest).
            [message] = sent
            assert _where(message) == (reachable[0], RECIPIENT[reachable[0]])
            if chosen["frequency"] == "daily-digest":
                assert message.correlation == "digest"
                assert message.not_before == dispatch.next_digest_time(prefs, now)
            else:
                assert message.not_before == prefs.next_safe_time(now)  # urgent_any_time changes nothing
        finally:
            session.rollback()
            session.close()


# --- Examples ------------------------------------------------------------------------------------

EVERY_WAY = {
    "channels": ["email", "sms", "letter"],
    "safe": {"email": True, "sms": True, "letter": True},
    "safe_days": ["mon", "tue", "wed", "thu", "fri"],
    "safe_from": "09:00",
    "safe_to": "17:00",
}
FRIDAY_EVENING = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)  # 7:30pm Friday in London (GMT)
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _sent_for(
    app: Flask, answers: dict[str, Any], code: str, now: datetime
) -> list[tuple[str, Any, datetime]]:
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            _victim, case = _victim_with(session, answers, email_ok=True, phone_ok=True)
            update = _announce(session, case, code, now)
            return [(*_where(m), m.not_before) for m in _outbox(session, update)]
        finally:
            session.rollback()
            session.close()


def test_any_other_update_still_goes_to_the_first_channel_only(app: Flask) -> None:
    assert _sent_for(app, EVERY_WAY, "hearing-scheduled", FRIDAY_EVENING) == [("email", EMAIL, MONDAY_9AM)]


def test_urgent_news_goes_to_every_safe_channel_at_the_next_safe_time(app: Flask) -> None:
    assert _sent_for(app, EVERY_WAY, URGENT, FRIDAY_EVENING) == [
        ("email", EMAIL, MONDAY_9AM),
        ("sms", PHONE, MONDAY_9AM),
        ("letter", RECIPIENT["letter"], MONDAY_9AM),
    ]


def test_urgent_news_goes_now_when_the_victim_chose_any_time_but_never_to_an_unsafe_channel(
    app: Flask,
) -> None:
    answers = {**EVERY_WAY, "safe": {"email": True, "sms": False, "letter": True}, "urgent_any_time": True}
    assert _sent_for(app, answers, URGENT, FRIDAY_EVENING) == [
        ("email", EMAIL, FRIDAY_EVENING),
        ("letter", RECIPIENT["letter"], FRIDAY_EVENING),
    ]
    # The choice is about urgent news only: any other update still waits.
    assert _sent_for(app, answers, "hearing-scheduled", FRIDAY_EVENING) == [("email", EMAIL, MONDAY_9AM)]


def test_urgent_news_is_never_held_for_the_digest_nor_filtered_as_not_a_milestone(app: Flask) -> None:
    digest = {**EVERY_WAY, "frequency": "daily-digest", "safe_from": "00:00", "safe_to": "23:59"}
    monday_noon = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    sent = _sent_for(app, digest, URGENT, monday_noon)
    assert [channel for channel, _, _ in sent] == ["email", "sms", "letter"]
    assert {when for _, _, when in sent} == {monday_noon}
    milestones = {**digest, "frequency": "key-milestones"}
    assert len(_sent_for(app, milestones, URGENT_NOT_MILESTONE, monday_noon)) == 3
    assert _sent_for(app, milestones, "investigation-update", monday_noon) == []


def test_an_opt_out_still_applies_to_urgent_news(app: Flask, urgent_event_type: EventType) -> None:
    answers = {**EVERY_WAY, "opted_out": [urgent_event_type.category], "urgent_any_time": True}
    assert _sent_for(app, answers, URGENT, FRIDAY_EVENING) == []


def test_a_failed_urgent_message_falls_back_only_to_a_channel_not_yet_told(app: Flask) -> None:
    two_ways = {**EVERY_WAY, "channels": ["email", "sms"], "safe": {"email": True, "sms": True}}
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            _victim, case = _victim_with(session, two_ways, email_ok=True, phone_ok=True)
            urgent = _announce(session, case, URGENT, FRIDAY_EVENING)
            ordinary = _announce(session, case, "hearing-scheduled", FRIDAY_EVENING)

            def by_email(update: CaseUpdate) -> Communication:
                return session.scalars(
                    select(Communication).where(
                        Communication.update_id == update.id, Communication.channel == "email"
                    )
                ).one()

            # The text message already carries the urgent news: nothing more to send.
            assert dispatch.fall_back(session, by_email(urgent), now=FRIDAY_EVENING) is None
            # Any other update falls back to the next safe channel, as before.
            fallback = dispatch.fall_back(session, by_email(ordinary), now=FRIDAY_EVENING)
            assert fallback is not None and fallback.channel == "sms"
            assert fallback.not_before == MONDAY_9AM
        finally:
            session.rollback()
            session.close()


def test_the_pure_rule_names_every_channel_for_urgent_news() -> None:
    prefs = preferences.Preferences(
        channels=("sms", "phone", "email"),
        safe=frozenset({"sms", "phone", "email"}),
        detailed=frozenset({"email"}),
        email=EMAIL,
        phone=PHONE,
        safe_from=time(9),
        safe_to=time(17),
        urgent_any_time=True,
        contact_status={"email": "verified", "phone": "verified"},
    )
    decision = dispatch.decide(prefs, CaseUpdate(event_type=URGENT), "v", FRIDAY_EVENING)
    assert decision.urgent and decision.channels == ("sms", "email")  # an officer's call is not a message
    assert [(d.channel, d.detailed, d.not_before) for d in decision.per_channel()] == [
        ("sms", False, FRIDAY_EVENING),
        ("email", True, FRIDAY_EVENING),
    ]
    ordinary = dispatch.decide(prefs, CaseUpdate(event_type="hearing-scheduled"), "v", FRIDAY_EVENING)
    assert ordinary.channels == ("sms",) and not ordinary.urgent
    assert ordinary.not_before == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # Saturday 9am: every day is safe


# --- Wording ---------------------------------------------------------------------------------------

SIGN_IN = "https://www.example.service.gov.uk/sign-in"
PREFERENCES_URL = "https://www.example.service.gov.uk/account/contact-preferences"


def _render(code: str, channel: str, *, detailed: bool = False, language: str = "en") -> RenderedMessage:
    return render_update_message(
        code,
        _details(code),
        channel=channel,  # type: ignore[arg-type]
        language=language,  # type: ignore[arg-type]
        detailed=detailed,
        sign_in_url=SIGN_IN,
        preferences_url=PREFERENCES_URL,
        occurred_at=FRIDAY_EVENING,
    )


@pytest.mark.security(22)
@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("channel", WRITTEN)
def test_discreet_urgent_messages_say_it_is_important_and_nothing_else(channel: str, language: str) -> None:
    message = _render(URGENT, channel, language=language)
    text = " ".join([message.subject or "", message.body]).replace(SIGN_IN, "").replace(PREFERENCES_URL, "")
    for word in NOT_IN_A_DISCREET_MESSAGE:
        assert word not in text.lower(), f"{channel}: {word!r} in a discreet message"
    assert "important update" in text and "as soon as you can" in text
    assert SIGN_IN in message.body and PREFERENCES_URL in message.body
    if channel == "sms":
        assert message.subject is None and fits_two_sms(message.body)
        assert message.body == (
            f"You have an important update. Sign in to read it as soon as you can: {SIGN_IN}\n"
            f"To change or stop these texts: {PREFERENCES_URL}"
        )
    else:
        assert message.subject == "You have an important update"  # the email subject, the letter heading
    # Any other update keeps the plain wording.
    assert "important" not in " ".join(
        [_render("hearing-scheduled", channel).subject or "", _render("hearing-scheduled", channel).body]
    )


@pytest.mark.usefixtures("babel_app_context")
def test_a_discreet_urgent_text_with_long_addresses_still_fits_two_fragments() -> None:
    long_sign_in = "https://" + "a" * 150 + ".example.gov.uk/sign-in"  # too long for the full wording
    message = render_update_message(
        URGENT,
        {},
        channel="sms",
        language="en",
        detailed=False,
        sign_in_url=long_sign_in,
        preferences_url=PREFERENCES_URL,
        occurred_at=FRIDAY_EVENING,
    )
    assert fits_two_sms(message.body) and long_sign_in in message.body
    assert message.body.startswith("Important update: ")


@pytest.mark.usefixtures("babel_app_context")
def test_detailed_urgent_email_and_letter_headings_say_important() -> None:
    title = str(vocabulary.get_event_type(URGENT).title)
    for channel in ("email", "letter"):
        assert _render(URGENT, channel, detailed=True).subject == f"Important: {title}"
    sms = _render(URGENT, "sms", detailed=True).body
    assert fits_two_sms(sms) and sms.startswith(title)
