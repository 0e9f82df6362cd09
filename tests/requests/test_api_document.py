"""Issue 16, part 3, through the agency API over real HTTP with JWTs: the document a victim uploaded with
their Victim Personal Statement is downloaded by the agency the statement is for (the CPS for the court),
byte for byte, as an attachment that is never sniffed or cached; every other agency, a request with no
document and an id that is nobody's all get the same 404; each download is audited with its victim."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

from collections.abc import Callable

import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, StatementDocument
from portal.services.demo_data import DEMO_REVIEW_ID, DEMO_VICTIM_ID
from tests.agency_api.conftest import agency, api_site  # noqa: F401 (fixtures)
from tests.requests.test_statement_upload import BASE, PDF, docx, upload
from tests.support.agency_client import AgencyClient
from tests.support.pages import post_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _send_statement(app: Flask, client: FlaskClient, content: bytes, filename: str) -> str:
    """The demo victim sends a statement for the court with only a document; returns the request id."""
    upload(client, content, filename, text="")
    post_form(client, f"{BASE}/read-aloud", {"choice": "no-preference"})
    assert post_form(client, f"{BASE}/check", {"understood": "y"}).status_code == 302
    with app.app_context(), db.job() as session:
        request_id = session.scalar(
            select(StatementDocument.request_id).where(StatementDocument.filename == filename)
        )
    assert request_id is not None
    return request_id


def _document(client: AgencyClient, request_id: str) -> requests.Response:
    return client.request("GET", f"/api/v1/requests/{request_id}/document")


def _last_audit(app: Flask, after: int) -> list[AuditEvent]:
    with app.app_context(), db.job() as session:
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.id > after, AuditEvent.action == "api.read_request_document")
                .order_by(AuditEvent.id)
            )
        )
        session.expunge_all()
    return events


def _audit_mark(app: Flask) -> int:
    with app.app_context(), db.job() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def test_the_cps_downloads_the_statements_document_as_the_victim_sent_it(
    seeded: Flask, victim_client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    request_id = _send_statement(seeded, victim_client, PDF, "My statement.pdf")
    cps = agency("cps")
    # It is listed with its document's name and type, and the document is a download.
    [listed] = [r for r in cps.request("GET", "/api/v1/requests").json()["requests"] if r["id"] == request_id]
    assert listed["answers"]["document"]["content_type"] == "application/pdf"
    mark = _audit_mark(seeded)
    response = _document(cps, request_id)
    assert response.status_code == 200, response.text
    assert response.content == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "My statement.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    [audited] = _last_audit(seeded, mark)
    assert audited.actor_label == "Demo CPS" and audited.subject_victim_id == DEMO_VICTIM_ID
    assert audited.detail["request_id"] == request_id and audited.detail["status_code"] == 200


def test_a_word_document_keeps_its_type(
    seeded: Flask, victim_client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    content = docx()
    request_id = _send_statement(seeded, victim_client, content, "statement.docx")
    response = _document(agency("cps"), request_id)
    assert response.status_code == 200 and response.content == content
    assert response.headers["Content-Type"] == DOCX


def test_only_the_agency_the_statement_is_for_gets_it(
    seeded: Flask, victim_client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    request_id = _send_statement(seeded, victim_client, PDF, "statement.pdf")
    mark = _audit_mark(seeded)
    for name, asked in (
        ("police", request_id),
        ("witness_care", request_id),
        ("probation", request_id),
        ("cps", "0b1c2d3e-0000-4000-8000-000000000000"),  # nobody's
        ("cps", "not-an-id"),
    ):
        response = _document(agency(name), asked)
        assert response.status_code == 404, (name, asked)
        assert response.json()["errors"][0]["error"] == "NotFoundError"
        assert PDF not in response.content
    # A review is the police's to read, but it has no document.
    assert _document(agency("police"), DEMO_REVIEW_ID).status_code == 404
    refused = _last_audit(seeded, mark)
    assert [e.detail["status_code"] for e in refused] == [404] * 6
    assert all(e.subject_victim_id is None for e in refused)
