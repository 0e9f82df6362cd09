"""The words dispatch (`portal/services/messaging/dispatch.py`) writes itself, as the victim or the support
worker reads them in the outbox: the daily digest and the copy to a support worker, each word for word,
with links that work whatever the portal's address looks like. Also what mutation testing showed no test
noticed about who is written to and when. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import re
import time as time_module
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications import outbox
from notifications.outbox import OutboundMessage
from portal.models import Case, CaseUpdate, Communication, OrganisationKind, Role, User, Victim
from portal.services import vocabulary
from portal.services.messaging import dispatch
from portal.services.messaging.dispatch import Decision
from portal.services.preferences.records import Preferences
from portal.services.preferences.rules import SOURCE_VICTIM_ONLINE
from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months, letter_arrives, london_date
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
from tests.support.statements import counting

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SIX_PM = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
NFA = "suspect-released-no-further-action"
#: Long past, so that a date counted from today could never be the same.
MONDAY_IN_JULY = datetime(2025, 7, 7, 12, 0, tzinfo=UTC)
ADDRESS = ["1 Demo Street", "Exampletown", "EX1 1AA"]
DIGEST_BODY = (
    "You have new updates. Sign in to read them: {base}/sign-in\n\n"
    "To change how we contact you or to stop these messages: {base}/preferences"
)
COPY_SUBJECT = "Someone you are helping has an update"
COPY_BODY = (
    "Someone you are helping has a new update. Sign in to see your clients: {base}/support\n\n"
    "We send you this because they asked us to copy you in. It never says who it is about or what has "
    "happened."
)


@contextmanager
def unit_of_work(app: Flask) -> Iterator[Session]:
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()


@contextmanager
def portal_address(app: Flask, base: str) -> Iterator[None]:
    """The portal at another address for the length of the block."""
    before = app.config["PORTAL_BASE_URL"]
    app.config["PORTAL_BASE_URL"] = base
    try:
        yield
    finally:
        app.config["PORTAL_BASE_URL"] = before


def new_case(session: Session) -> Case:
    return create_case(session, f"01WD{uuid.uuid4().int % 10**5:05d}26", offence="Assault")


def victim_on(session: Session, case: Case, name: str, **answers: Any) -> Victim:
    """A victim on `case` who chose email (confirmed safe, confirmed by code), any day 8am to 9pm."""
    email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
    victim = create_victim(session, name, "Sample", case=case)
    create_preferences_version(
        session,
        victim,
        {
            "channels": ["email"],
            "safe": {"email": True},
            "email": email,
            "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "safe_from": "08:00",
            "safe_to": "21:00",
            **answers,
        },
        actor_label="test",
        source=SOURCE_VICTIM_ONLINE,
    )
    create_contact_point(session, victim.id, "email", email)
    return victim


def support_worker(session: Session, name: str = "Wendy Worker") -> User:
    organisation = create_organisation(session, "Help Org", kind=OrganisationKind.SUPPORT_SERVICE)
    return create_user(
        session,
        f"{name.split()[0].lower()}.{uuid.uuid4().hex[:6]}@example.com",
        role=Role.SUPPORT_WORKER,
        display_name=name,
        organisation_id=organisation.id,
    )


def unannounced(session: Session, case: Case, code: str, now: datetime) -> CaseUpdate:
    """A new update of this type on the case (its first example's details), not yet announced."""
    event = vocabulary.get_event_type(code)
    return create_update(
        session,
        case,
        code,
        agency=str(event.agencies[0]),
        agency_event_id=f"wording-{uuid.uuid4()}",
        occurred_at=now,
        details=dict(event.details_schema["examples"][0]),
        announce=False,
    )


def announce(
    session: Session, case: Case, code: str, now: datetime, audience: dispatch.Audience | None = None
) -> CaseUpdate:
    update = unannounced(session, case, code, now)
    dispatch.announce_update(session, case, update, now=now, audience=audience)
    session.flush()
    return update


def outbox_for(session: Session, **where: Any) -> list[OutboundMessage]:
    """Outbox rows behind the communications matching `where`, oldest first."""
    ids = select(Communication.outbound_message_id).filter_by(**where)
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.id.in_(ids))
            .order_by(OutboundMessage.created_at, OutboundMessage.id)
        ).all()
    )


def test_a_daily_digest_says_only_that_there_are_updates_and_where_to_read_them(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", frequency="daily-digest", detailed={"email": True})
        announce(session, case, "verdict", MONDAY_NOON)
        [digest] = outbox_for(session, victim_id=ann.id, purpose="digest")
        assert digest.subject == "You have new updates"
        assert digest.body == DIGEST_BODY.format(base="http://127.0.0.1:5000")
        assert digest.not_before == SIX_PM


def test_links_in_what_dispatch_writes_work_when_the_portal_address_ends_in_a_slash(app: Flask) -> None:
    with portal_address(app, "https://victims.example.gov.uk/"), unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", frequency="daily-digest")
        worker = support_worker(session)
        create_delegation(session, ann.id, worker=worker.id, scopes=["see-updates", "receive-copies"])
        announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [digest] = outbox_for(session, victim_id=ann.id, purpose="digest")
        assert digest.body == DIGEST_BODY.format(base="https://victims.example.gov.uk")
        [copy] = outbox_for(session, recipient_user_id=worker.id)
        assert copy.body == COPY_BODY.format(base="https://victims.example.gov.uk")


def test_a_copy_to_a_support_worker_is_in_english_and_names_nothing(app: Flask) -> None:
    """Whatever the victim chose (Welsh, detailed messages), the worker's copy is the same English words,
    sent at once even though the victim's own message waits for their safe time."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(
            session,
            case,
            "Ann",
            language="cy",
            detailed={"email": True},
            safe_days=["sat", "sun"],
        )
        worker = support_worker(session)
        create_delegation(session, ann.id, worker=worker.id, scopes=["receive-copies"])
        update = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [copy] = outbox_for(session, recipient_user_id=worker.id)
        assert (copy.recipient, copy.channel, copy.not_before) == (worker.email, "email", None)
        assert copy.subject == COPY_SUBJECT
        assert copy.body == COPY_BODY.format(base="http://127.0.0.1:5000")
        assert copy.correlation == f"delegation-copy:{update.id}"
        [own] = outbox_for(session, victim_id=ann.id, recipient_user_id=None)
        assert own.not_before is not None and own.not_before > MONDAY_NOON + timedelta(days=4)


def test_a_worker_whose_address_notify_would_refuse_is_logged_and_the_next_worker_still_copied(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """The log says which worker (by account number, never their address) got no copy and why, and the
    workers after them still get theirs."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann")
        unreachable = support_worker(session, "Una Reachable")
        unreachable.email = "una@localhost"  # no domain Notify would send to
        reachable = support_worker(session, "Rita Reachable")
        for worker in (unreachable, reachable):
            create_delegation(session, ann.id, worker=worker.id, scopes=["receive-copies"])
        with caplog.at_level(logging.WARNING, logger=dispatch.__name__):
            announce(session, case, "hearing-scheduled", MONDAY_NOON)
        assert [
            copy.recipient for copy in outbox_for(session, victim_id=ann.id, purpose="delegation-copy")
        ] == [reachable.email]
        assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == dispatch.__name__] == [
            (
                logging.WARNING,
                f"support worker {unreachable.id}: Notify would refuse their email address; no copy sent",
            )
        ]


def _announce_together(app: Flask, session: Session, case: Case, updates: list[CaseUpdate]) -> Counter[str]:
    """Announce the updates as the agency API announces a batch; the INSERTs it ran, by table."""
    with counting(app) as statements:
        outgoing, audience = dispatch.Outgoing(), dispatch.Audience()
        for update in updates:
            dispatch.announce_update(
                session, case, update, now=MONDAY_NOON, audience=audience, outgoing=outgoing
            )
        outgoing.write(session)
    assert not session.new  # everything is written when the batch is
    return Counter(m.group(1) for s in statements if (m := re.match(r"\s*(?:INSERT INTO|COPY) (\w+)", s)))


def _updates_in(session: Session, victim: Victim, digest: OutboundMessage) -> list[str]:
    """The updates a digest to the victim announces."""
    rows = session.scalars(
        select(Communication.update_id).where(
            Communication.victim_id == victim.id, Communication.outbound_message_id == digest.id
        )
    )
    return sorted(str(update_id) for update_id in rows)


def test_a_batch_is_announced_in_the_same_few_inserts_however_many_updates_it_has(app: Flask) -> None:
    """The agency API's batches rely on it: a batch of six updates is written in the same INSERTs as a
    batch of two (one per table for the updates' own messages, and the support workers' copies in the
    session's flushes), and every victim is told of every update."""
    inserts = [_announce_batch(app, count) for count in (2, 6)]
    assert inserts[0] == inserts[1]
    assert inserts[0]["outbound_message"] <= 3 and inserts[0]["communication"] <= 3


def _announce_batch(app: Flask, count: int) -> Counter[str]:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann")
        dan = victim_on(session, case, "Dan", channels=["letter"], safe={"letter": True}, address=ADDRESS)
        worker = support_worker(session)
        create_delegation(session, ann.id, worker=worker.id, scopes=["receive-copies"])
        updates = [unannounced(session, case, "hearing-scheduled", MONDAY_NOON) for _ in range(count)]
        session.flush()
        inserts = _announce_together(app, session, case, updates)
        told = {
            victim.id: [
                (m.channel, m.correlation) for m in outbox_for(session, victim_id=victim.id, purpose="update")
            ]
            for victim in (ann, dan)
        }
        expected = sorted(f"update:{update.id}" for update in updates)
        assert sorted(c for _, c in told[ann.id]) == expected
        assert {channel for channel, _ in told[ann.id]} == {"email"}
        assert sorted(c for _, c in told[dan.id]) == expected
        assert {channel for channel, _ in told[dan.id]} == {"letter"}
        copies = outbox_for(session, victim_id=ann.id, purpose="delegation-copy")
        assert [copy.recipient for copy in copies] == [worker.email] * count
        return inserts


def test_a_batch_joins_each_victims_waiting_digest_or_starts_one_for_all_its_updates(app: Flask) -> None:
    """The updates of one batch share a victim's digest: the one waiting, or one new digest when the last
    one has gone; a victim without a digest gets each update's own message, written with the batch."""
    with unit_of_work(app) as session:
        case = new_case(session)
        bea = victim_on(session, case, "Bea", frequency="daily-digest")  # today's digest has gone
        cat = victim_on(session, case, "Cat", frequency="daily-digest")  # today's digest is waiting
        ann = victim_on(session, case, "Ann")
        first = announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [gone] = outbox_for(session, victim_id=bea.id, purpose="digest")
        gone.status = outbox.SENT
        [waiting] = outbox_for(session, victim_id=cat.id, purpose="digest")
        updates = [unannounced(session, case, "hearing-scheduled", MONDAY_NOON) for _ in range(3)]
        session.flush()
        _announce_together(app, session, case, updates)
        bea_digests = outbox_for(session, victim_id=bea.id, purpose="digest")
        assert [d.id for d in bea_digests] == [gone.id, bea_digests[1].id]  # one new digest for three updates
        assert bea_digests[1].not_before == SIX_PM
        assert outbox_for(session, victim_id=cat.id, purpose="digest") == [waiting]
        batch = sorted(u.id for u in updates)
        assert _updates_in(session, bea, bea_digests[1]) == batch
        assert _updates_in(session, cat, waiting) == sorted([first.id, *batch])
        assert len(outbox_for(session, victim_id=ann.id, purpose="update")) == 4


def test_copies_follow_the_delegations_in_force_when_the_update_is_announced(app: Flask) -> None:
    """News announced as of a July long past reaches no worker whose delegation began only yesterday,
    whether or not the caller shares what it read about the victims; news announced now does."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann")
        worker = support_worker(session)
        create_delegation(session, ann.id, worker=worker.id, scopes=["receive-copies"])
        announce(session, case, "hearing-scheduled", MONDAY_IN_JULY)
        announce(session, case, "hearing-scheduled", MONDAY_IN_JULY, audience=dispatch.Audience())
        assert outbox_for(session, recipient_user_id=worker.id) == []
        announce(session, case, "hearing-scheduled", datetime.now(UTC))
        assert [m.recipient for m in outbox_for(session, recipient_user_id=worker.id)] == [worker.email]


def test_a_decision_to_send_nothing_says_for_whom_and_why() -> None:
    """The decisions announcing returns name the victim and the reason nothing was sent."""
    every_way = Preferences(
        channels=("email",),
        safe=frozenset({"email"}),
        email="a@example.com",
        contact_status={"email": "verified"},
    )
    hearing = CaseUpdate(event_type="hearing-scheduled")
    category = vocabulary.get_event_type("hearing-scheduled").category
    assert dispatch.decide(
        replace(every_way, opted_out=frozenset({category})), hearing, "v-1", MONDAY_NOON
    ) == Decision("v-1", None, None, reason="opted out of this kind of update")
    assert dispatch.decide(
        replace(every_way, frequency="key-milestones"),
        CaseUpdate(event_type="investigation-update"),
        "v-2",
        MONDAY_NOON,
    ) == Decision("v-2", None, None, reason="wants key milestones only")
    assert dispatch.decide(every_way, hearing, "v-3", MONDAY_NOON, reachable_channels=[]) == Decision(
        "v-3", None, None, reason="no safe channel for messages"
    )


def test_urgent_news_falls_back_to_a_channel_another_victim_on_the_case_was_told_on(app: Flask) -> None:
    """Urgent news falls back only to a channel that has not carried it to THIS victim: Bob being texted
    about the escape does not stop Ann's text when her email fails."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", urgent_any_time=True)
        bob = victim_on(session, case, "Bob", urgent_any_time=True)
        phone = "+447700900123"
        texts = {"channels": ["sms"], "safe": {"sms": True}, "phone": phone}
        create_preferences_version(session, bob, texts, actor_label="test", source=SOURCE_VICTIM_ONLINE)
        create_contact_point(session, bob.id, "phone", phone)
        update = announce(session, case, "offender-escaped", MONDAY_NOON)
        [bobs] = session.scalars(select(Communication).filter_by(victim_id=bob.id)).all()
        assert bobs.channel == "sms"
        # Ann confirms her number after the news went to her email, which then fails for good.
        create_preferences_version(
            session,
            ann,
            {"channels": ["email", "sms"], "safe": {"email": True, "sms": True}, "phone": phone},
            actor_label="test",
            source=SOURCE_VICTIM_ONLINE,
        )
        create_contact_point(session, ann.id, "phone", phone)
        [anns] = session.scalars(select(Communication).filter_by(victim_id=ann.id, update_id=update.id)).all()
        decision = dispatch.fall_back(session, anns, now=MONDAY_NOON)
        assert decision is not None
        assert (decision.victim_id, decision.channel, decision.urgent) == (ann.id, "sms", True)
        # Once texted, nothing is left to fall back to.
        texted = session.scalars(
            select(Communication).filter_by(victim_id=ann.id, update_id=update.id, channel="sms")
        ).one()
        assert texted.purpose == "fallback"
        assert dispatch.fall_back(session, texted, now=MONDAY_NOON) is None


def test_an_update_message_is_worded_as_the_victim_chose_with_its_dates_and_links(app: Flask) -> None:
    """Ann chose detailed emails: hers says what happened, dates her right to a review from when it
    reaches her (not from today), and links to sign in and to her preferences. Bea chose discreet ones:
    hers says none of it, but has the same links. Cal chose detailed letters: his review date counts from
    when the letter arrives. Dee chose texts: hers has the links too, and no subject."""
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", detailed={"email": True})
        bea = victim_on(session, case, "Bea")
        letters = {"channels": ["letter"], "safe": {"letter": True}, "address": ADDRESS}
        cal = victim_on(session, case, "Cal", detailed={"letter": True}, **letters)
        texts = {"channels": ["sms"], "safe": {"sms": True}, "phone": "+447700900123"}
        dee = victim_on(session, case, "Dee", **texts)
        create_contact_point(session, dee.id, "phone", "+447700900123")
        announce(session, case, NFA, MONDAY_IN_JULY)
        [detailed] = outbox_for(session, victim_id=ann.id, purpose="update")
        [discreet] = outbox_for(session, victim_id=bea.id, purpose="update")
        [letter] = outbox_for(session, victim_id=cal.id, purpose="update")
        [text] = outbox_for(session, victim_id=dee.id, purpose="update")
        told_detailed = session.scalars(
            select(Communication.detailed).where(Communication.victim_id.in_([ann.id, bea.id, cal.id]))
        ).all()
        assert sorted(told_detailed) == [False, True, True]  # what each was sent is on record
        review_by = format_date(add_months(london_date(MONDAY_IN_JULY), 3))
        assert f"You can ask for a review until {review_by}" in detailed.body
        assert "review" not in discreet.body and "released" not in discreet.body.lower()
        arrives = letter_arrives(MONDAY_IN_JULY)
        assert london_date(arrives) > london_date(MONDAY_IN_JULY)
        letter_review_by = format_date(add_months(london_date(arrives), 3))
        assert f"You can ask for a review until {letter_review_by}" in letter.body
        for message in (detailed, discreet, letter, text):
            assert message.not_before == MONDAY_IN_JULY
        for message in (detailed, discreet, text):
            assert "http://127.0.0.1:5000/sign-in" in message.body
            assert "http://127.0.0.1:5000/preferences" in message.body
        assert (text.channel, text.subject) == ("sms", None)


def test_a_decision_to_send_names_the_victim_and_the_wording_of_its_first_channel() -> None:
    """Urgent news and a digest are decided for the victim they are about; urgent news on a first channel
    the victim chose detailed messages for is detailed there."""
    detailed_email = Preferences(
        channels=("email", "sms"),
        safe=frozenset({"email", "sms"}),
        email="a@example.com",
        phone="+447700900123",
        detailed=frozenset({"email"}),
        contact_status={"email": "verified", "phone": "verified"},
        safe_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    )
    urgent = dispatch.decide(detailed_email, CaseUpdate(event_type="offender-escaped"), "v-1", MONDAY_NOON)
    assert (urgent.victim_id, urgent.channel, urgent.detailed, urgent.also) == (
        "v-1",
        "email",
        True,
        (("sms", False),),
    )
    digest = dispatch.decide(
        replace(detailed_email, frequency="daily-digest"),
        CaseUpdate(event_type="hearing-scheduled"),
        "v-2",
        MONDAY_NOON,
    )
    assert (digest.victim_id, digest.channel, digest.digest) == ("v-2", "email", True)


def test_the_digest_time_is_six_in_the_evening_in_london_whatever_the_servers_time_zone() -> None:
    """A server whose clock is set to Tokyo time (already Tuesday at 5pm on Monday in London) still
    sends Monday's digest on Monday at 6pm in London."""
    every_day = Preferences(safe_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"), safe_to=time(23, 0))
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time_module.tzset()
    try:
        monday_5pm = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
        assert dispatch.next_digest_time(every_day, monday_5pm) == SIX_PM
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time_module.tzset()
