"""SECURITY.md item 1: victims are invited (single-use link that expires, sent through Notify), set a
password and confirm a second factor. No self-registration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Invitation, User, Victim
from portal.services.accounts import invitations
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_preferences_version, create_victim
from tests.support.outbox import latest_code, latest_link, messages
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import NEW_PASSWORD, accept_invitation, sign_in

pytestmark = pytest.mark.security(1)


def test_sec01_invited_victim_gets_one_link_by_notify_and_sets_up_password_and_second_factor(
    seeded: Flask, client: FlaskClient
) -> None:
    victim_id = create_invited_victim(seeded)
    sent = messages(seeded, "invitation:")
    assert len(sent) == 1
    assert sent[0].channel == "email" and sent[0].recipient == "new.victim@demo.example"
    # Discreet: no crime, agency or name in the text.
    for word in ("Harassment", "Police", "Nia", "Newperson", "victim", "crime"):
        assert word not in sent[0].body and word not in (sent[0].subject or "")

    response = accept_invitation(seeded, client, method="sms")
    assert response.status_code == 302
    assert "/exit-this-page-explained" in response.headers["Location"]
    with seeded.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.victim_id == victim_id))
        assert user is not None and user.mfa_method == "sms" and user.password_hash.startswith("$argon2id$")
        assert session.scalar(select(Invitation.used_at).where(Invitation.victim_id == victim_id)) is not None
    assert "Harassment" in page_text(client.get("/cases"), markup=True)


def test_sec01_invitation_link_works_once(seeded: Flask, client: FlaskClient) -> None:
    create_invited_victim(seeded)
    link = latest_link(seeded, "/invitation/")
    accept_invitation(seeded, client)
    client.post("/sign-out", data={"csrf_token": _token(client)})
    again = client.get(link)
    assert again.status_code == 404
    assert "This link does not work" in page_text(again, markup=True)


def test_sec01_invitation_link_expires_after_7_days(seeded: Flask, client: FlaskClient) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        create_invited_victim(seeded)
        link = latest_link(seeded, "/invitation/")
        traveller.shift(timedelta(days=6, hours=23))
        assert client.get(link).status_code == 302
        traveller.shift(timedelta(hours=2))
        assert client.get(link).status_code == 404
        assert client.get("/create-account").status_code == 404


def test_sec01_officer_can_resend_a_new_link_and_cancel_it(seeded: Flask, client: FlaskClient) -> None:
    victim_id = create_invited_victim(seeded)
    old_link = latest_link(seeded, "/invitation/")
    sign_in(client, "officer@demo.example")
    account_page = f"/staff/victims/{victim_id}/account"
    with seeded.app_context():
        invitation_id = db.session.scalar(select(Invitation.id).where(Invitation.victim_id == victim_id))
    response = post_form(client, f"/staff/invitations/{invitation_id}/resend", page=account_page)
    assert response.status_code == 302
    new_link = latest_link(seeded, "/invitation/")
    assert new_link != old_link
    assert len(messages(seeded, "invitation:")) == 2

    anonymous = seeded.test_client()
    assert anonymous.get(old_link).status_code == 404
    assert anonymous.get(new_link).status_code == 302

    post_form(client, f"/staff/invitations/{invitation_id}/cancel", page=account_page)
    assert seeded.test_client().get(new_link).status_code == 404
    assert "Cancelled" in page_text(client.get("/staff/invitations"), markup=True)


def test_sec01_officer_of_another_unit_cannot_touch_the_invitation(
    seeded: Flask, client: FlaskClient
) -> None:
    victim_id = create_invited_victim(seeded, urn="02CD3333326")  # force 02: not the demo officer's unit
    sign_in(client, "officer@demo.example")
    with seeded.app_context():
        invitation_id = db.session.scalar(select(Invitation.id).where(Invitation.victim_id == victim_id))
    assert client.get(f"/staff/victims/{victim_id}/account").status_code == 404
    response = post_form(client, f"/staff/invitations/{invitation_id}/resend", page="/staff/invitations")
    assert response.status_code == 404
    assert len(messages(seeded, "invitation:")) == 1


def test_sec01_victim_with_an_account_adds_the_new_case_while_signed_in(
    seeded: Flask, client: FlaskClient
) -> None:
    # The agency adds the demo victim to a new case as a new person record with the same email.
    create_invited_victim(seeded, email="victim@demo.example", phone=None)
    link = latest_link(seeded, "/invitation/")
    # Signed out, the link says to sign in (and never offers to make a second account).
    anonymous = seeded.test_client()
    assert anonymous.get(link).status_code == 302
    assert "You already have an account" in page_text(anonymous.get("/create-account"), markup=True)

    sign_in(client, "victim@demo.example")
    assert client.get(link).headers["Location"].endswith("/invitation/add-case")
    # A code goes to where the invitation went (here the account's own email address): issue 14, finding 11.
    response = post_form(client, "/invitation/add-case")
    assert response.headers["Location"].endswith("/invitation/add-case/confirm-code")
    code = latest_code(seeded, "security-code:", to="victim@demo.example")
    response = post_form(client, "/invitation/add-case/confirm-code", {"code": code})
    assert response.headers["Location"].endswith("/cases")
    body = page_text(client.get("/cases"), markup=True)
    assert "Harassment" in body and DEMO_CASE_URN in body


def test_sec01_victim_already_on_an_account_is_not_invited_again(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == "victim@demo.example"))
        assert invitations.invite_victim(session, victim, invited_by_label="Police (test)") is None
    assert messages(seeded, "invitation:") == []


def test_sec01_no_self_registration(seeded: Flask, client: FlaskClient) -> None:
    for path in ("/register", "/sign-up", "/create-account", "/create-account/security-codes"):
        assert client.get(path).status_code == 404, path
    response = client.post("/create-account", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code in (400, 404)
    with seeded.app_context():
        assert db.session.scalar(select(User).where(User.email == "new.victim@demo.example")) is None
    assert "You can only get an account if you are invited" in page_text(client.get("/sign-in"), markup=True)


def test_sec01_staff_invited_by_admin_must_set_up_an_authenticator_app(
    seeded: Flask, admin_client: FlaskClient
) -> None:
    with seeded.app_context():
        from portal.models import Organisation

        unit_id = db.session.scalar(select(Organisation.id).where(Organisation.kind == "witness_care_unit"))
    response = post_form(
        admin_client,
        "/admin/users/new",
        {
            "display_name": "Nell Newofficer",
            "email": "nell@demo.example",
            "role": "witness_care_officer",
            "organisation": str(unit_id),
        },
    )
    assert response.status_code == 302, page_text(response, markup=True)
    admin_client.post("/sign-out", data={"csrf_token": _token(admin_client)})
    staff = seeded.test_client()
    link = latest_link(seeded, "/invitation/")
    staff.get(link)
    response = post_form(staff, "/create-account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    # No choice for staff: straight to the authenticator app, with a QR code as inline SVG.
    assert response.headers["Location"].endswith("/create-account/authenticator-app")
    page = staff.get("/create-account/authenticator-app").get_data(as_text=True)
    assert '<svg class="app-qr-code"' in page and "<script" not in page.split("<main")[1].split("</main>")[0]
    assert staff.get("/create-account/security-codes").status_code == 200  # but only the app is offered
    assert 'value="sms"' not in staff.get("/create-account/security-codes").get_data(as_text=True)
    response = accept_rest_with_totp(seeded, staff)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff")
    with seeded.app_context():
        user = db.session.scalar(select(User).where(User.email == "nell@demo.example"))
        assert user is not None and user.mfa_method == "totp" and user.totp_secret


def accept_rest_with_totp(app: Flask, client: FlaskClient):
    import pyotp

    with app.app_context():
        secret = db.session.scalar(select(User.totp_pending_secret).where(User.email == "nell@demo.example"))
    return post_form(client, "/create-account/authenticator-app", {"code": pyotp.TOTP(secret).now()})


def test_sec01_invitation_with_only_an_address_goes_by_letter(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        victim = create_victim(
            session,
            "Lee",
            "Letter",
            address_line_1="3 Demo Road",
            address_town="Exampletown",
            postcode="EX1 2BB",
        )
        create_preferences_version(session, victim, {"channels": ["letter"], "safe": {"letter": True}})
        assert invitations.invite_victim(session, victim, invited_by_label="Police (test)") is not None
    letter = messages(seeded, "invitation:")[-1]
    assert letter.channel == "letter" and letter.address[-1] == "EX1 2BB"


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))


def test_sec01_no_invitation_without_a_channel_confirmed_safe(seeded: Flask) -> None:
    """An agency gave contact details but nobody confirmed a channel is safe: nothing is sent (an officer
    must speak to the victim first)."""
    create_invited_victim(seeded, safe_channels=())
    assert messages(seeded, "invitation:") == []


def test_sec01_invitation_goes_by_the_first_safe_channel_not_the_first_known(seeded: Flask) -> None:
    create_invited_victim(seeded, safe_channels=("sms",))
    sent = messages(seeded, "invitation:")
    assert len(sent) == 1
    assert sent[0].channel == "sms"
