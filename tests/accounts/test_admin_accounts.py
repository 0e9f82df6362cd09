"""Admins manage staff accounts and organisations: revoke ends every session at once and stops sign-in;
a witness care unit needs a force code; every change is audited."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Organisation, User
from tests.support.pages import page_text, post_form
from tests.support.signing_in import sign_in, signed_in


def _user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))  # type: ignore[return-value]


def test_admin_revokes_an_account_which_ends_its_sessions_and_sign_in(
    seeded: Flask, client: FlaskClient
) -> None:
    officer = signed_in(seeded, "officer@demo.example")
    assert officer.get("/staff").status_code == 200
    sign_in(client, "admin@demo.example")
    officer_id = _user_id(seeded, "officer@demo.example")
    detail = f"/admin/users/{officer_id}"
    assert "Olive Officer" in page_text(client.get("/admin/users"), markup=True)
    response = post_form(client, f"/admin/users/{officer_id}/revoke", page=detail)
    assert response.headers["Location"].endswith(detail)
    assert officer.get("/staff").status_code == 302
    again = sign_in(seeded.test_client(), "officer@demo.example")
    assert again.status_code == 200 and "Enter a correct email address and password" in page_text(
        again, markup=True
    )
    assert "Closed" in page_text(client.get("/admin/users"), markup=True)
    with seeded.app_context():
        assert "account-revoked" in db.session.scalars(select(AuditEvent.action)).all()


def test_admin_cannot_revoke_themselves(seeded: Flask, admin_client: FlaskClient) -> None:
    admin_id = _user_id(seeded, "admin@demo.example")
    assert post_form(admin_client, f"/admin/users/{admin_id}/revoke", page="/admin/users").status_code == 404


def test_admin_adds_units_and_support_organisations(seeded: Flask, admin_client: FlaskClient) -> None:
    missing = post_form(
        admin_client, "/admin/organisations/new", {"name": "North Unit", "kind": "witness_care_unit"}
    )
    assert "Enter the 2-digit police force code" in page_text(missing, markup=True)
    unit = post_form(
        admin_client,
        "/admin/organisations/new",
        {"name": "North Unit", "kind": "witness_care_unit", "force_code": "03"},
    )
    assert unit.headers["Location"].endswith("/admin/organisations")
    post_form(admin_client, "/admin/organisations/new", {"name": "Helping Hands", "kind": "support_service"})
    body = page_text(admin_client.get("/admin/organisations"), markup=True)
    assert "North Unit" in body and "Helping Hands" in body
    with seeded.app_context():
        north = db.session.scalar(select(Organisation).where(Organisation.name == "North Unit"))
        assert north is not None and north.force_code == "03"
        north_id = north.id
    renamed = post_form(
        admin_client,
        f"/admin/organisations/{north_id}/edit",
        {"name": "North WCU", "kind": "witness_care_unit", "force_code": "03"},
    )
    assert renamed.status_code == 302
    assert "North WCU" in page_text(admin_client.get("/admin/organisations"), markup=True)


def test_new_staff_account_needs_the_right_kind_of_organisation(
    seeded: Flask, admin_client: FlaskClient
) -> None:
    with seeded.app_context():
        support_org = db.session.scalar(select(Organisation.id).where(Organisation.kind == "support_service"))
    wrong = post_form(
        admin_client,
        "/admin/users/new",
        {
            "display_name": "W",
            "email": "w@demo.example",
            "role": "witness_care_officer",
            "organisation": str(support_org),
        },
    )
    assert "Choose a witness care unit for an officer" in page_text(wrong, markup=True)
    taken = post_form(
        admin_client,
        "/admin/users/new",
        {"display_name": "A", "email": "officer@demo.example", "role": "admin", "organisation": ""},
    )
    assert "There is already an account with this email address" in page_text(taken, markup=True)


def test_a_staff_email_notify_would_refuse_is_refused_on_the_page(
    seeded: Flask, admin_client: FlaskClient
) -> None:
    """The invitation goes through Notify: an address it would refuse is an error here, not a 500 later."""
    for address in ("rené@demo.example", "someone@demo.x"):
        refused = post_form(
            admin_client,
            "/admin/users/new",
            {"display_name": "R", "email": address, "role": "admin", "organisation": ""},
        )
        assert refused.status_code == 200
        assert "Enter an email address in the correct format, like name@example.com" in page_text(
            refused, markup=True
        )
    with seeded.app_context():
        assert db.session.scalar(select(User.id).where(User.display_name == "R")) is None
