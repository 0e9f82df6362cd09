"""Issue 15: a victim reaches only their own threads, on their own cases, through that case's reference:
another victim's case or thread, or their own thread through another case's URN, is a 404 on every
messages page (reading and writing), exactly like something that does not exist."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, MessageThread
from portal.services.demo_data import DEMO_CASE_URN, EARLIER_CASE_URN
from portal.services.secure_messages import threads
from portal.services.secure_messages.demo import DEMO_THREAD_ID
from tests.support.builders import add_victim_to_case
from tests.support.demo import VICTIM
from tests.support.pages import post_form
from tests.support.scenarios import OTHER_VICTIM_URN, make_world
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.usefixtures("seeded")


def _nias_thread(app: Flask, victim_id: str, urn: str = OTHER_VICTIM_URN) -> str:
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        thread, _ = threads.start(
            session,
            victim_id=victim_id,
            case=case,
            recipient="witness-care",
            subject="Nia's question",
            body="Private words",
            written_by_user_id=None,
            author_label="Nia Newperson",
        )
        return thread.id


def test_another_victims_case_and_threads_and_a_thread_through_another_urn_are_not_found(
    seeded: Flask,
) -> None:
    world = make_world(seeded)
    nias = _nias_thread(seeded, world.other_victim)
    # Nia is a victim on Sam's case too: her thread there is hers alone.
    add_victim_to_case(seeded, DEMO_CASE_URN, world.other_victim)
    nias_on_shared = _nias_thread(seeded, world.other_victim, DEMO_CASE_URN)
    sam = signed_in(seeded, VICTIM)
    ok = f"/cases/{DEMO_CASE_URN}/messages/{DEMO_THREAD_ID}"
    assert sam.get(ok).status_code == 200
    other_case = f"/cases/{OTHER_VICTIM_URN}/messages"
    not_found = [
        other_case,
        f"{other_case}/new/who",
        f"{other_case}/new/message",
        f"{other_case}/new/check",
        f"{other_case}/sent",
        f"{other_case}/{nias}",  # Nia's thread through her case
        f"/cases/{DEMO_CASE_URN}/messages/{nias}",  # Nia's thread through Sam's case
        f"/cases/{EARLIER_CASE_URN}/messages/{DEMO_THREAD_ID}",  # Sam's thread through his other case
        f"/cases/{DEMO_CASE_URN}/messages/{nias_on_shared}",  # Nia's thread on the case they share
        f"/cases/{DEMO_CASE_URN}/messages/no-such-thread",
    ]
    for url in not_found:
        assert sam.get(url).status_code == 404, url
    assert "Nia's question" not in sam.get(f"/cases/{DEMO_CASE_URN}/messages").get_data(as_text=True)
    for url in not_found[5:9]:
        assert post_form(sam, url, {"body": "Hello"}, page=ok).status_code == 404, url
    with seeded.app_context():
        theirs = db.session.scalars(select(MessageThread).where(MessageThread.id == nias)).one()
        assert theirs.status == "new" and len(list(db.session.scalars(select(MessageThread)))) == 3


def test_staff_and_support_workers_cannot_use_the_victims_pages(seeded: Flask) -> None:
    for email in ("officer@demo.example", "support@demo.example"):
        client = signed_in(seeded, email)
        for url in (f"/cases/{DEMO_CASE_URN}/messages", f"/cases/{DEMO_CASE_URN}/messages/{DEMO_THREAD_ID}"):
            assert client.get(url).status_code == 404, (email, url)
