"""Erasing a victim, or the end of a case's retention, takes away their statements being written and every
document they uploaded (sent or not), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import retention
from portal.extensions import db
from portal.models import Case, StatementDocument, StatementDraft
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.requests.test_statement_upload import BASE, PDF, upload
from tests.support.pages import post_form
from tests.support.records import count


def send_one_and_start_another(client: FlaskClient) -> None:
    upload(client, PDF, "sent.pdf")
    post_form(client, f"{BASE}/read-aloud", {"choice": "myself"})
    assert post_form(client, f"{BASE}/check", {"understood": "y"}).status_code == 302
    upload(client, PDF, "next.pdf", action="save", text="A second version, not sent yet.")


def test_erasure_removes_drafts_and_documents(seeded: Flask, victim_client: FlaskClient) -> None:
    send_one_and_start_another(victim_client)
    assert count(seeded, StatementDraft) == 1 and count(seeded, StatementDocument) == 2
    with seeded.app_context(), db.job() as session:
        removed = retention.clear_victim(session, DEMO_VICTIM_ID, datetime.now(UTC))
    assert removed["statement drafts"] == 1 and removed["statement documents"] == 2
    assert count(seeded, StatementDraft) == 0 and count(seeded, StatementDocument) == 0


def test_a_case_past_retention_loses_its_drafts_and_documents(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    send_one_and_start_another(victim_client)
    with seeded.app_context(), db.job() as session:
        case = session.scalars(select(Case).where(Case.urn == DEMO_CASE_URN)).one()
        retention.anonymise_case(session, case, datetime.now(UTC))
    assert count(seeded, StatementDraft) == 0 and count(seeded, StatementDocument) == 0
