"""Security review, finding 9 (SECURITY.md item 13): an admin searching the audit trail sees no victim
information. Victims appear as a stable pseudonym ("Victim V-3F9A2C1B": an HMAC of the victim's id under
the app's secret), whether they acted (signed in) or were acted on (an officer viewed their case); case
references (URNs) in what was viewed are pseudonymised too; searching by a victim's email finds nothing.
An officer of the victim's unit resolves the pseudonym; nobody else can."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.services.accounts.users import signed_in_user
from portal.services.common import access
from portal.services.common.errors import NotFound
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID, EARLIER_CASE_URN
from tests.support.demo import ADMIN, OFFICER, VICTIM
from tests.support.pages import page_text
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in, signed_in

pytestmark = pytest.mark.security(13)


def _pseudonym(app: Flask, victim_id: str) -> str:
    with app.app_context():
        return access.victim_pseudonym(victim_id)


def _victim_activity(app: Flask) -> None:
    """The demo victim signs in (a failure, then for real); the officer opens her case and finds it by URN."""
    victim = app.test_client()
    sign_in(victim, VICTIM, "wrong-password-here")
    sign_in(victim, VICTIM)
    officer = signed_in(app, OFFICER)
    assert officer.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}").status_code == 200
    assert officer.get(f"/staff/find-case?urn={EARLIER_CASE_URN}").status_code == 200


def test_finding9_admin_audit_search_shows_no_victim_names_or_urns(
    seeded: Flask, client: FlaskClient
) -> None:
    _victim_activity(seeded)
    sign_in(client, ADMIN)
    html = page_text(client.get("/admin/audit"), markup=True)
    text = page_text(html)
    # The events are there, each action by its name ...
    assert "Sign-in failed" in text and "Victim shown on a staff page" in text
    for victim_information in (
        "Sam Sample",
        "Sam",
        "Sample",
        DEMO_CASE_URN,
        EARLIER_CASE_URN,
        DEMO_VICTIM_ID,
    ):
        assert victim_information not in html, victim_information  # ... but nothing that names her
    token = _pseudonym(seeded, DEMO_VICTIM_ID)
    assert re.fullmatch(r"V-[0-9A-F]{8}", token)
    assert f"Victim {token}" in text  # who acted (her sign-ins) and whom it was about
    assert text.count(token) >= 4
    # Stable: the same token on every search.
    assert token in page_text(client.get("/admin/audit?action=sign-in"))
    # Searching by a victim's email address tells nothing about her (as for an address nobody has).
    by_victim_email = page_text(client.get(f"/admin/audit?action=&user_email={VICTIM.replace('@', '%40')}"))
    assert "0 events" in by_victim_email and token not in by_victim_email


def _actor(app: Flask, email: str) -> access.Actor:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        return signed_in_user(user).actor


def test_finding9_an_officer_of_the_victims_unit_resolves_the_pseudonym(seeded: Flask) -> None:
    create_other_unit(seeded)
    token = _pseudonym(seeded, DEMO_VICTIM_ID)
    officer, other_officer, admin = (
        _actor(seeded, e) for e in (OFFICER, "other.officer@demo.example", ADMIN)
    )
    with seeded.app_context(), db.job() as session:
        assert access.victim_for_officer_by_pseudonym(session, officer, token).id == DEMO_VICTIM_ID
        assert (
            access.victim_for_officer_by_pseudonym(session, officer, token.lower()[2:]).id == DEMO_VICTIM_ID
        )
        for actor, asked in ((other_officer, token), (admin, token), (officer, "V-00000000")):
            with pytest.raises(NotFound):
                access.victim_for_officer_by_pseudonym(session, actor, asked)


def test_finding9_an_officer_finds_the_victim_from_the_audit_reference(seeded: Flask) -> None:
    create_other_unit(seeded)
    token = _pseudonym(seeded, DEMO_VICTIM_ID)
    officer = signed_in(seeded, OFFICER)
    response = officer.get("/staff/find-case", query_string={"urn": token.lower()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/victims/{DEMO_VICTIM_ID}")
    other = signed_in(seeded, "other.officer@demo.example")
    refused = other.get("/staff/find-case", query_string={"urn": token})
    assert refused.status_code == 200
    assert "No victim of your unit has this reference" in page_text(refused)
