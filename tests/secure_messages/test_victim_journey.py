"""Issue 15: a victim writes a secure message from their case page: who to, subject and message with
files, check your answers, confirmation with the reference and the reply date; what they typed is kept
on the server through errors (files must be chosen again); the thread page shows the messages (never
internal notes), marks replies read, and takes a further message."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.models import Case, MessageAttachment, MessageThread, SecureMessage
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from portal.services.secure_messages import attachments, threads
from portal.services.vocabulary.deadlines import add_working_days, london_date
from portal.template_helpers import govuk_date
from tests.support.demo import demo_victim_id
from tests.support.pages import csrf_from, page_text, post_form

# The demo data has a thread on the demo case (to the Victim Liaison Officer): the journey uses the other.
BASE = f"/cases/{EARLIER_CASE_URN}/messages"
DEMO_BASE = f"/cases/{DEMO_CASE_URN}/messages"
BODY = "Someone has been waiting outside my house.\nWhat should I do?"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post_files(
    client: FlaskClient, url: str, fields: dict[str, str], files: list[tuple[str, bytes]]
) -> object:
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = MultiDict([("csrf_token", token), *fields.items()])
    for name, content in files:
        data.add("files", (io.BytesIO(content), name))
    return client.post(url, data=data, content_type="multipart/form-data")


def _threads(app: Flask) -> list[MessageThread]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(MessageThread)
                .join(Case, Case.id == MessageThread.case_id)
                .where(Case.urn == EARLIER_CASE_URN)
            )
        )
        db.session.expunge_all()
        return found


def test_write_a_message_from_the_case_page(victim_client: FlaskClient, seeded: Flask) -> None:
    case_page = victim_client.get(f"/cases/{EARLIER_CASE_URN}").get_data(as_text=True)
    assert f'href="{BASE}">Messages about this case</a>' in case_page
    listing = page_text(victim_client.get(BASE))
    assert "You have not sent any messages about this case." in listing
    assert "Write a message" in listing

    who = page_text(victim_client.get(f"{BASE}/new/who"))
    assert "Who do you want to write to? PC Jo Hughes, officer in the case Witness Care Unit" in who
    assert "Someone in the unit that keeps you up to date about going to court will reply." in who
    # On the demo case, every named contact, and the witness care officer's name with the unit.
    named = page_text(victim_client.get(f"{DEMO_BASE}/new/who"))
    assert "DC Sam Patel, officer in the case Jordan Ellis, Victim Liaison Officer Witness Care Unit" in named
    assert "Your witness care officer, Olive Officer, or someone else in the unit will reply." in named
    refused = post_form(victim_client, f"{BASE}/new/who", {"recipient": "court"})
    assert "There is a problem Select who you want to write to" in page_text(refused)
    chosen = post_form(victim_client, f"{BASE}/new/who", {"recipient": "witness-care"})
    assert chosen.location == f"{BASE}/new/message"

    # An empty subject and a bad file: each has its own error, and the message typed is kept.
    problem = _post_files(
        victim_client,
        f"{BASE}/new/message",
        {"subject": "", "body": BODY},
        [("photo.heic", b"not an image at all"), ("letter.pdf", PDF)],
    )
    text = page_text(problem)
    assert "There is a problem Enter a subject" in text
    assert "photo.heic must be a JPEG, PNG or PDF" in text
    assert "Files are not kept when there is a problem: choose them again." in text
    assert BODY in problem.get_data(as_text=True)
    assert BODY in victim_client.get(f"{BASE}/new/message").get_data(as_text=True)  # kept on the server

    too_long = post_form(victim_client, f"{BASE}/new/message", {"subject": "Outside", "body": "x" * 5001})
    assert "A message must be 5,000 characters or fewer" in page_text(too_long)

    done = _post_files(
        victim_client,
        f"{BASE}/new/message",
        {"subject": "Someone outside", "body": BODY},
        [("letter.pdf", PDF)],
    )
    assert done.location == f"{BASE}/new/check"
    # Back on the page, the file is still to be sent; it can be removed, and chosen again.
    assert "Files to send letter.pdf" in page_text(victim_client.get(f"{BASE}/new/message"))
    removed = post_form(
        victim_client,
        f"{BASE}/new/message",
        {"subject": "Someone outside", "body": BODY, "action": "remove-files"},
    )
    assert removed.location == f"{BASE}/new/message"
    assert "Files No files" in page_text(victim_client.get(f"{BASE}/new/check"))
    _post_files(
        victim_client,
        f"{BASE}/new/message",
        {"subject": "Someone outside", "body": BODY},
        [("letter.pdf", PDF)],
    )
    due = add_working_days(london_date(datetime.now(UTC)), threads.DEFAULT_REPLY_DAYS)
    check = page_text(victim_client.get(f"{BASE}/new/check"))
    assert "To Witness Care Unit Change who it is to" in check
    assert "Subject Someone outside" in check
    assert "Message Someone has been waiting outside my house. What should I do?" in check
    assert "Files letter.pdf" in check
    assert f"They should reply by {govuk_date(due)}" in check
    assert _threads(seeded) == []

    sent = post_form(victim_client, f"{BASE}/new/check", {})
    assert sent.location == f"{BASE}/sent"
    [thread] = _threads(seeded)
    confirmation = page_text(victim_client.get(f"{BASE}/sent"))
    assert f"Message sent Your reference number {thread.reference}" in confirmation
    assert f"They should reply by {govuk_date(due)}." in confirmation
    assert thread.recipient == "witness-care" and thread.agency == "witness_care" and thread.reply_due == due
    with seeded.app_context():
        message = db.session.scalar(select(SecureMessage).where(SecureMessage.thread_id == thread.id))
        assert message is not None and message.body == BODY and message.author_label == "Sam Sample"
        [attachment] = db.session.scalars(
            select(MessageAttachment).where(MessageAttachment.message_id == message.id)
        ).all()
        assert attachment.message_id == message.id and attachment.filename == "letter.pdf"
    # The draft went with the message: a new message starts empty.
    assert BODY not in victim_client.get(f"{BASE}/new/message").get_data(as_text=True)

    listing = page_text(victim_client.get(BASE))
    assert f"Someone outside To Witness Care Unit Sent They should reply by {govuk_date(due)}" in listing


def test_the_thread_page_shows_replies_never_notes_and_takes_a_message(
    victim_client: FlaskClient, seeded: Flask
) -> None:
    victim_id = demo_victim_id(seeded)
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        thread, _ = threads.start(
            session,
            victim_id=victim_id,
            case=case,
            recipient="witness-care",
            subject="Court date",
            body="When is the trial?",
            written_by_user_id=None,
            author_label="Sam Sample",
        )
        threads.add_note(
            session,
            thread,
            body="Check with the listing office first",
            written_by_user_id=None,
            author_label="Jo",
        )
        reply = threads.add_reply(
            session, thread, body="The trial is on 3 March.", author_label="Witness Care Unit"
        )
        thread_id, reply_id = thread.id, reply.id
    url = f"{DEMO_BASE}/{thread_id}"

    listing = page_text(victim_client.get(DEMO_BASE))
    assert "Court date To Witness Care Unit Replied New reply" in listing
    page = page_text(victim_client.get(url))
    assert "When is the trial?" in page
    assert "Reply from Witness Care Unit New" in page and "The trial is on 3 March." in page
    assert "listing office" not in page
    with seeded.app_context():
        reply_row = db.session.get(SecureMessage, reply_id)
        assert reply_row is not None and reply_row.read_at is not None
    assert "Reply from Witness Care Unit New" not in page_text(victim_client.get(url))
    assert "New reply" not in page_text(victim_client.get(DEMO_BASE))

    empty = post_form(victim_client, url, {"body": "  "})
    assert "There is a problem Enter a message" in page_text(empty)
    bad_file = _post_files(victim_client, url, {"body": "Thank you."}, [("a.exe", b"MZ..")])
    assert "a.exe must be a JPEG, PNG or PDF" in page_text(bad_file)
    assert "Thank you." in bad_file.get_data(as_text=True)
    sent = post_form(victim_client, url, {"body": "Thank you."})
    assert sent.location == url
    again = page_text(victim_client.get(url))
    assert "Message sent. They should reply by" in again
    assert "You " in again and again.index("The trial is on 3 March.") < again.index("Thank you.")
    with seeded.app_context():
        stored = db.session.get(MessageThread, thread_id)
        assert stored is not None and stored.status == "new" and stored.reply_due is not None


def test_a_request_too_big_to_read_says_so_and_keeps_what_was_kept_before(
    victim_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_form(victim_client, f"{BASE}/new/who", {"recipient": "witness-care"})
    post_form(victim_client, f"{BASE}/new/message", {"subject": "Kept", "body": BODY})
    monkeypatch.setattr(attachments, "MAX_REQUEST_BYTES", 5000)
    refused = _post_files(
        victim_client, f"{BASE}/new/message", {"subject": "Kept", "body": BODY}, [("big.pdf", PDF * 200)]
    )
    assert refused.status_code == 303 and refused.location == f"{BASE}/new/message?problem=too-big"
    page = victim_client.get(refused.location)
    assert "The selected files must be smaller than 10MB each, and you can attach up to 5 files" in page_text(
        page
    )
    assert BODY in page.get_data(as_text=True)
