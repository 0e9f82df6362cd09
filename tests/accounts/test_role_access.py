"""SECURITY.md item 11 (the accounts share): role checks in one place answer 404 to the wrong role, and
an officer's actions on victims' accounts are scoped to their unit: other people's ids give 404."""

from __future__ import annotations

import itertools

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Invitation, User
from portal.web import guards
from tests.support.builders import create_organisation, create_user
from tests.support.pages import post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import sign_in, signed_in

pytestmark = pytest.mark.security(11)

ROLE_PAGES = {
    "/staff/invitations": {"officer@demo.example"},
    "/staff": {"officer@demo.example", "support@demo.example", "admin@demo.example"},
    "/admin/users": {"admin@demo.example"},
    "/admin/organisations": {"admin@demo.example"},
    "/admin/audit": {"admin@demo.example"},
    "/admin/users/new": {"admin@demo.example"},
    "/account/who-has-viewed": {"victim@demo.example"},
}
PEOPLE = ("victim@demo.example", "officer@demo.example", "support@demo.example", "admin@demo.example")


def test_sec11_role_pages_answer_404_to_every_other_role(seeded: Flask) -> None:
    for email in PEOPLE:
        client = signed_in(seeded, email)
        for path, allowed in ROLE_PAGES.items():
            status = client.get(path).status_code
            assert status == (200 if email in allowed else 404), (email, path, status)
    anonymous = seeded.test_client()
    for path in ROLE_PAGES:
        response = anonymous.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path


def test_sec11_role_required_refuses_unknown_roles() -> None:
    with pytest.raises(ValueError):
        guards.role_required("superuser")


def _second_unit(app: Flask) -> None:
    """A second witness care unit (force 02) with its own officer."""
    with app.app_context(), db.job() as session:
        unit = create_organisation(session, "Second Unit", kind="witness_care_unit", force_code="02")
        create_user(
            session,
            "officer2@demo.example",
            display_name="Otto Officer",
            role="witness_care_officer",
            organisation_id=unit.id,
        )


def test_sec11_officers_see_only_their_own_units_victims_accounts(seeded: Flask) -> None:
    _second_unit(seeded)
    victims = {
        "officer@demo.example": create_invited_victim(
            seeded, urn="01CD3333326", email="one@demo.example", phone=None
        ),
        "officer2@demo.example": create_invited_victim(
            seeded, urn="02CD3333326", email="two@demo.example", phone=None
        ),
    }
    with seeded.app_context():
        invitation_of = {
            v: db.session.scalar(select(Invitation.id).where(Invitation.victim_id == v))
            for v in victims.values()
        }
    clients = {}
    for officer in victims:
        clients[officer] = seeded.test_client()
        sign_in(clients[officer], officer)
    # Every pair (officer, victim): their own unit's victim is found, the other unit's is not.
    for officer, (owner, victim_id) in itertools.product(victims, victims.items()):
        client = clients[officer]
        expected = 200 if owner == officer else 404
        assert client.get(f"/staff/victims/{victim_id}/account").status_code == expected
        assert client.get(f"/staff/victims/{victim_id}/reset-security-codes").status_code in (
            (404,) if owner != officer else (404, 200)  # 404 for their own too: no account yet
        )
        for action in ("resend", "cancel"):
            response = post_form(
                client, f"/staff/invitations/{invitation_of[victim_id]}/{action}", page="/staff/invitations"
            )
            assert (response.status_code == 302) is (owner == officer), (officer, owner, action)
    # Made-up ids look the same as other people's.
    assert clients["officer@demo.example"].get("/staff/victims/no-such-victim/account").status_code == 404


def test_sec11_admins_cannot_open_victim_accounts_as_staff_accounts(seeded: Flask) -> None:
    client = signed_in(seeded, "admin@demo.example")
    with seeded.app_context():
        victim_user = db.session.scalar(select(User.id).where(User.email == "victim@demo.example"))
        officer_user = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    assert client.get(f"/admin/users/{victim_user}").status_code == 404
    assert client.get(f"/admin/users/{officer_user}").status_code == 200
    assert client.get("/admin/users/999999").status_code == 404
