"""Issue 15, secure messages through the agency API, over real HTTP with JWTs on the demo data: each
agency's system lists the messages it answers (police and witness care only on their force's cases; never
replies or internal notes), polls with `since`, downloads what was attached, and replies; the victim reads
the reply on their thread page and is told discreetly; another agency's or force's message is the same 404
as an id that is nobody's; bodies that are not valid are refused naming the field; every call is audited."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Case, MessageThread, SecureMessage
from portal.models.messages import TO_OFFICER_IN_CASE, TO_VICTIM, TO_WITNESS_CARE, WAITING
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.secure_messages import demo as messages_demo
from portal.services.secure_messages import threads
from tests.agency_api.conftest import agency, api_site, new_client  # noqa: F401 (fixtures)
from tests.agency_api.test_schemathesis import CHECKS, NEGATIVE_EXAMPLES, POSITIVE_EXAMPLES, _fuzz
from tests.support.agency_client import AgencyClient
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE, messages
from tests.support.pages import page_text
from tests.support.scenarios import create_other_unit

DEMO_MESSAGE_ID = messages_demo.DEMO_MESSAGE_ID
NOT_FOUND = {
    "status_code": 404,
    "errors": [
        {
            "error": "NotFoundError",
            "message": "Not found: no such resource, or it is outside what this API client can see",
        }
    ],
}


def _list(client: AgencyClient, **query: Any) -> requests.Response:
    return client.request("GET", "/api/v1/messages", params=query)


def _items(client: AgencyClient, **query: Any) -> list[dict[str, Any]]:
    response = _list(client, **query)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return list(response.json()["messages"])


def _reply(client: AgencyClient, message_id: str, body: Any) -> requests.Response:
    return client.request("POST", f"/api/v1/messages/{message_id}/replies", json=body)


def _refusal(response: requests.Response) -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == 400 and {e["error"] for e in body["errors"]} == {"ValidationError"}
    return [e["message"] for e in body["errors"]]


def _write(
    app: Flask,
    recipient: str,
    body: str = "Can you call me?",
    *,
    urn: str = DEMO_CASE_URN,
    victim_id: str = DEMO_VICTIM_ID,
    at: datetime | None = None,
) -> tuple[str, str]:
    """The victim starts a thread to `recipient`: (thread id, message id)."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        thread, message = threads.start(
            session,
            victim_id=victim_id,
            case=case,
            recipient=recipient,
            subject="A question",
            body=body,
            written_by_user_id=None,
            author_label="Sam Sample",
            now=at,
        )
        return thread.id, message.id


def test_each_agency_lists_the_messages_it_answers_with_their_files(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    [message] = _items(agency("probation"))
    assert message["id"] == DEMO_MESSAGE_ID
    assert (message["urn"], message["victim_id"], message["to"], message["author"]) == (
        DEMO_CASE_URN,
        DEMO_VICTIM_ID,
        "victim-liaison-officer",
        "Sam Sample",
    )
    assert message["thread_reference"] == messages_demo.DEMO_THREAD_REFERENCE
    assert message["body"].startswith("I have heard he may be released next month")
    assert (message["written_at"], message["reply_due"], message["replied_at"]) == (
        "2026-11-26T18:05:00Z",
        "2026-11-30",  # Thursday + 2 working days
        None,
    )
    [file] = message["attachments"]
    assert (file["filename"], file["content_type"], file["size"]) == (
        "demo-letter.pdf",
        "application/pdf",
        len(messages_demo.demo_pdf()),
    )
    download = agency("probation").request("GET", file["url"])
    assert download.status_code == 200 and download.content == messages_demo.demo_pdf()
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "demo-letter.pdf" in download.headers["Content-Disposition"]

    # The officer in the case is the police's to answer; the unit's own, witness care's; the CPS none.
    _police_thread, to_police = _write(seeded, TO_OFFICER_IN_CASE)
    _unit_thread, to_unit = _write(seeded, TO_WITNESS_CARE)
    assert [m["id"] for m in _items(agency("police"))] == [to_police]
    assert [m["id"] for m in _items(agency("witness_care"))] == [to_unit]
    assert _items(agency("cps")) == []
    assert [m["id"] for m in _items(agency("probation"))] == [DEMO_MESSAGE_ID]


def test_a_system_polls_with_since_and_misses_nothing(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    start = datetime.now(UTC) - timedelta(minutes=10)
    written = [
        _write(seeded, TO_OFFICER_IN_CASE, f"Message {n}", at=start + timedelta(minutes=n))[1]
        for n in range(5)
    ]
    seen: list[str] = []
    since: str | None = None
    pages = 0
    while True:
        payload = _list(police, limit=2, **({"since": since} if since else {})).json()
        seen += [item["id"] for item in payload["messages"]]
        since = payload["next_since"]
        pages += 1
        if not payload["more"]:
            break
    assert seen == written and pages == 3  # oldest first, each once
    assert _list(police, since=since).json() == {"messages": [], "next_since": since, "more": False}
    # The victim writes again on the same thread: only the new message is listed.
    with seeded.app_context(), db.job() as session:
        first = session.get(SecureMessage, written[0])
        assert first is not None
        thread = session.get(MessageThread, first.thread_id)
        assert thread is not None
        again = threads.add_from_victim_side(
            session, thread, body="Any news?", written_by_user_id=None, author_label="Sam Sample"
        )
        again_id = again.id
    assert [item["id"] for item in _items(police, since=since)] == [again_id]


def test_a_reply_reaches_the_victim_who_is_told_discreetly(
    seeded: Flask, agency: Callable[[str], AgencyClient], victim_client: FlaskClient
) -> None:
    probation = agency("probation")
    assert messages(seeded, threads.NOTICE_PURPOSE) == []
    words = "He will have licence conditions that stop him contacting you.\nI will call you on Tuesday."
    response = _reply(
        probation, DEMO_MESSAGE_ID, {"body": words, "author": "Victim Liaison Officer Jordan Ellis"}
    )
    assert response.status_code == 201, response.text
    reply = response.json()
    assert (reply["in_reply_to"], reply["urn"], reply["victim_id"], reply["body"], reply["author"]) == (
        DEMO_MESSAGE_ID,
        DEMO_CASE_URN,
        DEMO_VICTIM_ID,
        words,
        "Victim Liaison Officer Jordan Ellis",
    )
    with seeded.app_context(), db.job() as session:
        stored = session.get(SecureMessage, reply["id"])
        thread = session.get(MessageThread, messages_demo.DEMO_THREAD_ID)
        assert stored is not None and thread is not None
        assert (stored.direction, stored.by_api_client_id, thread.status) == (
            TO_VICTIM,
            probation.client_id,
            WAITING,
        )
    # The victim reads it on the thread's page, from whom it came.
    page = victim_client.get(f"/cases/{DEMO_CASE_URN}/messages/{messages_demo.DEMO_THREAD_ID}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "He will have licence conditions that stop him contacting you." in text
    assert "Victim Liaison Officer Jordan Ellis" in text
    # Told discreetly: that there is a new message, never what it says or who wrote it.
    [notice] = messages(seeded, threads.NOTICE_PURPOSE)
    assert notice.recipient == "victim@demo.example"
    said = (notice.subject + notice.body).lower()
    for secret in ("licence", "jordan", "tuesday", messages_demo.DEMO_THREAD_REFERENCE.lower()):
        assert secret not in said, secret
    assert not [word for word in NOT_IN_A_DISCREET_MESSAGE if word in said]
    # What the system reads back: the message is answered; without an author, the agency's name is shown.
    [listed] = _items(probation)
    assert listed["replied_at"] == reply["written_at"]
    plain = _reply(probation, DEMO_MESSAGE_ID, {"body": "Thank you."})
    assert plain.status_code == 201 and plain.json()["author"] == "Probation Service"


def test_other_agencies_other_forces_replies_and_notes_look_like_nothing(
    seeded: Flask, agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    _thread_id, to_police = _write(seeded, TO_OFFICER_IN_CASE)
    other = create_other_unit(seeded)  # force 02
    _other_thread, on_other = _write(
        seeded, TO_OFFICER_IN_CASE, urn=other["urn"], victim_id=other["victim_id"]
    )
    with seeded.app_context(), db.job() as session:
        thread = session.get(MessageThread, messages_demo.DEMO_THREAD_ID)
        assert thread is not None
        note = threads.add_note(
            session, thread, body="Checked the licence.", written_by_user_id=None, author_label="VLO"
        )
        answer = threads.add_reply(session, thread, body="We will call you.", author_label="VLO")
        note_id, answer_id = note.id, answer.id
    police_elsewhere = new_client("police", force_code="02")
    # Feeds: each only its own; the other force's police sees the message on its case, and only that.
    assert [m["id"] for m in _items(agency("police"))] == [to_police]
    assert [m["id"] for m in _items(police_elsewhere)] == [on_other]
    assert [m["id"] for m in _items(agency("probation"))] == [DEMO_MESSAGE_ID]  # not the note, not the reply
    assert _items(agency("cps")) == [] and _items(new_client("witness_care", force_code="02")) == []
    attachment = f"/api/v1/messages/{DEMO_MESSAGE_ID}/attachments/{messages_demo.DEMO_ATTACHMENT_ID}"
    for client, message_id in (
        (police_elsewhere, to_police),  # another force's case
        (agency("police"), on_other),
        (agency("cps"), DEMO_MESSAGE_ID),  # another agency's thread
        (agency("police"), DEMO_MESSAGE_ID),
        (agency("witness_care"), to_police),
        (agency("probation"), note_id),  # an internal note, a reply
        (agency("probation"), answer_id),
        (agency("probation"), str(uuid.uuid4())),
        (agency("probation"), "not-an-id"),
    ):
        response = _reply(client, message_id, {"body": "Hello"})
        assert response.status_code == 404 and response.json() == NOT_FOUND, message_id
    for client, path in (
        (agency("police"), attachment),
        (agency("cps"), attachment),
        (agency("probation"), f"/api/v1/messages/{DEMO_MESSAGE_ID}/attachments/{uuid.uuid4()}"),
        (agency("probation"), f"/api/v1/messages/{answer_id}/attachments/{messages_demo.DEMO_ATTACHMENT_ID}"),
    ):
        response = client.request("GET", path)
        assert response.status_code == 404 and response.json() == NOT_FOUND, path
    with seeded.app_context(), db.job() as session:
        replies = session.scalar(
            select(func.count()).select_from(SecureMessage).where(SecureMessage.direction == TO_VICTIM)
        )
    assert replies == 1  # only the one written above


def test_a_body_that_is_not_valid_is_refused_naming_the_field(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    probation = agency("probation")
    for body, message in (
        ({}, "body: is required"),
        ({"author": "VLO"}, "body: is required"),
        ({"body": ""}, "body: must be at least 1 characters"),
        ({"body": "x" * 5001}, "body: must be 5000 characters or fewer"),
        ({"body": "   \n "}, "body: must contain words, not only spaces"),
        ({"body": "Bell\x07"}, "body: must not contain control characters other than line breaks and tabs"),
        (
            {"body": "Hi", "author": "A\nB"},
            "author: must not contain control characters (such as a tab, a line break or an escape)",
        ),
        ({"body": "Hi", "author": "x" * 101}, "author: must be 100 characters or fewer"),
        ({"body": "Hi", "urgent": True}, "urgent: is not a field this accepts (unknown fields are refused)"),
        (["Hi"], "body: must be of type object"),
    ):
        assert _refusal(_reply(probation, DEMO_MESSAGE_ID, body)) == [message], body
    as_form = probation.request("POST", f"/api/v1/messages/{DEMO_MESSAGE_ID}/replies", data={"body": "Hi"})
    assert as_form.status_code == 415
    for query, message in (
        ({"since": "yesterday"}, "since: is not a valid date-time"),
        ({"limit": "0"}, "limit: must be at least 1"),
        ({"limit": "501"}, "limit: must be at most 500"),
        ({"sort": "newest"}, "sort: is not a field this accepts (unknown fields are refused)"),
    ):
        assert _refusal(_list(probation, **query)) == [message], query
    # A 5000-character reply is fine; nothing refused was kept, and the victim was told once.
    assert _reply(probation, DEMO_MESSAGE_ID, {"body": "x" * 5000}).status_code == 201
    with seeded.app_context(), db.job() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(SecureMessage).where(SecureMessage.direction == TO_VICTIM)
            )
            == 1
        )
    assert len(messages(seeded, threads.NOTICE_PURPOSE)) == 1


def test_every_call_is_audited_and_the_victim_sees_what_the_system_did(
    seeded: Flask, agency: Callable[[str], AgencyClient], victim_client: FlaskClient
) -> None:
    probation = agency("probation")
    with seeded.app_context(), db.job() as session:
        before = session.scalar(select(func.max(AuditEvent.id))) or 0
    assert _list(probation).status_code == 200
    attachment = f"/api/v1/messages/{DEMO_MESSAGE_ID}/attachments/{messages_demo.DEMO_ATTACHMENT_ID}"
    assert probation.request("GET", attachment).status_code == 200
    assert _reply(probation, DEMO_MESSAGE_ID, {"body": "Thank you."}).status_code == 201
    assert _reply(agency("cps"), DEMO_MESSAGE_ID, {"body": "Thank you."}).status_code == 404
    assert _list(probation, since="2026-11-27T00:00:00Z").json()["messages"] == []
    with seeded.app_context(), db.job() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > before, AuditEvent.action.startswith("api."))
            .order_by(AuditEvent.id)
        ).all()
    calls = [(e.actor_label, e.action, e.detail["status_code"], e.subject_victim_id) for e in events]
    assert calls == [
        ("Demo probation", "api.read_message", 200, DEMO_VICTIM_ID),  # one a message listed
        ("Demo probation", "api.read_messages", 200, None),
        ("Demo probation", "api.read_message_attachment", 200, DEMO_VICTIM_ID),
        ("Demo probation", "api.reply_to_message", 201, DEMO_VICTIM_ID),
        ("Demo CPS", "api.reply_to_message", 404, None),
        ("Demo probation", "api.read_messages", 200, None),  # nothing listed: nobody's message read
    ]
    assert events[1].detail["count"] == 1 and events[3].detail["message_id"] == DEMO_MESSAGE_ID
    # "Who has viewed your information": the agency's system, by name, and what it did.
    seen = page_text(victim_client.get("/account/who-has-viewed"))
    reference = messages_demo.DEMO_THREAD_REFERENCE
    for what in (
        f"read your message {reference}",
        f"downloaded a file from your message {reference}",
        f"replied to your message {reference}",
    ):
        assert what in seen, what
    assert seen.count("Demo probation") == 3 and "Demo CPS" not in seen


OPERATIONS = [("/api/v1/messages", "GET"), ("/api/v1/messages/{id}/replies", "POST")]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_no_broken_response(
    api_site: str, path: str, method: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{api_site}/api/v1/openapi.json")
    operation = schema[path][method]
    # Half the cases aim at the demo message (so they reach the handler); the rest anywhere.
    aimed = {"path_parameters": {"id": DEMO_MESSAGE_ID}} if "{id}" in path else {}
    positive = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        *([operation.as_strategy(GenerationMode.POSITIVE, **aimed)] if aimed else []),
    )
    negative = operation.as_strategy(GenerationMode.NEGATIVE, **aimed)
    http = requests.Session()
    _fuzz(api_site, http, positive, POSITIVE_EXAMPLES, CHECKS)
    _fuzz(api_site, http, negative, NEGATIVE_EXAMPLES, [*CHECKS, negative_data_rejection])
