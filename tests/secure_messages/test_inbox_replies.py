"""Issue 15, what an officer does on a thread: status moves through the inbox's tabs, replies and internal
notes (the victim never sees a note), common replies put into the reply box without JavaScript, errors
that keep what was typed, the audit the victim sees, the officer's home, and the admin's reply target."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import MessageAttachment, MessageThread, Organisation, Role, SecureMessage
from portal.models.messages import ASSIGNED, CLOSED, NEW, TO_VICTIM, WAITING
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.secure_messages import attachments, threads
from portal.services.secure_messages.threads import NOTICE_PURPOSE
from portal.services.vocabulary.deadlines import add_working_days, london_date
from tests.secure_messages.test_inbox import LONG_AGO, status_of, write
from tests.support.builders import create_user
from tests.support.images import GPS_IFD, jpeg_with_exif, reopened
from tests.support.outbox import messages as outbox_messages
from tests.support.pages import page_text, post_form


def reference_of(app: Flask, thread_id: str) -> str:
    with app.app_context(), db.job() as session:
        thread = session.get(MessageThread, thread_id)
        assert thread is not None
        return thread.reference


def in_tab(client: FlaskClient, tab: str, subject: str) -> bool:
    return subject in client.get(f"/staff/messages?show={tab}").get_data(as_text=True)


def test_a_thread_moves_through_the_tabs(seeded: Flask, officer_client: FlaskClient) -> None:
    thread_id = write(seeded, "Moving question")
    page = f"/staff/messages/{thread_id}"
    assert in_tab(officer_client, "new", "Moving question")

    post_form(officer_client, f"{page}/change", {"change": "assign-to-me"}, page=page)
    assert status_of(seeded, thread_id) == ASSIGNED
    assert in_tab(officer_client, "mine", "Moving question")
    assert not in_tab(officer_client, "new", "Moving question")
    assert "Assigned to me (1)" in page_text(officer_client.get("/staff/messages"))

    post_form(officer_client, f"{page}/change", {"change": "unassign"}, page=page)
    assert status_of(seeded, thread_id) == NEW

    # A colleague in the unit takes it: it is theirs, not new and not the officer's.
    with seeded.app_context(), db.job() as session:
        unit = session.scalar(select(Organisation).where(Organisation.force_code == "01"))
        assert unit is not None
        colleague = create_user(
            session,
            "colleague@demo.example",
            role=Role.WITNESS_CARE_OFFICER,
            display_name="Cal Colleague",
            organisation_id=unit.id,
        )
        thread = session.get(MessageThread, thread_id)
        assert thread is not None
        threads.assign(session, thread, colleague.id)
    others = officer_client.get("/staff/messages?show=others").get_data(as_text=True)
    assert "Moving question" in others and "Cal Colleague" in others
    assert not in_tab(officer_client, "new", "Moving question")
    assert not in_tab(officer_client, "mine", "Moving question")

    told_before = len(outbox_messages(seeded, NOTICE_PURPOSE))
    response = post_form(
        officer_client, f"{page}/reply", {"reply": "We are on it.", "action": "send"}, page=page
    )
    assert response.status_code == 302
    assert status_of(seeded, thread_id) == WAITING
    assert in_tab(officer_client, "waiting", "Moving question")
    # The victim is told discreetly that there is a message (never its words).
    notices = outbox_messages(seeded, NOTICE_PURPOSE)
    assert len(notices) == told_before + 1
    assert "We are on it" not in f"{notices[-1].subject} {notices[-1].body}"

    post_form(officer_client, f"{page}/change", {"change": "close"}, page=page)
    assert status_of(seeded, thread_id) == CLOSED
    assert in_tab(officer_client, "closed", "Moving question")
    assert not in_tab(officer_client, "waiting", "Moving question")


def test_internal_notes_never_reach_the_victim(
    seeded: Flask, officer_client: FlaskClient, victim_client: FlaskClient
) -> None:
    thread_id = write(seeded, "About the notes")
    page = f"/staff/messages/{thread_id}"
    post_form(officer_client, f"{page}/note", {"note": "Spoke to the OIC, waiting on CPS"}, page=page)
    post_form(
        officer_client, f"{page}/reply", {"reply": "We will know on Friday.", "action": "send"}, page=page
    )

    officer_view = page_text(officer_client.get(page))
    assert "Internal note: the victim does not see this" in officer_view
    assert "Spoke to the OIC, waiting on CPS" in officer_view
    assert officer_view.index("Spoke to the OIC") < officer_view.index("We will know on Friday.")

    victim_html = victim_client.get(f"/cases/{DEMO_CASE_URN}/messages/{thread_id}").get_data(as_text=True)
    assert "We will know on Friday." in victim_html
    assert "Spoke to the OIC" not in victim_html
    assert "Internal note" not in victim_html


def test_reading_replying_and_notes_are_shown_to_the_victim(
    seeded: Flask, officer_client: FlaskClient, victim_client: FlaskClient
) -> None:
    thread_id = write(seeded, "Audited question")
    reference = reference_of(seeded, thread_id)
    page = f"/staff/messages/{thread_id}"
    officer_client.get("/staff/messages")  # a listing: not a look at the victim's information
    before = page_text(victim_client.get("/account/who-has-viewed"))
    assert reference not in before

    officer_client.get(page)
    post_form(officer_client, f"{page}/reply", {"reply": "Thanks, noted.", "action": "send"}, page=page)
    post_form(officer_client, f"{page}/note", {"note": "Internal only"}, page=page)

    seen = page_text(victim_client.get("/account/who-has-viewed"))
    assert f"a witness care officer, read your message {reference}" in seen
    assert f"a witness care officer, replied to your message {reference}" in seen
    assert f"a witness care officer, wrote a note for their team about your message {reference}" in seen
    assert "Internal only" not in seen


def reply_due_of(app: Flask, thread_id: str) -> date | None:
    with app.app_context(), db.job() as session:
        thread = session.get(MessageThread, thread_id)
        assert thread is not None
        return thread.reply_due


@pytest.mark.parametrize("overdue", [False, True])
def test_a_common_reply_goes_into_the_box_with_its_reply_by_date(
    seeded: Flask, officer_client: FlaskClient, overdue: bool
) -> None:
    thread_id = write(seeded, "Template question", now=LONG_AGO if overdue else None)
    page = f"/staff/messages/{thread_id}"
    # The thread's own reply-by date; once that has passed, the unit's 2 working days from today.
    promised = (
        add_working_days(london_date(datetime.now(UTC)), 2) if overdue else reply_due_of(seeded, thread_id)
    )
    assert promised is not None

    filled = post_form(
        officer_client,
        f"{page}/reply",
        {"reply_template": "received", "reply": "My own words.", "action": "use-template"},
        page=page,
    )
    assert filled.status_code == 200
    textarea = re.search(
        r'<textarea[^>]*name="reply"[^>]*>(.*?)</textarea>', page_text(filled, markup=True), re.S
    )
    assert textarea is not None
    assert f"will reply by {promised.day} {promised:%B %Y}." in textarea.group(1)
    assert "My own words." in textarea.group(1)
    assert status_of(seeded, thread_id) == NEW  # nothing sent


def test_errors_keep_what_the_officer_wrote(seeded: Flask, officer_client: FlaskClient) -> None:
    thread_id = write(seeded, "Error question")
    page = f"/staff/messages/{thread_id}"
    nothing_chosen = post_form(
        officer_client, f"{page}/reply", {"reply": "Kept", "action": "use-template"}, page=page
    )
    assert "Select a common reply to start from" in page_text(nothing_chosen)

    empty = post_form(officer_client, f"{page}/reply", {"reply": "  ", "action": "send"}, page=page)
    assert empty.status_code == 200
    assert "There is a problem" in page_text(empty) and "Enter a message" in page_text(empty)
    assert "<title>Error:" in empty.get_data(as_text=True)

    assert "Enter the note" in page_text(post_form(officer_client, f"{page}/note", {"note": ""}, page=page))
    long_note = "Too long. " * 501
    too_long = post_form(officer_client, f"{page}/note", {"note": long_note}, page=page)
    assert "must be 5,000 characters or fewer" in page_text(too_long)
    assert long_note.strip() in page_text(too_long, markup=True)

    token = re.search(r'name="csrf_token" value="([^"]+)"', officer_client.get(page).get_data(as_text=True))
    assert token is not None
    bad_file = officer_client.post(
        f"{page}/reply",
        data={
            "csrf_token": token.group(1),
            "reply": "Here is the form.",
            "action": "send",
            "files": [(io.BytesIO(b"MZ not a pdf"), "form.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert bad_file.status_code == 200
    assert "form.pdf must be a JPEG, PNG or PDF" in page_text(bad_file)
    assert "Here is the form." in page_text(bad_file, markup=True)
    with seeded.app_context(), db.job() as session:
        replies = session.scalar(
            select(func.count())
            .select_from(SecureMessage)
            .where(SecureMessage.thread_id == thread_id, SecureMessage.direction == TO_VICTIM)
        )
    assert replies == 0


def test_a_reply_carries_a_photo_without_its_location(seeded: Flask, officer_client: FlaskClient) -> None:
    thread_id = write(seeded, "Photo question")
    page = f"/staff/messages/{thread_id}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', officer_client.get(page).get_data(as_text=True))
    assert token is not None
    response = officer_client.post(
        f"{page}/reply",
        data={
            "csrf_token": token.group(1),
            "reply": "The map of the court.",
            "action": "send",
            "files": [(io.BytesIO(jpeg_with_exif()), "map.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with seeded.app_context(), db.job() as session:
        kept = session.scalars(select(MessageAttachment)).all()
        mine = [item for item in kept if item.filename == "map.jpg"]
    assert len(mine) == 1
    assert not reopened(mine[0].content).getexif().get_ifd(GPS_IFD)
    assert "map.jpg" in page_text(officer_client.get(page))


def test_files_over_the_request_limit_are_refused_before_reading(
    seeded: Flask, officer_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread_id = write(seeded, "Big files")
    page = f"/staff/messages/{thread_id}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', officer_client.get(page).get_data(as_text=True))
    assert token is not None
    monkeypatch.setattr(attachments, "MAX_REQUEST_BYTES", 4096)
    response = officer_client.post(
        f"{page}/reply",
        data={
            "csrf_token": token.group(1),
            "reply": "Too big",
            "action": "send",
            "files": [(io.BytesIO(b"x" * 8000), "big.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{page}?problem=too-big#files")
    shown = page_text(officer_client.get(f"{page}?problem=too-big"))
    assert "The files must be smaller than 10MB each, and 5 at most" in shown
    assert status_of(seeded, thread_id) == NEW


def test_the_officers_home_counts_messages_waiting(seeded: Flask, officer_client: FlaskClient) -> None:
    write(seeded, "Waiting one")
    write(seeded, "Overdue one", now=LONG_AGO)
    home = page_text(officer_client.get("/staff"))
    assert "Messages from victims 2 waiting for a reply 1 overdue" in home
    assert 'href="/staff/messages"' in officer_client.get("/staff").get_data(as_text=True)


def test_the_admin_sets_a_units_reply_target(seeded: Flask, admin_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        unit = session.scalar(select(Organisation).where(Organisation.force_code == "01"))
        assert unit is not None
        unit_id, name = unit.id, unit.name
    url = f"/admin/organisations/{unit_id}/edit"
    refused = post_form(
        admin_client,
        url,
        {"name": name, "kind": "witness_care_unit", "force_code": "01", "message_reply_days": "0"},
    )
    assert "Enter a whole number of working days from 1 to 20" in page_text(refused)
    saved = post_form(
        admin_client,
        url,
        {"name": name, "kind": "witness_care_unit", "force_code": "01", "message_reply_days": "5"},
    )
    assert saved.status_code == 302
    assert "replies to messages within 5 working days" in page_text(admin_client.get("/admin/organisations"))

    now = datetime(2026, 11, 30, 10, tzinfo=UTC)
    thread_id = write(seeded, "After the change", now=now)
    with seeded.app_context(), db.job() as session:
        thread = session.get(MessageThread, thread_id)
        assert thread is not None
        assert thread.reply_due == add_working_days(london_date(now), 5)
