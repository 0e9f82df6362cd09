"""Issue 15: the life of a secure message thread (portal/services/secure_messages/threads.py). A message
from the victim's side is due an answer in the unit's working days; a reply answers everything before it,
leaves the thread waiting for the victim and tells them discreetly (by their channel, in their safe time,
never what it says); the victim's side writing again reopens it; notes change nothing the victim sees."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import Case, Communication, MessageThread, Organisation, SecureMessage, User
from portal.models.messages import ASSIGNED, CLOSED, NEW, WAITING
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.secure_messages import threads
from portal.services.secure_messages.threads import MessageRefused
from tests.support.builders import create_contact_point, create_preferences_version
from tests.support.notify_rules import outbox_problems

# A Friday before the late May bank holiday (Monday 25 May 2026), at 10:00 London time.
FRIDAY = datetime(2026, 5, 22, 9, 0, tzinfo=UTC)
SECRET = "He was outside the school gates again this morning."
REPLY = "We have told the officer in the case about the school."
ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}
CONTACT = {"sms": "07700 900123", "email": "victim@demo.example"}


def _case(session: Session) -> Case:
    case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
    assert case is not None
    return case


def _start(session: Session, now: datetime = FRIDAY, recipient: str = "witness-care") -> MessageThread:
    thread, _ = threads.start(
        session,
        victim_id=DEMO_VICTIM_ID,
        case=_case(session),
        recipient=recipient,
        subject="  School gates  ",
        body=f"  {SECRET}  ",
        written_by_user_id=None,
        author_label="Sam Sample",
        now=now,
    )
    return thread


def _notices(session: Session) -> list[OutboundMessage]:
    return list(
        session.scalars(select(OutboundMessage).where(OutboundMessage.correlation == threads.NOTICE_PURPOSE))
    )


def test_a_reference_can_be_read_out_without_being_misheard() -> None:
    reference = threads.new_reference()
    assert re.fullmatch(r"MSG-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", reference), reference


def test_a_reply_is_due_in_the_units_working_days_past_bank_holidays(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        thread = _start(session)
        # 2 working days after Friday 22 May 2026, the Monday a bank holiday: Wednesday 27 May.
        assert thread.reply_due == date(2026, 5, 27)
        assert (thread.subject, thread.agency, thread.status) == ("School gates", "witness_care", NEW)
        unit = session.scalar(
            select(Organisation).where(Organisation.force_code == _case(session).force_code)
        )
        assert unit is not None
        unit.message_reply_days = 5
        assert threads.reply_days(session, _case(session)) == 5
        later = _start(session, recipient="victim-liaison-officer")
        assert later.agency == "probation" and later.reply_due == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"body": " \n "}, "Enter a message"),
        ({"body": "x" * 5001}, "A message must be 5,000 characters or fewer"),
        ({"subject": ""}, "Enter a subject"),
        ({"subject": "x" * 101}, "A subject must be 100 characters or fewer"),
        ({"recipient": "court"}, "unknown recipient"),
    ],
)
def test_what_cannot_be_sent_is_refused_in_plain_words(
    seeded: Flask, fields: dict[str, str], problem: str
) -> None:
    values = {"recipient": "witness-care", "subject": "Hello", "body": "x" * 5000, **fields}
    with seeded.app_context(), db.job() as session, pytest.raises(MessageRefused, match=problem):
        threads.start(
            session,
            victim_id=DEMO_VICTIM_ID,
            case=_case(session),
            written_by_user_id=None,
            author_label="Sam Sample",
            **values,
        )


def test_a_reply_answers_everything_before_it_and_writing_again_reopens_the_thread(seeded: Flask) -> None:
    monday = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    with seeded.app_context(), db.job() as session:
        thread = _start(session)
        second = threads.add_from_victim_side(
            session,
            thread,
            body="And yesterday.",
            written_by_user_id=None,
            author_label="Sam Sample",
            now=monday,
        )
        assert second.reply_due == date(2026, 6, 3) and thread.reply_due == date(2026, 5, 27)  # the oldest
        threads.add_note(
            session, thread, body="Called the school", written_by_user_id=None, author_label="Jo"
        )
        assert thread.updated_at == monday and _notices(session) == []  # a note tells nobody
        reply = threads.add_reply(session, thread, body=REPLY, author_label="Witness Care Unit", now=monday)
        answered = session.scalars(
            select(SecureMessage).where(SecureMessage.direction == "from-victim")
        ).all()
        assert {m.replied_at for m in answered if m.thread_id == thread.id} == {monday}
        assert (thread.status, thread.reply_due, reply.direction) == (WAITING, None, "to-victim")

        threads.assign(session, thread, None)  # a waiting thread stays waiting
        assert thread.status == WAITING
        threads.add_from_victim_side(
            session, thread, body="Thank you", written_by_user_id=None, author_label="S"
        )
        assert thread.status == NEW and thread.reply_due is not None
        threads.close(session, thread)
        assert (thread.status, thread.reply_due) == (CLOSED, None)


def test_assigning_and_a_closed_thread_reopened_for_whoever_has_it(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        thread = _start(session)
        threads.assign(session, thread, None)
        assert thread.status == NEW
        officer = session.scalar(select(User).where(User.email == "officer@demo.example"))
        assert officer is not None
        threads.assign(session, thread, officer.id)
        assert (thread.status, thread.assigned_to_user_id) == (ASSIGNED, officer.id)
        threads.close(session, thread)
        threads.add_from_victim_side(
            session, thread, body="One more thing", written_by_user_id=None, author_label="S"
        )
        assert thread.status == ASSIGNED


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("channel", ["sms", "email", "letter"])
def test_the_victim_is_told_of_a_reply_by_their_channel_and_never_what_it_says(
    seeded: Flask, channel: str, language: str
) -> None:
    with seeded.app_context(), db.job() as session:
        create_preferences_version(
            session,
            DEMO_VICTIM_ID,
            {"channels": [channel], "safe": {channel: True}, "language": language, **ALWAYS},
            actor_label="test",
            source="victim online",
        )
        if channel in CONTACT:
            create_contact_point(session, DEMO_VICTIM_ID, channel, CONTACT[channel])
        thread = _start(session)
        assert _notices(session) == []  # the victim's own message tells nobody
        threads.add_reply(session, thread, body=REPLY, author_label="Witness Care Unit")
        session.flush()
        [message] = _notices(session)
        assert message.channel == channel and outbox_problems(message) == []
        words = f"{message.subject or ''} {message.body}"
        for secret in (SECRET, REPLY, "School gates", "Witness Care", "officer", "school"):
            assert secret not in words
        assert ("neges newydd" in words) if language == "cy" else ("You have a new message" in words)
        [logged] = session.scalars(
            select(Communication).where(Communication.outbound_message_id == message.id)
        ).all()
        assert logged.purpose == threads.NOTICE_PURPOSE and logged.detailed is False


def test_the_notice_waits_for_the_victims_safe_time(seeded: Flask) -> None:
    saturday_night = datetime(2026, 5, 23, 22, 0, tzinfo=UTC)
    with seeded.app_context(), db.job() as session:
        create_preferences_version(
            session,
            DEMO_VICTIM_ID,
            {
                "channels": ["sms"],
                "safe": {"sms": True},
                "safe_days": ["mon", "tue", "wed", "thu", "fri"],
                "safe_from": "09:00",
                "safe_to": "17:00",
            },
            actor_label="test",
            source="victim online",
        )
        create_contact_point(session, DEMO_VICTIM_ID, "sms", CONTACT["sms"])
        thread = _start(session)
        threads.add_reply(session, thread, body=REPLY, author_label="Witness Care Unit", now=saturday_night)
        session.flush()
        [message] = _notices(session)
        # Monday 25 May is a working day for safe times (only the victim's days count): 09:00 London.
        assert message.not_before == datetime(2026, 5, 25, 8, 0, tzinfo=UTC)
