"""Issue 16: "Download your information" holds the victim's requests with what they said in words, their
dates to avoid and needs at court (every version), the personal statements they are writing, and the names
of the statement documents they uploaded (never the documents themselves), in the JSON and on the page."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import statement_drafts as drafts_data
from portal.extensions import db
from portal.models import Case, StatementDocument, VictimRequest
from portal.services.court_needs import records
from portal.services.demo_data import DEMO_CASE_URN
from tests.requests.test_polish import STATEMENT_ANSWERS, submit
from tests.support.demo import DEMO_PASSWORD, demo_victim_id
from tests.support.pages import page_text, post_form

START = "/account/your-information"
HTML = "/account/your-information/your-information.html"
JSON = "/account/your-information/your-information.json"
PDF = b"%PDF-1.7 the secret bytes of my statement"
DRAFT_TEXT = "What I have written so far."


def _with_everything(app: Flask) -> str:
    """Court needs given twice, a statement being written with a document, and a statement sent with
    another document; returns the sent statement's reference."""
    victim_id = demo_victim_id(app)
    sent = submit(app, kind="statement", agency="cps", answers=STATEMENT_ANSWERS)
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        first = records.CourtNeeds(needs=(records.SCREENS,))
        records.record(
            session, victim_id, case.id, first, actor=None, actor_label="Sam", source="victim online", now=now
        )
        second = records.CourtNeeds(
            dates=(records.DateToAvoid(datetime(2027, 3, 14).date(), records.MORNING, "medical"),),
            needs=(records.SCREENS, records.INTERPRETER),
            interpreter_language="Polish",
        )
        records.record(
            session,
            victim_id,
            case.id,
            second,
            actor=None,
            actor_label="Sam",
            source="victim online",
            now=now,
        )
        drafts_data.save_draft(session, victim_id, case.id, "parole", DRAFT_TEXT, now)
        for name, request_id in (("my-draft.pdf", None), ("sent-statement.pdf", sent)):
            document = StatementDocument(
                victim_id=victim_id,
                case_id=case.id,
                purpose="parole" if request_id is None else "court",
                filename=name,
                content_type="application/pdf",
                size=len(PDF),
                content=PDF,
                uploaded_at=now,
            )
            if request_id is not None:
                document.request_id = session.scalar(
                    select(VictimRequest.id).where(VictimRequest.reference == sent)
                )
            session.add(document)
    return sent


def _download(client: FlaskClient, path: str) -> str:
    post_form(client, START, {"password": DEMO_PASSWORD})
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_json_holds_court_needs_statements_being_written_and_document_names(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    sent = _with_everything(seeded)
    complaint = submit(seeded)
    text = _download(victim_client, JSON)
    info = json.loads(text)
    [needs] = info["court_needs"]
    assert needs["case_reference"] == DEMO_CASE_URN
    assert [version["version"] for version in needs["history"]] == [1, 2]
    assert needs["current"]["interpreter_language"] == "Polish"
    assert needs["current"]["dates"] == [{"date": "2027-03-14", "part": "morning", "reason": "medical"}]
    [draft] = info["personal_statements"]["being_written"]
    assert (
        draft["text"] == DRAFT_TEXT
        and draft["for"] == "parole"
        and draft["document"]["name"] == "my-draft.pdf"
    )
    documents = {d["name"]: d["sent_with"] for d in info["personal_statements"]["documents_uploaded"]}
    assert documents == {"my-draft.pdf": None, "sent-statement.pdf": sent}
    assert "secret bytes" not in text and base64.b64encode(PDF).decode() not in text
    said = next(r for r in info["requests"] if r["reference"] == complaint)["what_you_said_in_words"]
    assert {"question": "When it happened", "answer": ["3 November 2026"]} in said
    said = next(r for r in info["requests"] if r["reference"] == sent)["what_you_said_in_words"]
    assert {"question": "Reading it out in court", "answer": ["I want someone to read it out for me"]} in said


def test_the_page_shows_them_in_words(seeded: Flask, victim_client: FlaskClient) -> None:
    sent = _with_everything(seeded)
    submit(seeded)
    page = page_text(_download(victim_client, HTML))
    assert "Your dates to avoid and needs at court" in page
    assert "14 March 2027: Morning, Medical appointment" in page
    assert "An interpreter" in page and "Polish" in page
    assert "Version 2 (current)" in page
    assert "Personal statements you have not sent yet" in page and DRAFT_TEXT in page
    assert f"sent-statement.pdf, uploaded 2 November 2026 at 10am, sent with {sent}" in page
    assert "my-draft.pdf, uploaded 2 November 2026 at 10am, not sent yet" in page
    assert "When it happened 3 November 2026" in page
    assert "I want someone to read it out for me" in page
    assert "secret bytes" not in page
