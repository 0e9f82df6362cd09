"""Issue 15: a support worker whom the victim lets "Send messages for me" reads the victim's messages and
writes for them (signed "written by <worker> for <victim>"), never sees internal notes, and every look
is shown to the victim; without the scope, or for another victim, every messages page is a 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation, MessageThread, SecureMessage
from portal.services.delegation.rules import today_in_london
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from portal.services.secure_messages import threads
from portal.services.secure_messages.demo import DEMO_SUBJECT, DEMO_THREAD_ID
from tests.support.builders import create_delegation
from tests.support.demo import SUPPORT_WORKER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.scenarios import OTHER_VICTIM_URN, make_world
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.usefixtures("seeded")


def _note_and_reply(app: Flask) -> None:
    with app.app_context(), db.job() as session:
        thread = session.get(MessageThread, DEMO_THREAD_ID)
        assert thread is not None
        threads.add_note(
            session, thread, body="Ask the prison first", written_by_user_id=None, author_label="Jo"
        )
        threads.add_reply(session, thread, body="There will be an exclusion zone.", author_label="Probation")


def test_with_the_scope_the_worker_reads_and_writes_for_the_victim(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["send-messages"])
    _note_and_reply(seeded)
    worker = signed_in(seeded, SUPPORT_WORKER)
    base = f"/support/clients/{world.victim}"

    client_page = page_text(worker.get(base))
    assert "Send messages for them" in client_page and "Read and send messages for them" in client_page
    cases = page_text(worker.get(f"{base}/messages"))
    assert "Assault reference 01YZ1234524" in cases
    listing = page_text(worker.get(f"{base}/cases/{DEMO_CASE_URN}/messages"))
    assert f"{DEMO_SUBJECT} To Jordan Ellis, Victim Liaison Officer Replied New reply" in listing
    thread = page_text(worker.get(f"{base}/cases/{DEMO_CASE_URN}/messages/{DEMO_THREAD_ID}"))
    assert "Reply from Probation" in thread and "There will be an exclusion zone." in thread
    assert re.search(r"Sam Sample [^.]* at [0-9:]+pm I have heard he may be released", thread)
    assert "Ask the prison first" not in thread

    new = f"{base}/cases/{EARLIER_CASE_URN}/messages/new"
    refused = post_form(
        worker, new, {"recipient": "", "subject": "Victim Personal Statement", "body": "Can Sam"}
    )
    text = page_text(refused)
    assert "There is a problem Select who you want to write to" in text
    assert 'value="Victim Personal Statement"' in refused.get_data(as_text=True) and "Can Sam" in text
    sent = post_form(
        worker,
        new,
        {"recipient": "witness-care", "subject": "Victim Personal Statement", "body": "Can Sam read it out?"},
    )
    with seeded.app_context():
        started = db.session.scalar(
            select(MessageThread).where(MessageThread.subject == "Victim Personal Statement")
        )
        assert started is not None
        message = db.session.scalar(select(SecureMessage).where(SecureMessage.thread_id == started.id))
        assert message is not None
        assert message.written_by_user_id == world.worker
        assert message.author_label == "Sunny Supporter for Sam Sample"
        started_id, reference = started.id, started.reference
    url = f"{base}/cases/{EARLIER_CASE_URN}/messages/{started_id}"
    assert sent.location == url
    assert "Written by Sunny Supporter for Sam Sample" in page_text(worker.get(url))

    sam = signed_in(seeded, VICTIM)
    victims_view = page_text(sam.get(f"/cases/{EARLIER_CASE_URN}/messages/{started_id}"))
    assert re.search(r"Written by Sunny Supporter for Sam Sample [^.]* Can Sam read it out\?", victims_view)
    viewed = page_text(sam.get("/account/who-has-viewed"))
    assert f"looked at your messages about your case {DEMO_CASE_URN}" in viewed
    assert f"read your message {reference}" in viewed


def test_without_the_scope_or_for_another_victim_every_messages_page_is_not_found(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["see-updates", "receive-copies"])
    create_delegation(seeded, world.other_victim, worker=world.stranger, scopes=["send-messages"])
    with seeded.app_context(), db.job() as session:
        other = session.scalar(select(MessageThread).where(MessageThread.id == DEMO_THREAD_ID))
        assert other is not None
    pages = [
        "/messages",
        f"/cases/{DEMO_CASE_URN}/messages",
        f"/cases/{DEMO_CASE_URN}/messages/new",
        f"/cases/{DEMO_CASE_URN}/messages/{DEMO_THREAD_ID}",
    ]
    worker = signed_in(seeded, SUPPORT_WORKER)
    assert "Read and send messages" not in page_text(worker.get(f"/support/clients/{world.victim}"))
    for page in pages:
        assert worker.get(f"/support/clients/{world.victim}{page}").status_code == 404, page
    # A worker who may send messages for Nia: Sam's case and thread stay out of reach, through Nia too.
    stranger = signed_in(seeded, "stranger@demo.example")
    assert (
        stranger.get(f"/support/clients/{world.other_victim}/cases/{OTHER_VICTIM_URN}/messages").status_code
        == 200
    )
    for page in pages:
        assert stranger.get(f"/support/clients/{world.victim}{page}").status_code == 404, page
    assert (
        stranger.get(f"/support/clients/{world.other_victim}/cases/{DEMO_CASE_URN}/messages").status_code
        == 404
    )
    through_nia = f"/support/clients/{world.other_victim}/cases/{OTHER_VICTIM_URN}/messages/{DEMO_THREAD_ID}"
    assert stranger.get(through_nia).status_code == 404
    assert (
        post_form(
            stranger, through_nia, {"body": "hello"}, page=f"/support/clients/{world.other_victim}"
        ).status_code
        == 404
    )


def test_the_victim_grants_send_messages_on_their_pages_and_the_worker_can_then_write(seeded: Flask) -> None:
    world = make_world(seeded)
    sam = signed_in(seeded, VICTIM)
    new = "/people-helping-you/new"
    post_form(sam, f"{new}/who", {"kind": "person"})
    post_form(sam, f"{new}/email", {"email": SUPPORT_WORKER})
    what = page_text(sam.get(f"{new}/what"))
    assert (
        "Send messages for me Write to the people working on your case for you, and read their replies."
        in what
    )
    assert post_form(sam, f"{new}/what", {"scopes": ["send-messages"]}).status_code == 302
    last_day = today_in_london() + timedelta(days=40)
    until = {
        "ends-on-day": str(last_day.day),
        "ends-on-month": str(last_day.month),
        "ends-on-year": str(last_day.year),
    }
    post_form(sam, f"{new}/until", until)
    assert "Send messages for me" in page_text(sam.get(f"{new}/check"))
    assert post_form(sam, f"{new}/check", {}).status_code == 302

    worker = signed_in(seeded, SUPPORT_WORKER)
    messages_page = f"/support/clients/{world.victim}/cases/{DEMO_CASE_URN}/messages"
    assert worker.get(messages_page).status_code == 404  # not accepted yet
    with seeded.app_context():
        delegation_id = db.session.scalars(select(Delegation.id)).one()
    post_form(worker, f"/support/invitations/{delegation_id}/accept", {}, page="/support")
    assert "Send messages for them" in page_text(worker.get(f"/support/clients/{world.victim}"))
    assert DEMO_SUBJECT in page_text(worker.get(messages_page))
