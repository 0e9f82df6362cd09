"""Erasure on request (SECURITY.md 24): a witness care officer checks and asks, an administrator carries it
out; the victim can no longer sign in and their personal data is gone from cases, preferences, drafts and
communications; what must be kept (the audit trail, the record of the erasure, counts) is kept and the
pages say so; nobody else's information is touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseUpdate,
    Communication,
    ContactPoint,
    ErasureRequest,
    PreferenceDraft,
    PreferenceVersion,
    User,
    Victim,
)
from portal.services.common.access import victim_pseudonym
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import create_preferences_version, create_update, create_victim
from tests.support.demo import ADMIN, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import sign_in, signed_in

pytestmark = pytest.mark.security(24)

OFFICER_PAGE = f"/staff/victims/{DEMO_VICTIM_ID}/erasure"
ADMIN_PAGE = f"/admin/erasure-requests/{DEMO_VICTIM_ID}"
SAM_ONLY = "A note for Sam alone"


@pytest.fixture
def world(seeded: Flask) -> dict[str, str]:
    """Sam (the demo victim) with a draft, messages and an update for him alone; Nia on the same case."""
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        nia = create_victim(session, "Nia", "Staysput", case=case, email="nia@example.com")
        nia_id = nia.id
        sam_user = session.scalar(select(User).where(User.email == VICTIM))
        assert sam_user is not None
        now = datetime.now(UTC)
        session.add(
            PreferenceDraft(
                id="d" * 64,
                user_id=sam_user.id,
                victim_id=DEMO_VICTIM_ID,
                document={"contact": {"doc": {"email": VICTIM}}},
                expires_at=now + timedelta(minutes=30),
            )
        )
    create_preferences_version(seeded, nia_id, {"channels": ["email"], "safe": {"email": True}})
    create_update(
        seeded,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id="E-1",
        message="For all",
    )
    create_update(
        seeded,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id="E-2",
        message=SAM_ONLY,
        victim_id=DEMO_VICTIM_ID,
    )
    return {"nia": nia_id}


def _ask(app: Flask) -> None:
    officer = signed_in(app, OFFICER)
    page = officer.get(OFFICER_PAGE)
    assert page.status_code == 200
    assert "What we must keep" in page_text(page) and "audit trail" in page_text(page)
    missing = post_form(officer, OFFICER_PAGE, {"note": ""})
    assert "Confirm that you have checked who this person is" in page_text(missing)
    asked = post_form(
        officer,
        OFFICER_PAGE,
        {"identity_checked": "y", "note": "Called back on the case number; 2 questions"},
    )
    assert asked.status_code == 302
    assert "An administrator will carry it out" in page_text(officer.get(OFFICER_PAGE))


def test_sec24_an_officer_asks_and_an_admin_erases(app: Flask, world: dict[str, str]) -> None:
    sam_signed_in = signed_in(app, VICTIM)
    assert sam_signed_in.get("/cases").status_code == 200
    _ask(app)
    admin = signed_in(app, ADMIN)
    with app.app_context():
        pseudonym = victim_pseudonym(DEMO_VICTIM_ID)
    listing = admin.get("/admin/erasure-requests")
    assert pseudonym in page_text(listing) and "Sam" not in page_text(listing)
    page = admin.get(ADMIN_PAGE)
    assert "What we must keep" in page_text(page) and "Sample" not in page_text(page)
    refused = post_form(admin, ADMIN_PAGE, {})
    assert "Confirm that you understand this cannot be undone" in page_text(refused)
    done = post_form(admin, ADMIN_PAGE, {"confirmed": "y"})
    assert done.status_code == 302
    assert admin.get(ADMIN_PAGE).status_code == 404  # nothing waiting any more

    # Sam's session has ended, and Sam can no longer sign in.
    assert sam_signed_in.get("/cases").status_code == 302
    attempt = sign_in(app.test_client(), VICTIM)
    assert attempt.status_code == 200 and "/sign-in/security-code" not in attempt.headers.get("Location", "")
    with app.app_context():
        session = db.session
        sam = session.get(Victim, DEMO_VICTIM_ID)
        assert sam is not None and sam.anonymised_at is not None
        assert "Sam" not in sam.full_name and sam.email is None and sam.phone is None and sam.postcode is None
        for model in (ContactPoint, PreferenceVersion, PreferenceDraft):
            assert session.scalar(select(func.count()).where(model.victim_id == DEMO_VICTIM_ID)) == 0, model
        own = session.scalars(select(CaseUpdate.message).where(CaseUpdate.victim_id == DEMO_VICTIM_ID)).all()
        assert own and SAM_ONLY not in own
        sent = session.scalars(
            select(OutboundMessage)
            .join(Communication, Communication.outbound_message_id == OutboundMessage.id)
            .where(Communication.victim_id == DEMO_VICTIM_ID)
        ).all()
        assert sent, "Sam had been sent messages"
        assert all(m.recipient is None and m.body == "" and m.address is None for m in sent)
        assert all(m.status != "queued" for m in sent)  # nothing still waiting goes out
        user = session.scalar(select(User).where(User.victim_id == DEMO_VICTIM_ID))
        assert user is not None and not user.is_active and user.email != VICTIM
        # Kept: the audit trail (that it happened, by whom) and the request's record, with counts.
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_victim_id == DEMO_VICTIM_ID)
        ).all()
        assert "erasure-requested" in actions and "erasure-carried-out" in actions
        assert "Sam Sample" not in str(session.scalars(select(AuditEvent.actor_label)).all())
        request = session.scalar(select(ErasureRequest))
        assert request is not None and request.carried_out_at is not None and request.removed["accounts"] == 1
        # Nobody else's: Nia and the case she is on are untouched.
        nia = session.get(Victim, world["nia"])
        assert nia is not None and nia.full_name == "Nia Staysput" and nia.email == "nia@example.com"
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None and case.status != "anonymised" and case.offence != "Removed"
        assert session.scalar(select(func.count()).where(PreferenceVersion.victim_id == world["nia"])) == 1
        # Sam's other case, where nobody else is, is cleared.
        other = session.scalars(select(Case).where(Case.urn != DEMO_CASE_URN)).all()
        assert [c.status for c in other if c.offence == "Removed"]


def test_sec24_only_an_officer_asks_and_only_an_admin_erases(app: Flask, world: dict[str, str]) -> None:
    for who in (VICTIM, SUPPORT_WORKER, ADMIN):
        assert signed_in(app, who).get(OFFICER_PAGE).status_code == 404, who
    _ask(app)
    for who in (VICTIM, SUPPORT_WORKER, OFFICER):
        client = signed_in(app, who)
        assert client.get(ADMIN_PAGE).status_code == 404, who
        assert client.get("/admin/erasure-requests").status_code == 404, who
    with app.app_context():
        assert db.session.scalar(select(Victim.anonymised_at).where(Victim.id == DEMO_VICTIM_ID)) is None


def test_an_admin_can_refuse(app: Flask, world: dict[str, str]) -> None:
    _ask(app)
    admin = signed_in(app, ADMIN)
    response = post_form(admin, f"{ADMIN_PAGE}/refuse", {}, page=ADMIN_PAGE)
    assert response.status_code == 302
    assert admin.get(ADMIN_PAGE).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Victim.given_name).where(Victim.id == DEMO_VICTIM_ID)) == "Sam"
    assert "Ask an administrator" in page_text(signed_in(app, OFFICER).get(OFFICER_PAGE))  # may ask again
