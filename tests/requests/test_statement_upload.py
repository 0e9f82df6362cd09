"""Uploading a Victim Personal Statement, on both databases: a PDF or a Word .docx only, known by what the
file holds and never by its name, at most 10 MB; a file refused says why (GOV.UK's error) and keeps the
text typed; the document goes with the statement, and only its victim can download it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import StatementDocument, StatementDraft, VictimRequest
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.requests import statement
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.records import count
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

BASE = f"/cases/{DEMO_CASE_URN}/statement/court"
TYPED = "What I typed before choosing the file."
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + bytes(64)


def docx(*, with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(
    client: FlaskClient, content: bytes, filename: str, action: str = "continue", text: str = TYPED
) -> Any:
    """Post the write page with a file, as a browser does (the body built here: the test client's own
    encoder leaves a temporary file open for large files)."""
    token = csrf_from(client.get(f"{BASE}/write").get_data(as_text=True))
    boundary = "statement-test-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (("csrf_token", token), ("statement", text), ("action", action))
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(f"{BASE}/write", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def documents(app: Flask) -> list[StatementDocument]:
    with app.app_context(), db.job() as session:
        rows = list(session.scalars(select(StatementDocument)))
        session.expunge_all()
        return rows


def assert_refused_keeping_the_text(response: Any, message: str) -> None:
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text and message in text
    assert 'href="#document"' in response.get_data(as_text=True)  # the summary links to the file input
    assert TYPED in response.get_data(as_text=True)  # in the box again


def test_a_png_renamed_pdf_is_refused_and_the_text_kept(seeded: Flask, victim_client: FlaskClient) -> None:
    refused = upload(victim_client, PNG, "statement.pdf")
    assert_refused_keeping_the_text(refused, "The selected file must be a PDF or a Word document (.docx)")
    assert documents(seeded) == []
    assert count(seeded, StatementDraft, StatementDraft.text == TYPED) == 1  # kept between visits too


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [(PDF, "my statement.pdf", "application/pdf"), (docx(), "statement.docx", statement.DOCX)],
)
def test_a_real_pdf_or_word_document_is_accepted(
    seeded: Flask, victim_client: FlaskClient, content: bytes, name: str, expected: str
) -> None:
    accepted = upload(victim_client, content, name, text="")
    assert accepted.headers["Location"].endswith(f"{BASE}/read-aloud"), page_text(accepted)
    [kept] = documents(seeded)
    assert (kept.filename, kept.content_type, kept.size, kept.request_id) == (
        name,
        expected,
        len(content),
        None,
    )
    assert name in page_text(victim_client.get(f"{BASE}/write"))


def test_names_do_not_count_only_what_the_file_holds(babel_app_context: Flask) -> None:
    assert statement.document_type(PDF) == statement.PDF
    assert statement.document_type(docx()) == statement.DOCX
    for content in (PNG, docx(with_document=False), b"PK\x03\x04 not really a zip", b"%PD", b"plain text"):
        with pytest.raises(statement.StatementRefused):
            statement.document_type(content)
    with pytest.raises(statement.StatementRefused, match="empty"):
        statement.document_type(b"")


def test_a_file_over_10mb_is_refused_and_the_text_kept(seeded: Flask, victim_client: FlaskClient) -> None:
    exactly = PDF + bytes(statement.MAX_DOCUMENT_BYTES - len(PDF))
    assert upload(victim_client, exactly, "big.pdf").status_code == 302  # 10 MB is allowed
    refused = upload(victim_client, exactly + b"x", "bigger.pdf")
    assert_refused_keeping_the_text(refused, "The selected file must be smaller than 10MB")
    assert [d.filename for d in documents(seeded)] == ["big.pdf"]  # the one before is kept


def test_a_request_past_even_the_pages_limit_says_the_file_is_too_big(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    post_form(victim_client, f"{BASE}/write", {"statement": TYPED, "action": "save"})
    huge = PDF + bytes(3 * statement.MAX_DOCUMENT_BYTES)
    refused = upload(victim_client, huge, "huge.pdf", text="lost with the request")
    assert refused.status_code == 303
    page = victim_client.get(refused.headers["Location"])
    assert "The selected file must be smaller than 10MB" in page_text(page)
    assert TYPED in page.get_data(as_text=True)  # the text kept last time
    assert documents(seeded) == []


def test_other_pages_keep_the_portals_usual_limit(victim_client: FlaskClient) -> None:
    token = csrf_from(victim_client.get(f"{BASE}/write").get_data(as_text=True))
    too_big = victim_client.post(f"{BASE}/read-aloud", data={"csrf_token": token, "choice": "x" * 300_000})
    assert too_big.status_code == 413


def test_the_document_goes_with_the_statement_and_only_its_victim_can_download_it(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    upload(victim_client, PDF, "statement.pdf", text="")
    post_form(victim_client, f"{BASE}/read-aloud", {"choice": "no-preference"})
    check = victim_client.get(f"{BASE}/check")
    assert (
        "statement.pdf" in page_text(check) and "Your statement" not in page_text(check).split("Document")[0]
    )
    sent = post_form(victim_client, f"{BASE}/check", {"understood": "y"})
    assert sent.status_code == 302
    [kept] = documents(seeded)
    with seeded.app_context(), db.job() as session:
        request = session.scalars(select(VictimRequest).where(VictimRequest.id == kept.request_id)).one()
        assert request.answers["document"] == {
            "id": kept.id,
            "filename": "statement.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
        assert request.answers["text"] == "" and request.answers["document_name"] == "statement.pdf"
        assert (
            statement.answer_values(request.answers)["read_aloud"]
            == "I do not mind, or I do not want it read out"
        )
        reference = request.reference
        assert statement.document_of_request(session, request) is not None
    # The victim's page of the request shows what they sent.
    shown = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "Document uploaded statement.pdf" in shown
    download = victim_client.get(f"/statement-documents/{kept.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    create_other_unit(seeded)
    pat = signed_in(seeded, "pat@demo.example")
    assert pat.get(f"/statement-documents/{kept.id}").status_code == 404
    # A new upload for a new version never replaces the document sent.
    upload(victim_client, docx(), "second.docx", text="")
    assert sorted(d.filename for d in documents(seeded)) == ["second.docx", "statement.pdf"]


def test_removing_the_document(seeded: Flask, victim_client: FlaskClient) -> None:
    upload(victim_client, PDF, "statement.pdf")
    assert len(documents(seeded)) == 1
    removed = post_form(victim_client, f"{BASE}/write", {"statement": TYPED, "action": "remove"})
    assert removed.headers["Location"].endswith(f"{BASE}/write")
    assert documents(seeded) == []
    assert TYPED in victim_client.get(f"{BASE}/write").get_data(as_text=True)
