"""Issue 23: the dispatch bugs that would hurt a victim, each caught by a test named for it, checked on
what reaches the outbox (not only on the decision), on SQLite and PostgreSQL.

- mutant 1: the victim's safe days and hours reach the outbox (`not_before`), for updates, digests and
  fallbacks alike;
- mutant 2: an update meant for one victim on a case goes to that victim, and to nobody else on it;
- mutant 3: a victim who cannot be reached does not stop the victims after them being told;
- mutant 4: "key milestones only" holds back only that victim's other updates;
- mutant 5: a daily digest is written to the outbox, once a day, and every update joins it.

Also what else `dispatch.py` decides that mutation testing showed no test noticed: the digest time,
copies to support workers, the fallback after a permanent failure, and the shared `Audience`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications import outbox
from notifications.outbox import OutboundMessage
from portal.models import Case, CaseUpdate, Communication, Role, Victim
from portal.services import vocabulary
from portal.services.messaging import dispatch
from portal.services.messaging.dispatch import Decision
from portal.services.preferences.records import Preferences, current_preferences
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from tests.support.builders import (
    create_case,
    create_contact_point,
    create_delegation,
    create_organisation,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
)

#: Dates well ahead of the clock: the outbox never schedules a message before now, so a Monday 9am that
#: had passed would read as "now".
FRIDAY_EVENING = datetime(2030, 11, 22, 19, 30, tzinfo=UTC)  # 7:30pm on a Friday in London (GMT)
MONDAY_9AM = datetime(2030, 11, 25, 9, 0, tzinfo=UTC)
MONDAY_NOON = datetime(2030, 11, 25, 12, 0, tzinfo=UTC)
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
ADDRESS = ["1 Demo Street", "Exampletown", "EX1 1AA"]


@contextmanager
def unit_of_work(app: Flask) -> Iterator[Session]:
    """A session on the test database, rolled back at the end."""
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()


def new_case(session: Session) -> Case:
    return create_case(session, f"01MU{uuid.uuid4().int % 10**5:05d}26", offence="Assault")


def victim_on(
    session: Session,
    case: Case,
    name: str,
    *,
    verified: bool = True,
    channels: tuple[str, ...] = ("email",),
    **answers: Any,
) -> Victim:
    """A victim on `case` who chose `channels` (confirmed safe), weekdays 9am to 5pm, their email address
    and number confirmed by code unless `verified` is False."""
    email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
    phone = "+447700900123"
    victim = create_victim(session, name, "Sample", case=case)
    create_preferences_version(
        session,
        victim,
        {
            "channels": list(channels),
            "safe": dict.fromkeys(channels, True),
            "email": email,
            "phone": phone,
            "address": ADDRESS,
            "safe_days": WEEKDAYS,
            "safe_from": "09:00",
            "safe_to": "17:00",
            **answers,
        },
        actor_label="test",
        source=SOURCE_VICTIM_ONLINE,
    )
    if verified:
        create_contact_point(session, victim.id, "email", email)
        create_contact_point(session, victim.id, "phone", phone)
    return victim


def announce(
    session: Session,
    case: Case,
    code: str,
    now: datetime,
    *,
    victim_id: str | None = None,
    audience: dispatch.Audience | None = None,
) -> tuple[CaseUpdate, list[Decision]]:
    event = vocabulary.get_event_type(code)
    update = create_update(
        session,
        case,
        code,
        agency=str(event.agencies[0]),
        agency_event_id=f"mutant-{uuid.uuid4()}",
        occurred_at=now,
        details=dict(event.details_schema["examples"][0]),
        victim_id=victim_id,
        announce=False,
    )
    decisions = dispatch.announce_update(session, case, update, now=now, audience=audience)
    session.flush()
    return update, decisions


def messages_to(session: Session, victim: Victim) -> list[OutboundMessage]:
    """The outbox rows written for the victim (not copies to support workers), oldest first."""
    ids = select(Communication.outbound_message_id).where(
        Communication.victim_id == victim.id, Communication.recipient_user_id.is_(None)
    )
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.id.in_(ids))
            .order_by(OutboundMessage.created_at, OutboundMessage.id)
        ).all()
    )


def told(session: Session, victim: Victim, update: CaseUpdate) -> list[Communication]:
    return list(
        session.scalars(
            select(Communication).where(
                Communication.victim_id == victim.id, Communication.update_id == update.id
            )
        ).all()
    )


# --- Mutant 1: safe days and hours reach the outbox ---------------------------------------------------


def test_mutant1_safe_hours_reach_the_outbox(app: Flask) -> None:
    """Removing `not_before=decision.not_before` from the enqueue would send at once, on a Friday
    evening, outside the weekdays 9am to 5pm the victim said were safe."""
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("sms",))
        announce(session, case, "hearing-scheduled", FRIDAY_EVENING)
        [message] = messages_to(session, victim)
        assert message.channel == "sms"
        assert message.not_before == MONDAY_9AM
        assert message.next_attempt_at == MONDAY_9AM  # the worker claims it no earlier


def test_mutant1_a_fallback_also_waits_for_the_safe_time(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("email", "sms"))
        update, _ = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [by_email] = told(session, victim, update)
        decision = dispatch.fall_back(session, by_email, now=FRIDAY_EVENING)
        session.flush()
        assert decision is not None and decision.channel == "sms" and decision.not_before == MONDAY_9AM
        fallback = messages_to(session, victim)[-1]
        assert (fallback.channel, fallback.not_before) == ("sms", MONDAY_9AM)
        [row] = [c for c in told(session, victim, update) if c.purpose == "fallback"]
        assert row.channel == "sms" and row.outbound_message_id == fallback.id


# --- Mutant 2: the victim the update is for, and nobody else ------------------------------------------


def test_mutant2_an_update_for_one_victim_tells_that_victim_and_nobody_else(app: Flask) -> None:
    """`v.id == update.victim_id` flipped to `!=` would tell every other victim on the case about an
    update meant for one, and never that one."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann")
        bob = victim_on(session, case, "Bob")
        cat = victim_on(session, case, "Cat")
        _, decisions = announce(session, case, "hearing-scheduled", MONDAY_NOON, victim_id=bob.id)
        assert [d.victim_id for d in decisions] == [bob.id]
        assert messages_to(session, ann) == [] and messages_to(session, cat) == []
        [message] = messages_to(session, bob)
        assert message.recipient == current_preferences(session, bob.id).email
        # An update for everyone on the case tells all three.
        _, decisions = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        assert [d.victim_id for d in decisions] == [ann.id, bob.id, cat.id]


# --- Mutant 3: an unreachable victim does not stop the others being told ------------------------------


def test_mutant3_victims_after_an_unreachable_one_are_still_told(app: Flask) -> None:
    """`continue` -> `break` in the loop over the case's victims would leave everyone after the first
    victim who cannot be reached (no confirmed contact point here) untold."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", verified=False)  # first on the case, cannot be reached
        bob = victim_on(session, case, "Bob")
        cat = victim_on(session, case, "Cat", opted_out=["court"])  # chose not to hear about court
        dan = victim_on(session, case, "Dan")
        update, decisions = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        assert [(d.victim_id, d.channel, d.reason) for d in decisions] == [
            (ann.id, None, "no safe channel for messages"),
            (bob.id, "email", ""),
            (cat.id, None, "opted out of this kind of update"),
            (dan.id, "email", ""),
        ]
        assert messages_to(session, ann) == [] and messages_to(session, cat) == []
        assert len(messages_to(session, bob)) == 1 and len(messages_to(session, dan)) == 1
        assert [c.purpose for c in told(session, dan, update)] == ["update"]


# --- Mutant 4: "key milestones only" is that victim's choice alone -------------------------------------


def test_mutant4_key_milestones_only_holds_back_only_that_victims_other_updates(app: Flask) -> None:
    """`and` -> `or` in the "how much to hear" rule would hold back updates that are not milestones
    (or every update that is not urgent) from every victim, not only from those who chose milestones."""
    with unit_of_work(app) as session:
        case = new_case(session)
        everything = victim_on(session, case, "Ann")
        milestones = victim_on(session, case, "Bob", frequency="key-milestones")
        _, decisions = announce(session, case, "investigation-update", MONDAY_NOON)  # not a milestone
        assert [(d.channel, d.reason) for d in decisions] == [
            ("email", ""),
            (None, "wants key milestones only"),
        ]
        assert len(messages_to(session, everything)) == 1 and messages_to(session, milestones) == []
        announce(session, case, "hearing-scheduled", MONDAY_NOON)  # a milestone: both hear it
        assert len(messages_to(session, everything)) == 2 and len(messages_to(session, milestones)) == 1


# --- Mutant 5: daily digests ---------------------------------------------------------------------------


def test_mutant5_daily_digests_are_sent(app: Flask) -> None:
    """The digest decision without its channel would never send a victim who chose one daily message
    anything at all. The digest goes at 6pm (London) in the victim's safe window, is discreet, and
    every update that day joins the same message."""
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", frequency="daily-digest", safe_to="21:00")
        first, decisions = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        assert [(d.channel, d.digest, d.detailed) for d in decisions] == [("email", True, False)]
        six_pm = datetime(2030, 11, 25, 18, 0, tzinfo=UTC)
        assert decisions[0].not_before == six_pm
        second, _ = announce(session, case, "verdict", MONDAY_NOON + timedelta(hours=1))
        [digest] = messages_to(session, victim)
        assert digest.correlation == "digest" and digest.channel == "email"
        assert digest.not_before == six_pm and digest.next_attempt_at == six_pm
        assert digest.recipient == current_preferences(session, victim.id).email
        assert digest.subject == "You have new updates"
        assert digest.body.startswith(
            "You have new updates. Sign in to read them: http://127.0.0.1:5000/sign-in"
        )
        assert "http://127.0.0.1:5000/preferences" in digest.body
        assert "court" not in digest.body.lower() and "verdict" not in digest.body.lower()
        for update in (first, second):
            [row] = told(session, victim, update)
            assert (row.purpose, row.channel, row.outbound_message_id) == ("digest", "email", digest.id)
            assert row.detailed is False
        # Once today's digest has gone, the next update starts tomorrow's.
        digest.status = outbox.SENT
        session.flush()
        announce(session, case, "hearing-scheduled", six_pm + timedelta(minutes=5))
        later = messages_to(session, victim)[-1]
        assert later.id != digest.id and later.not_before == six_pm + timedelta(days=1)


def test_mutant5_a_digest_outside_the_safe_window_waits_for_it(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", frequency="daily-digest")  # weekdays 9am to 5pm
        announce(session, case, "hearing-scheduled", FRIDAY_EVENING)
        [digest] = messages_to(session, victim)
        # Friday's 6pm has passed and is outside the safe hours; Saturday and Sunday are not safe days:
        # Monday at 9am.
        assert digest.not_before == MONDAY_9AM


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2030, 11, 25, 17, 59, tzinfo=UTC), datetime(2030, 11, 25, 18, 0, tzinfo=UTC)),
        (datetime(2030, 11, 25, 18, 0, tzinfo=UTC), datetime(2030, 11, 26, 18, 0, tzinfo=UTC)),
        (datetime(2030, 11, 25, 23, 0, tzinfo=UTC), datetime(2030, 11, 26, 18, 0, tzinfo=UTC)),
        # British Summer Time: 6pm in London is 5pm UTC; 5:30pm UTC is already past it.
        (datetime(2026, 6, 15, 16, 59, tzinfo=UTC), datetime(2026, 6, 15, 17, 0, tzinfo=UTC)),
        (datetime(2026, 6, 15, 17, 30, tzinfo=UTC), datetime(2026, 6, 16, 17, 0, tzinfo=UTC)),
    ],
)
def test_mutant5_the_digest_goes_at_six_in_the_evening_london_time(now: datetime, expected: datetime) -> None:
    every_day = Preferences(safe_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"), safe_to=time(23, 0))
    assert dispatch.next_digest_time(every_day, now) == expected
    # Outside the safe window, the next safe time after 6pm.
    weekdays_to_five = Preferences(safe_days=tuple(WEEKDAYS), safe_to=time(17, 0))
    assert (
        dispatch.next_digest_time(weekdays_to_five, datetime(2030, 11, 22, 12, 0, tzinfo=UTC)) == MONDAY_9AM
    )


# --- Decisions: the pure rule ----------------------------------------------------------------------------


def _prefs(**changes: Any) -> Preferences:
    settings: dict[str, Any] = {
        "channels": ("email", "sms", "letter"),
        "safe": frozenset({"email", "sms", "letter"}),
        "email": "a@example.com",
        "phone": "+447700900123",
        "address": tuple(ADDRESS),
        "safe_days": tuple(WEEKDAYS),
        "contact_status": {"email": "verified", "phone": "verified", "address": "verified"},
    }
    return Preferences(**{**settings, **changes})


def test_the_decision_for_an_ordinary_update_names_one_channel_with_its_wording() -> None:
    prefs = _prefs(detailed=frozenset({"sms"}))
    decision = dispatch.decide(prefs, CaseUpdate(event_type="hearing-scheduled"), "v", MONDAY_NOON)
    assert decision == Decision("v", "email", MONDAY_NOON, detailed=False)
    assert decision.channels == ("email",) and decision.per_channel() == [decision]
    # The reachable channels given by the caller win over the preferences' own list.
    only_sms = dispatch.decide(
        prefs,
        CaseUpdate(event_type="hearing-scheduled"),
        "v",
        MONDAY_NOON,
        reachable_channels=["phone", "sms"],
    )
    assert (only_sms.channel, only_sms.detailed) == ("sms", True)
    none = dispatch.decide(
        prefs, CaseUpdate(event_type="hearing-scheduled"), "v", MONDAY_NOON, reachable_channels=[]
    )
    assert none == Decision("v", None, None, reason="no safe channel for messages")
    assert none.channels == () and none.per_channel() == []


def test_the_decision_for_urgent_news_names_every_channel_each_with_its_wording() -> None:
    prefs = _prefs(detailed=frozenset({"letter"}))
    decision = dispatch.decide(prefs, CaseUpdate(event_type="offender-escaped"), "v", FRIDAY_EVENING)
    assert decision.urgent and decision.not_before == MONDAY_9AM
    assert decision.channels == ("email", "sms", "letter")
    assert [(d.channel, d.detailed, d.also, d.not_before) for d in decision.per_channel()] == [
        ("email", False, (), MONDAY_9AM),
        ("sms", False, (), MONDAY_9AM),
        ("letter", True, (), MONDAY_9AM),
    ]
    any_time = _prefs(urgent_any_time=True)
    assert dispatch.send_time(any_time, FRIDAY_EVENING, urgent=True) == FRIDAY_EVENING
    assert dispatch.send_time(any_time, FRIDAY_EVENING, urgent=False) == MONDAY_9AM
    assert dispatch.send_time(_prefs(), FRIDAY_EVENING, urgent=True) == MONDAY_9AM


# --- Fallback after a permanent failure -----------------------------------------------------------------


def test_no_fallback_for_a_copy_a_message_about_no_update_or_the_last_safe_channel(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("email", "sms"))
        update, _ = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [by_email] = told(session, victim, update)
        no_update = Communication(
            victim_id=victim.id,
            update_id=None,
            outbound_message_id=by_email.outbound_message_id,
            channel="email",
            purpose="notice",
        )
        assert dispatch.fall_back(session, no_update, now=MONDAY_NOON) is None
        copy = Communication(
            victim_id=victim.id,
            update_id=update.id,
            outbound_message_id=by_email.outbound_message_id,
            channel="email",
            purpose="delegation-copy",
            recipient_user_id=1,
        )
        assert dispatch.fall_back(session, copy, now=MONDAY_NOON) is None
        gone = Communication(
            victim_id=victim.id,
            update_id=str(uuid.uuid4()),
            outbound_message_id=by_email.outbound_message_id,
            channel="email",
            purpose="update",
        )
        assert dispatch.fall_back(session, gone, now=MONDAY_NOON) is None
        fallback = dispatch.fall_back(session, by_email, now=MONDAY_NOON)
        assert fallback is not None and (fallback.channel, fallback.urgent) == ("sms", False)
        by_sms = Communication(
            victim_id=victim.id,
            update_id=update.id,
            outbound_message_id=by_email.outbound_message_id,
            channel="sms",
            purpose="fallback",
        )
        # Only the email is left besides the text that failed, and the email has failed already... but
        # the rule only skips the channel that failed: email is offered again for an ordinary update.
        again = dispatch.fall_back(session, by_sms, now=MONDAY_NOON)
        assert again is not None and again.channel == "email"


def test_urgent_news_falls_back_at_once_for_a_victim_who_chose_any_time(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("email",), urgent_any_time=True)
        update, _ = announce(session, case, "offender-escaped", FRIDAY_EVENING)
        [by_email] = told(session, victim, update)
        assert messages_to(session, victim)[0].not_before == FRIDAY_EVENING
        # A number confirmed since: the text goes now, urgent, as a fallback.
        create_preferences_version(
            session,
            victim,
            {"channels": ["email", "sms"], "safe": {"email": True, "sms": True}},
            actor_label="test",
            source=SOURCE_VICTIM_ONLINE,
        )
        decision = dispatch.fall_back(session, by_email, now=FRIDAY_EVENING)
        assert decision is not None
        assert (decision.channel, decision.urgent, decision.not_before) == ("sms", True, FRIDAY_EVENING)


# --- Copies to support workers ------------------------------------------------------------------------


def test_support_workers_who_receive_copies_get_a_discreet_copy_at_once(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("sms",))
        org = create_organisation(session, "Help Org", kind="support_service")
        worker = create_user(
            session,
            f"worker.{uuid.uuid4().hex[:6]}@example.com",
            role=Role.SUPPORT_WORKER,
            display_name="Wendy Worker",
            organisation_id=org.id,
        )
        reader = create_user(
            session,
            f"reader.{uuid.uuid4().hex[:6]}@example.com",
            role=Role.SUPPORT_WORKER,
            display_name="Rita Reader",
            organisation_id=org.id,
        )
        since, until = FRIDAY_EVENING - timedelta(days=1), FRIDAY_EVENING + timedelta(days=30)
        for who, scopes in ((worker, ["see-updates", "receive-copies"]), (reader, ["see-updates"])):
            create_delegation(
                session, victim.id, worker=who.id, scopes=scopes, starts_at=since, ends_at=until
            )
        update, _ = announce(session, case, "hearing-scheduled", FRIDAY_EVENING)
        copies = session.scalars(
            select(Communication).where(Communication.recipient_user_id.is_not(None))
        ).all()
        assert [(c.recipient_user_id, c.purpose, c.channel, c.detailed, c.update_id) for c in copies] == [
            (worker.id, "delegation-copy", "email", False, update.id)
        ]
        message = session.get(OutboundMessage, copies[0].outbound_message_id)
        assert message is not None
        assert (message.recipient, message.not_before) == (worker.email, None)  # the worker's work email, now
        assert message.correlation == f"delegation-copy:{update.id}"
        assert message.subject == "Someone you are helping has an update"
        assert "http://127.0.0.1:5000/support" in message.body
        assert "Ann" not in message.body and "court" not in message.body.lower()
        # The victim's own message still waits for their safe time.
        [own] = messages_to(session, victim)
        assert own.not_before == MONDAY_9AM


def test_the_shared_audience_reads_each_victim_once_and_sends_the_same(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann")
        bob = victim_on(session, case, "Bob", frequency="key-milestones")
        audience = dispatch.Audience()
        announce(session, case, "hearing-scheduled", MONDAY_NOON, audience=audience)
        _, decisions = announce(session, case, "investigation-update", MONDAY_NOON, audience=audience)
        assert [(d.victim_id, d.channel) for d in decisions] == [(ann.id, "email"), (bob.id, None)]
        assert [v.id for v in audience.victims(session, case)] == [ann.id, bob.id]
        assert audience.preferences(session, bob.id).frequency == "key-milestones"
        assert list(audience.destinations(ann, audience.preferences(session, ann.id))) == ["email"]
        assert audience.copy_recipients(session, ann.id, MONDAY_NOON) == []
        assert len(messages_to(session, ann)) == 2 and len(messages_to(session, bob)) == 1
        audience.remember_victims(case, [bob])
        _, decisions = announce(session, case, "hearing-scheduled", MONDAY_NOON, audience=audience)
        assert [d.victim_id for d in decisions] == [bob.id]


def test_the_shared_audience_copies_in_a_support_worker_and_reads_no_delegations_of_others(
    app: Flask,
) -> None:
    from tests.support.statements import counting

    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", channels=("sms",))
        bob = victim_on(session, case, "Bob")
        org = create_organisation(session, "Help Org", kind="support_service")
        worker = create_user(
            session,
            f"worker.{uuid.uuid4().hex[:6]}@example.com",
            role=Role.SUPPORT_WORKER,
            display_name="Wendy Worker",
            organisation_id=org.id,
        )
        since, until = FRIDAY_EVENING - timedelta(days=1), FRIDAY_EVENING + timedelta(days=30)
        create_delegation(
            session,
            ann.id,
            worker=worker.id,
            scopes=["see-updates", "receive-copies"],
            starts_at=since,
            ends_at=until,
        )
        with counting(app) as statements:
            update, _ = announce(
                session, case, "hearing-scheduled", FRIDAY_EVENING, audience=dispatch.Audience()
            )
        copies = session.scalars(
            select(Communication).where(Communication.recipient_user_id.is_not(None))
        ).all()
        assert [(c.recipient_user_id, c.victim_id, c.update_id) for c in copies] == [
            (worker.id, ann.id, update.id)
        ]
        assert len(messages_to(session, bob)) == 1
        # Ann's delegations are read; Bob never gave one, so his are not.
        delegation_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT DELEGATION.")]
        assert len(delegation_reads) == 1


def test_a_fallback_text_is_detailed_when_the_victim_asked_for_details_by_text(app: Flask) -> None:
    """The victim asked for the details by text, not by email: when the email fails and the update goes by
    text instead, the text carries the details (a fallback worded discreetly would tell them nothing)."""
    with unit_of_work(app) as session:
        case = new_case(session)
        victim = victim_on(session, case, "Ann", channels=("email", "sms"), detailed={"sms": True})
        update, _ = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [by_email] = told(session, victim, update)
        assert by_email.channel == "email" and by_email.detailed is False
        decision = dispatch.fall_back(session, by_email, now=MONDAY_NOON)
        session.flush()
        assert decision is not None and (decision.channel, decision.detailed) == ("sms", True)
        [row] = [c for c in told(session, victim, update) if c.purpose == "fallback"]
        assert (row.channel, row.detailed) == ("sms", True)
        title = str(vocabulary.get_event_type("hearing-scheduled").title)
        assert title in messages_to(session, victim)[-1].body
