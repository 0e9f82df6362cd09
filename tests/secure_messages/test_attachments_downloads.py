"""Downloading files attached to secure messages: only for people who may read the thread, never the
files of an internal note to the victim's side, always as a download that is not sniffed or stored, and
audited for officers and support workers (portal/*/message_files_routes.py, services/common/
message_access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Case, Delegation
from portal.models.delegations import SEE_UPDATES, SEND_MESSAGES
from portal.models.messages import TO_WITNESS_CARE
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.secure_messages import attachments, threads
from tests.support.builders import create_delegation
from tests.support.demo import OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.images import GPS_IFD, MAKE, PDF, SECRET_PLACE, jpeg_with_exif, reopened
from tests.support.pages import page_text
from tests.support.scenarios import OTHER_VICTIM_URN, create_other_unit, make_world
from tests.support.signing_in import signed_in

PHOTO_NAME = "Llun o'r drws – ffôn.jpg"  # not ASCII: RFC 6266's filename* carries it exactly


@dataclass(frozen=True)
class Thread:
    """The demo victim's thread to witness care on the demo case: their message with a photo, the unit's
    reply with a letter, and an internal note with a file of the unit's."""

    id: str
    reference: str
    photo: str
    letter: str
    note_file: str
    victim_id: str
    others_file: str  # on a thread of another victim (Nia) on a case of the same unit

    def victim_url(self, file: str, urn: str = DEMO_CASE_URN, thread_id: str | None = None) -> str:
        return f"/cases/{urn}/messages/{thread_id or self.id}/files/{file}"

    def worker_url(self, file: str) -> str:
        return f"/support/clients/{self.victim_id}/cases/{DEMO_CASE_URN}/messages/{self.id}/files/{file}"

    def officer_url(self, file: str) -> str:
        return f"/staff/messages/{self.id}/files/{file}"


@pytest.fixture
def thread(seeded: Flask) -> Thread:
    world = make_world(seeded)  # the demo delegation removed; another victim, Nia, on the demo unit's case
    create_delegation(seeded, world.victim, worker=world.worker, scopes=[SEND_MESSAGES])
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        started, message = threads.start(
            session,
            victim_id=world.victim,
            case=case,
            recipient=TO_WITNESS_CARE,
            subject="He came to the house",
            body="Here is a photo of him at my door.",
            written_by_user_id=None,
            author_label="Sam Sample",
        )
        photo = attachments.attach(session, message, [attachments.check_upload(PHOTO_NAME, jpeg_with_exif())])
        reply = threads.add_reply(session, started, body="Thank you.", author_label="Witness Care Unit")
        letter = attachments.attach(session, reply, [attachments.check_upload("letter.pdf", PDF)])
        note = threads.add_note(
            session, started, body="Passed to the OIC.", written_by_user_id=None, author_label="Olive Officer"
        )
        note_file = attachments.attach(session, note, [attachments.check_upload("intel.pdf", PDF)])
        nia_case = session.scalar(select(Case).where(Case.urn == OTHER_VICTIM_URN))
        assert nia_case is not None
        _other, nia_message = threads.start(
            session,
            victim_id=world.other_victim,
            case=nia_case,
            recipient=TO_WITNESS_CARE,
            subject="My letter",
            body="Attached.",
            written_by_user_id=None,
            author_label="Nia Newperson",
        )
        others = attachments.attach(session, nia_message, [attachments.check_upload("nia.pdf", PDF)])
        ids = (photo[0].id, letter[0].id, note_file[0].id)
        return Thread(started.id, started.reference, *ids, world.victim, others[0].id)


@pytest.mark.security(8)
def test_sec08_the_victim_downloads_their_photo_without_its_location_as_a_file_never_stored(
    thread: Thread, victim_client: FlaskClient
) -> None:
    response = victim_client.get(thread.victim_url(thread.photo))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Llun o'r drws  ffon.jpg\"; filename*=UTF-8''" + quote(PHOTO_NAME, safe="")
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    photo = reopened(response.data)
    assert MAKE not in photo.getexif() and not photo.getexif().get_ifd(GPS_IFD)
    assert SECRET_PLACE.encode() not in response.data

    letter = victim_client.get(thread.victim_url(thread.letter))
    assert (letter.status_code, letter.data, letter.headers["Content-Type"]) == (200, PDF, "application/pdf")
    assert letter.headers["Content-Disposition"].startswith('attachment; filename="letter.pdf"')


@pytest.mark.security(11)
def test_sec11_only_people_who_may_read_the_thread_get_its_files(seeded: Flask, thread: Thread) -> None:
    other = create_other_unit(seeded)
    victim, officer, worker = (
        signed_in(seeded, VICTIM),
        signed_in(seeded, OFFICER),
        signed_in(seeded, SUPPORT_WORKER),
    )
    allowed = [
        (victim, thread.victim_url(thread.photo)),
        (victim, thread.victim_url(thread.letter)),
        (worker, thread.worker_url(thread.photo)),
        (worker, thread.worker_url(thread.letter)),
        (officer, thread.officer_url(thread.photo)),
        (officer, thread.officer_url(thread.note_file)),
    ]
    for client, url in allowed:
        assert client.get(url).status_code == 200, url

    nia, pat = signed_in(seeded, "nia@demo.example"), signed_in(seeded, "pat@demo.example")
    other_officer = signed_in(seeded, "other.officer@demo.example")
    refused = [
        # An internal note's file, to the victim's side.
        (victim, thread.victim_url(thread.note_file)),
        (worker, thread.worker_url(thread.note_file)),
        # Another victim: through the demo case, or through their own case.
        (nia, thread.victim_url(thread.photo)),
        (nia, thread.victim_url(thread.photo, urn=OTHER_VICTIM_URN)),
        (pat, thread.victim_url(thread.photo, urn=other["urn"])),
        # The right victim, through another of their cases, or through a file id that is another thread's.
        (victim, thread.victim_url(thread.photo, urn="01AB5432123")),
        (victim, thread.victim_url(thread.photo, thread_id=thread.photo)),
        (victim, thread.victim_url(thread.others_file)),
        (worker, thread.worker_url(thread.others_file)),
        (officer, thread.officer_url(thread.others_file)),
        # Another unit's officer; a victim or a support worker on the officer's route.
        (other_officer, thread.officer_url(thread.photo)),
        (victim, thread.officer_url(thread.photo)),
        (worker, thread.officer_url(thread.photo)),
        (officer, thread.victim_url(thread.photo)),
        # A support worker for someone else, or a support worker of another organisation.
        (signed_in(seeded, "stranger@demo.example"), thread.worker_url(thread.photo)),
    ]
    for client, url in refused:
        assert client.get(url).status_code == 404, url


@pytest.mark.security(12)
def test_sec12_a_support_worker_without_send_messages_gets_no_file(seeded: Flask, thread: Thread) -> None:
    with seeded.app_context(), db.job() as session:
        for delegation in session.scalars(select(Delegation)):
            delegation.scopes = [SEE_UPDATES]
    worker = signed_in(seeded, SUPPORT_WORKER)

    assert worker.get(thread.worker_url(thread.photo)).status_code == 404


@pytest.mark.security(13)
def test_sec13_officer_and_support_worker_downloads_are_audited_and_shown_to_the_victim(
    seeded: Flask, thread: Thread, victim_client: FlaskClient
) -> None:
    signed_in(seeded, OFFICER).get(thread.officer_url(thread.photo))
    signed_in(seeded, SUPPORT_WORKER).get(thread.worker_url(thread.letter))
    victim_client.get(thread.victim_url(thread.photo))  # the victim's own download is not a view

    with seeded.app_context(), db.job() as session:
        events = [
            event
            for event in session.scalars(select(AuditEvent))
            if (event.detail or {}).get("what") == f"file on message {thread.reference}"
        ]
        assert sorted(event.actor_label for event in events) == ["Olive Officer", "Sunny Supporter"]
        assert {event.subject_victim_id for event in events} == {thread.victim_id}

    text = page_text(victim_client.get("/account/who-has-viewed"))
    assert text.count(f"downloaded a file from your message {thread.reference}") == 2
