"""SECURITY.md item 13 (the accounts share): audit events for sign-ins, failures, lockouts, MFA and
password changes, staff views; who, what, when, request id; admins search them; the victim sees who
viewed their information; no passwords, codes, tokens or contact details in logs."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Victim
from portal.services.common import access, audit
from portal.services.demo_data import DEMO_VICTIM_ID
from tests.support.demo import DEMO_PASSWORD
from tests.support.outbox import latest_code, latest_link, messages
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import NEW_PASSWORD, accept_invitation, sign_in, signed_in

pytestmark = pytest.mark.security(13)


def _events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
    return list(rows)


def test_sec13_sign_ins_failures_lockouts_and_changes_are_audited(seeded: Flask, client: FlaskClient) -> None:
    seeded_ids = {e.id for e in _events(seeded)}  # the demo data's own events were not made by requests
    sign_in(client, "victim@demo.example", "wrong-password-here")
    sign_in(client, "nobody@demo.example", "wrong-password-here")
    response = sign_in(client, "victim@demo.example")
    post_form(client, "/account/confirm-password?next=/account/password", {"password": DEMO_PASSWORD})
    post_form(client, "/account/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    post_form(
        client,
        "/account/security-codes/current/send",
        {"resend-submit": "1"},
        page="/account/security-codes/current",
    )
    post_form(client, "/account/security-codes/current", {"code": latest_code(seeded, "security-code:")})
    post_form(client, "/account/security-codes", {"method": "sms"})
    post_form(client, "/account/security-codes/confirm", {"code": latest_code(seeded, "security-code:")})
    events = [e for e in _events(seeded) if e.id not in seeded_ids]
    actions = [e.action for e in events]
    for action in ("sign-in-failed", "sign-in", "password-changed", "second-factor-changed"):
        assert action in actions, action
    failed = [e for e in events if e.action == "sign-in-failed"]
    assert failed[0].actor_user_id is not None and failed[1].actor_user_id is None
    assert all(e.at is not None and e.at.tzinfo is not None for e in events)
    assert all(e.request_id for e in events), [(e.action, e.actor_label) for e in events if not e.request_id]
    assert response.status_code == 302
    for event in events:
        text = repr(event.detail)
        assert "@" not in text and "07700" not in text and DEMO_PASSWORD not in text


def test_sec13_audit_record_takes_the_request_id_and_refuses_secrets(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == "victim@demo.example"))
    response = officer_client.get(
        f"/staff/victims/{victim_id}/account", headers={"X-Request-Id": "req-abc-123"}
    )
    assert response.status_code == 200
    viewed = [e for e in _events(seeded) if e.action == audit.VICTIM_DATA_VIEWED]
    assert (
        len(viewed) == 1
        and viewed[0].request_id == "req-abc-123"
        and viewed[0].subject_victim_id == victim_id
    )
    with seeded.app_context(), db.job() as session:
        for key in ("password", "code", "token", "email", "phone", "totp_secret"):
            with pytest.raises(ValueError):
                audit.record(session, "x", "test", detail={key: "value"})
        audit.record(session, "x", "test-cleaned", detail={"note": "call 07700 900123 or a@b.example"})
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "test-cleaned")).one()
        assert "07700" not in repr(event.detail) and "a@b.example" not in repr(event.detail)


def test_sec13_victim_sees_who_has_viewed_their_information(seeded: Flask, client: FlaskClient) -> None:
    officer = signed_in(seeded, "officer@demo.example")
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == "victim@demo.example"))
    officer.get(f"/staff/victims/{victim_id}/account")
    sign_in(client, "victim@demo.example")
    body = page_text(client.get("/account/who-has-viewed"), markup=True)
    # In plain words (tests/accounts/test_who_has_viewed.py has the rest).
    assert "Olive Officer, a witness care officer, looked at your account for this service." in body


def test_sec13_admin_searches_the_audit_trail(seeded: Flask, client: FlaskClient) -> None:
    victim = seeded.test_client()
    sign_in(victim, "victim@demo.example", "wrong-password-here")
    sign_in(victim, "victim@demo.example")
    sign_in(client, "admin@demo.example")
    everything = page_text(client.get("/admin/audit"), markup=True)
    # Admins see no victim information: the victim who signed in is a pseudonym, never her name
    # (tests/accounts/test_admin_audit_pseudonyms.py).
    with seeded.app_context():
        victim_token = access.victim_pseudonym(DEMO_VICTIM_ID)
    assert "Sign-in failed" in _cells(everything) and f"Victim {victim_token}" in everything
    assert "Sam Sample" not in everything
    failures = page_text(
        client.get(
            "/admin/audit?action=sign-in-failed&user_email=&since=&since=&since=&until=&until=&until="
        ),
        markup=True,
    )
    # Each action by its name (tests/accounts/test_paginated_staff_pages.py).
    assert set(_cells(failures)) == {"Sign-in failed"}
    by_email = page_text(client.get("/admin/audit?action=&user_email=admin%40demo.example"), markup=True)
    assert "Ada Admin" in by_email and victim_token not in by_email
    future = page_text(client.get("/admin/audit?since=1&since=1&since=2099"), markup=True)
    assert "0 events" in future
    for bad in ("since=31&since=2&since=2026", "since=1", "until=a&until=b&until=c&until=d"):
        response = client.get(f"/admin/audit?{bad}")
        assert response.status_code == 200 and "There is a problem" in page_text(response, markup=True), bad


def _cells(html: str) -> list[str]:
    """The action of each event listed, by its name."""
    return [c.strip() for c in re.findall(r'<h2 class="govuk-heading-s[^"]*">([^<]*)</h2>', html)]


def test_sec13_no_passwords_codes_tokens_or_contact_details_in_logs(
    seeded: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every SQL statement and its parameters
    email, phone = "log.scan@demo.example", "07700900789"
    create_invited_victim(seeded, email=email, phone=phone)
    link = latest_link(seeded, "/invitation/")
    token = link.rsplit("/", 1)[1]
    accept_invitation(seeded, client, method="sms", password=NEW_PASSWORD)
    codes = [re.search(r"\b(\d{6})\b", m.body).group(1) for m in messages(seeded, "security-code:")]  # type: ignore[union-attr]
    post_form(client, "/sign-out", page="/cases")
    sign_in(client, email, "a-wrong-password-attempt")
    sign_in(client, email, NEW_PASSWORD)
    codes.append(latest_code(seeded, "security-code:"))
    post_form(seeded.test_client(), "/password-reset", {"email": email})
    reset_token = latest_link(seeded, "/password-reset/").rsplit("/", 1)[1]
    logging.getLogger("portal.test").info("a careless line: %s %s", email, phone)

    assert len(caplog.records) > 20  # the scan saw real traffic (SQL statements at least)
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (
        NEW_PASSWORD,
        "a-wrong-password-attempt",
        email,
        phone,
        "7700 900789",
        token,
        reset_token,
        *codes,
    ):
        assert secret not in logged, secret
