"""Issue 15: files chosen while a victim writes a message are held in the database until the message is
sent (not in the draft, which every page of the journey reads and writes): they become the message's when
it is sent, are never carried into a later message once the draft is gone, and do not outlive the victim's
erasure or RETENTION_TOKEN_DAYS."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from portal.data import retention
from portal.extensions import db
from portal.models import MessageAttachment, PreferenceDraft
from portal.services.demo_data import EARLIER_CASE_URN
from portal.services.retention import job
from tests.support.demo import demo_victim_id
from tests.support.pages import csrf_from, page_text, post_form

BASE = f"/cases/{EARLIER_CASE_URN}/messages"
PDF = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"


def _write_with_file(client: FlaskClient) -> None:
    post_form(client, f"{BASE}/new/who", {"recipient": "witness-care"})
    url = f"{BASE}/new/message"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = MultiDict([("csrf_token", token), ("subject", "Outside"), ("body", "Someone was outside.")])
    data.add("files", (io.BytesIO(PDF), "letter.pdf"))
    assert client.post(url, data=data, content_type="multipart/form-data").location == f"{BASE}/new/check"


def _held(app: Flask) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(MessageAttachment)
                .where(MessageAttachment.message_id.is_(None))
            )
            or 0
        )


def test_a_file_is_held_in_the_database_not_the_draft_and_goes_with_the_message(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    _write_with_file(victim_client)
    assert _held(seeded) == 1
    with seeded.app_context():
        drafts = db.session.scalars(select(PreferenceDraft)).all()
        assert drafts and all(len(str(draft.document)) < 10_000 for draft in drafts)
    assert "Files letter.pdf" in page_text(victim_client.get(f"{BASE}/new/check"))
    post_form(victim_client, f"{BASE}/new/check", {})
    assert _held(seeded) == 0
    with seeded.app_context():
        sent = db.session.scalars(select(MessageAttachment).where(MessageAttachment.filename == "letter.pdf"))
        assert [len(file.content) for file in sent] == [len(PDF)]


def test_files_of_an_abandoned_draft_are_not_carried_into_a_new_message(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    _write_with_file(victim_client)
    with seeded.app_context(), db.job() as session:  # the draft is gone (signed out, or cleared)
        session.execute(delete(PreferenceDraft))
    post_form(victim_client, f"{BASE}/new/who", {"recipient": "witness-care"})
    post_form(victim_client, f"{BASE}/new/message", {"subject": "Another", "body": "No file this time."})
    assert "Files No files" in page_text(victim_client.get(f"{BASE}/new/check"))
    assert _held(seeded) == 0


def test_held_files_go_with_the_victims_erasure_and_after_the_token_retention(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    _write_with_file(victim_client)
    now = datetime.now(UTC)
    with seeded.app_context():
        job.run(db.job, seeded.config, now + timedelta(days=29))
    assert _held(seeded) == 1  # not yet
    with seeded.app_context():
        job.run(db.job, seeded.config, now + timedelta(days=31))
    assert _held(seeded) == 0
    _write_with_file(victim_client)
    assert _held(seeded) == 1
    with seeded.app_context(), db.job() as session:
        retention.clear_victim(session, demo_victim_id(seeded), now)
    assert _held(seeded) == 0
