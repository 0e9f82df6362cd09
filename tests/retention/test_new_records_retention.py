"""Retention of the records of issue 15 (SECURITY.md 24): secure messages (threads, messages, internal
notes, attachments), contacts officers recorded and hearing reminders.

- Erasing a victim removes their threads with every message, note and file in them, and their hearing
  reminders; the notes of contacts recorded with them go, when they were told stays (the figures). Another
  victim on the same case keeps all of theirs.
- A case anonymised after the retention period loses its threads, messages, files and reminders; a live
  case of the same victim keeps its own.
- The victim's download holds their messages (who wrote each, when, the files' names), the contacts
  recorded with them and the reminders sent, and never an internal note, a contact's note or another
  victim's message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import recorded_contacts as recorded_data
from portal.data import retention
from portal.extensions import db
from portal.models import (
    Case,
    CaseUpdate,
    Communication,
    HearingReminder,
    MessageAttachment,
    MessageThread,
    RecordedContact,
    SecureMessage,
    User,
    Victim,
)
from portal.models.messages import TO_WITNESS_CARE
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.retention import job
from portal.services.secure_messages import threads
from portal.services.secure_messages.demo import DEMO_ATTACHMENT_NAME, DEMO_THREAD_ID
from tests.support.builders import add_victim_to_case, create_case, create_update, create_victim
from tests.support.demo import DEMO_PASSWORD, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(24)

OLD_URN = "01NR0000126"  # closed seven years ago: past the retention period


@dataclass(frozen=True)
class Words:
    """What one victim's records on one case say, to look for afterwards."""

    tag: str

    @property
    def message(self) -> str:
        return f"{self.tag}: he was outside my house again last night"

    @property
    def worker_message(self) -> str:
        return f"{self.tag}: written by the support worker"

    @property
    def reply(self) -> str:
        return f"{self.tag}: thank you, we have told the officer"

    @property
    def note(self) -> str:
        return f"{self.tag}: internal note, sounded frightened on the phone"

    @property
    def contact_note(self) -> str:
        return f"{self.tag}: call note, asked about bail"

    @property
    def photo(self) -> str:
        return f"{self.tag}-doorstep.png"

    @property
    def letter(self) -> str:
        return f"{self.tag}-reply-letter.pdf"


def _user_id(session: Session, email: str) -> int:
    user_id = session.scalar(select(User.id).where(User.email == email))
    assert user_id is not None, email
    return user_id


def _records(session: Session, case: Case, victim_id: str, words: Words, *, by_worker: bool = False) -> None:
    """A thread (the victim's message with a photo, perhaps one by their support worker, a reply with a
    letter, an internal note), a phone call recorded against an update, and a hearing reminder."""
    officer = _user_id(session, OFFICER)
    victim_user = session.scalar(select(User.id).where(User.victim_id == victim_id))
    now = datetime.now(UTC)
    thread, first = threads.start(
        session,
        victim_id=victim_id,
        case=case,
        recipient=TO_WITNESS_CARE,
        subject=f"{words.tag} outside my house",
        body=words.message,
        written_by_user_id=victim_user,
        author_label=words.tag,
        now=now - timedelta(hours=3),
    )
    session.add(
        MessageAttachment(
            message_id=first.id, filename=words.photo, content_type="image/png", size=4, content=b"\x89PNG"
        )
    )
    if by_worker:
        threads.add_from_victim_side(
            session,
            thread,
            body=words.worker_message,
            written_by_user_id=_user_id(session, SUPPORT_WORKER),
            author_label=f"Sunny Supporter for {words.tag}",
            now=now - timedelta(hours=2),
        )
    reply = threads.add_reply(
        session,
        thread,
        body=words.reply,
        written_by_user_id=officer,
        author_label="Olu Officer, Demo Witness Care Unit",
        now=now - timedelta(hours=1),
    )
    session.add(
        MessageAttachment(
            message_id=reply.id,
            filename=words.letter,
            content_type="application/pdf",
            size=4,
            content=b"%PDF",
        )
    )
    threads.add_note(session, thread, body=words.note, written_by_user_id=officer, author_label="Olu Officer")
    update = session.scalars(select(CaseUpdate).where(CaseUpdate.case_id == case.id)).first()
    assert update is not None
    recorded_data.add_contact(
        session,
        RecordedContact(
            victim_id=victim_id,
            case_id=case.id,
            method="phone",
            told_at=now - timedelta(minutes=30),
            by_user_id=officer,
            by_label="Olu Officer",
            note=words.contact_note,
        ),
        [update.id],
    )
    sent = outbox.enqueue(
        session,
        channel="email",
        recipient=f"{words.tag}@example.com",
        subject="A reminder",
        body="A reminder",
    )
    session.add(
        Communication(
            victim_id=victim_id, outbound_message_id=sent.id, channel="email", purpose="hearing-reminder"
        )
    )
    session.add(
        HearingReminder(
            victim_id=victim_id,
            case_id=case.id,
            hearing_on=date(2027, 3, 17),
            hearing_at=datetime(2027, 3, 17, 10, tzinfo=UTC),
            outbound_message_id=sent.id,
            channel="email",
        )
    )
    session.flush()


def _case(session: Session, urn: str) -> Case:
    case = session.scalar(select(Case).where(Case.urn == urn))
    assert case is not None
    return case


def _held(session: Session, victim_id: str, case_urn: str | None = None) -> dict[str, int]:
    """How many of each new record are held about the victim (on one case when given)."""
    on_case = [MessageThread.victim_id == victim_id]
    if case_urn is not None:
        on_case.append(MessageThread.case_id == _case(session, case_urn).id)
    thread_ids = select(MessageThread.id).where(*on_case)
    message_ids = select(SecureMessage.id).where(SecureMessage.thread_id.in_(thread_ids))
    reminder = [HearingReminder.victim_id == victim_id]
    if case_urn is not None:
        reminder.append(HearingReminder.case_id == _case(session, case_urn).id)
    return {
        "threads": session.scalar(select(func.count()).where(*on_case).select_from(MessageThread)) or 0,
        "messages": session.scalar(select(func.count()).where(SecureMessage.id.in_(message_ids))) or 0,
        "files": session.scalar(select(func.count()).where(MessageAttachment.message_id.in_(message_ids)))
        or 0,
        "reminders": session.scalar(select(func.count()).where(*reminder).select_from(HearingReminder)) or 0,
    }


def _everything_written(session: Session) -> str:
    """Every message's words and every file's name still held, and every note of a contact recorded."""
    return "\n".join(
        [
            *session.scalars(select(SecureMessage.body)),
            *session.scalars(select(MessageAttachment.filename)),
            *(note or "" for note in session.scalars(select(RecordedContact.note))),
        ]
    )


@pytest.fixture
def sam_and_nia(seeded: Flask) -> Flask:
    """Sam (the demo victim, with the demo message to the VLO and its PDF) and Nia on the demo case, each
    with a thread, a recorded call and a reminder; Sam's support worker wrote in his thread."""
    with seeded.app_context(), db.job() as session:
        case = _case(session, DEMO_CASE_URN)
        nia = create_victim(session, "Nia", "Staysput", case=case, email="nia@example.com")
        _records(session, case, DEMO_VICTIM_ID, Words("Sam"), by_worker=True)
        _records(session, case, nia.id, Words("Nia"))
    return seeded


def _nia_id(session: Session) -> str:
    nia = session.scalar(select(Victim.id).where(Victim.family_name == "Staysput"))
    assert nia is not None
    return nia


def test_sec24_erasure_removes_every_message_file_note_and_reminder_of_theirs_and_nothing_of_another(
    sam_and_nia: Flask,
) -> None:
    with sam_and_nia.app_context(), db.job() as session:
        nia_before = _held(session, _nia_id(session))
        assert _held(session, DEMO_VICTIM_ID) == {"threads": 2, "messages": 5, "files": 3, "reminders": 1}
        removed = retention.clear_victim(session, DEMO_VICTIM_ID, datetime.now(UTC))
    assert removed["message threads"] == 2 and removed["secure messages"] == 5
    assert removed["message attachments"] == 3 and removed["hearing reminders"] == 1
    with sam_and_nia.app_context(), db.job() as session:
        assert _held(session, DEMO_VICTIM_ID) == {"threads": 0, "messages": 0, "files": 0, "reminders": 0}
        assert session.get(MessageThread, DEMO_THREAD_ID) is None
        left = _everything_written(session)
        sam = Words("Sam")
        for gone in (
            sam.message,
            sam.worker_message,
            sam.reply,
            sam.note,
            sam.contact_note,
            sam.photo,
            sam.letter,
        ):
            assert gone not in left, gone
        assert DEMO_ATTACHMENT_NAME not in left
        # That and when Sam was told by phone stays (the timeliness report counts it); the note does not.
        (call,) = session.scalars(select(RecordedContact).where(RecordedContact.victim_id == DEMO_VICTIM_ID))
        assert call.note is None and call.method == "phone" and call.updates
        # Nia, on the same case, keeps everything.
        nia_id = _nia_id(session)
        assert (
            _held(session, nia_id) == nia_before == {"threads": 1, "messages": 3, "files": 2, "reminders": 1}
        )
        nia = Words("Nia")
        for kept in (nia.message, nia.reply, nia.note, nia.contact_note, nia.photo, nia.letter):
            assert kept in left, kept


def test_sec24_a_case_anonymised_after_its_period_loses_its_messages_and_reminders(seeded: Flask) -> None:
    now = datetime.now(UTC)
    seven_years_ago = now - timedelta(days=7 * 366)
    create_case(seeded, OLD_URN, offence="Criminal damage")
    create_update(
        seeded,
        OLD_URN,
        "suspect-arrested",
        agency="police",
        agency_event_id="NR-1",
        occurred_at=seven_years_ago,
    )
    create_update(
        seeded,
        OLD_URN,
        "case-discontinued",
        agency="cps",
        agency_event_id="NR-2",
        occurred_at=seven_years_ago + timedelta(days=30),
        details={"reason": "not enough evidence"},
        announce=False,
    )
    add_victim_to_case(seeded, OLD_URN, DEMO_VICTIM_ID)  # Sam has live cases too: he stays
    with seeded.app_context(), db.job() as session:
        old = _case(session, OLD_URN)
        _records(session, old, DEMO_VICTIM_ID, Words("Old"))
        _records(session, _case(session, DEMO_CASE_URN), DEMO_VICTIM_ID, Words("Live"))
        assert _held(session, DEMO_VICTIM_ID, OLD_URN) == {
            "threads": 1,
            "messages": 3,
            "files": 2,
            "reminders": 1,
        }
        live_before = _held(session, DEMO_VICTIM_ID, DEMO_CASE_URN)
    with seeded.app_context():
        job.run(db.job, {**seeded.config, "RETENTION_BATCH_SIZE": 2}, now)
    with seeded.app_context(), db.job() as session:
        assert _case(session, OLD_URN).status == "anonymised"
        assert _held(session, DEMO_VICTIM_ID, OLD_URN) == {
            "threads": 0,
            "messages": 0,
            "files": 0,
            "reminders": 0,
        }
        left = _everything_written(session)
        old_words = Words("Old")
        for gone in (
            old_words.message,
            old_words.reply,
            old_words.note,
            old_words.contact_note,
            old_words.photo,
        ):
            assert gone not in left, gone
        assert _held(session, DEMO_VICTIM_ID, DEMO_CASE_URN) == live_before
        assert Words("Live").note in left and Words("Live").contact_note in left


def test_sec24_the_download_holds_their_messages_and_never_an_internal_note(sam_and_nia: Flask) -> None:
    client = signed_in(sam_and_nia, VICTIM)
    assert "your messages with the people working on your case" in page_text(
        client.get("/account/your-information")
    )
    post_form(client, "/account/your-information", {"password": DEMO_PASSWORD})
    sam, nia = Words("Sam"), Words("Nia")
    never = (sam.note, sam.contact_note, nia.message, nia.reply, nia.note, nia.photo, nia.letter, "Staysput")

    text = client.get("/account/your-information/your-information.json").get_data(as_text=True)
    for other in never:
        assert other not in text, other
    info = json.loads(text)
    (thread,) = [t for t in info["secure_messages"] if t["subject"] == "Sam outside my house"]
    assert thread["case_reference"] == DEMO_CASE_URN and thread["to_words"] == "Witness Care Unit"
    assert [(m["written_by"], m["text"], [f["name"] for f in m["files"]]) for m in thread["messages"]] == [
        ("You", sam.message, [sam.photo]),
        ("Written by Sunny Supporter for Sam Sample", sam.worker_message, []),
        ("Olu Officer, Demo Witness Care Unit", sam.reply, [sam.letter]),
    ]
    assert all(m["written_at"] for m in thread["messages"])
    assert [m["from_your_side"] for m in thread["messages"]] == [True, True, False]
    demo = next(t for t in info["secure_messages"] if t["subject"] != "Sam outside my house")
    assert demo["messages"][0]["files"][0] == {
        "name": DEMO_ATTACHMENT_NAME,
        "type": "application/pdf",
        "size_in_bytes": demo["messages"][0]["files"][0]["size_in_bytes"],
        "uploaded_at": demo["messages"][0]["files"][0]["uploaded_at"],
    }
    (call,) = info["contacts_recorded"]
    assert (call["how"], call["how_words"], call["told_by"], call["case_reference"]) == (
        "phone",
        "By phone",
        "Olu Officer",
        DEMO_CASE_URN,
    )
    assert call["told_at"] and call["about_updates"] and "note" not in call
    (reminder,) = info["hearing_reminders"]
    assert reminder["case_reference"] == DEMO_CASE_URN and reminder["hearing_at"].startswith("2027-03-17")
    assert (reminder["channel"], reminder["status"]) == ("email", "queued")

    page = client.get("/account/your-information/your-information.html")
    html = page.get_data(as_text=True)
    for other in never:
        assert other not in html, other
    words = page_text(page)
    for shown in (
        "Your messages with the people working on your case",
        sam.message,
        sam.reply,
        sam.photo,
        "Written by Sunny Supporter for Sam Sample",
        "Updates an officer told you about",
        "By phone",
        "Reminders before hearings",
    ):
        assert shown in words, shown
