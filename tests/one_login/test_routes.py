"""Signing in with GOV.UK One Login through the portal's pages, against the local provider over real HTTP:
an invited victim links their One Login and is signed in; the same One Login signs in next time; a One
Login linked to nothing, one whose email is another account's, and a staff invitation create nothing; a
replayed or forged callback is refused; signing out goes on to One Login. With One Login not configured
nothing offers it and its routes are not there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Invitation, OneLoginIdentity, User
from portal.services.accounts import invitations, one_login
from portal.services.accounts.users import signed_in_user
from portal.services.common import audit
from tests.support.demo import ADMIN, VICTIM
from tests.support.one_login_provider import LocalProvider, sign_in_over_http
from tests.support.outbox import latest_link
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import decoded_session

pytestmark = pytest.mark.security(1)

INVITED_EMAIL = "new.victim@demo.example"
ONE_LOGIN_EMAIL = "nia.one.login@example.com"


def local(url: str) -> str:
    """The path and query of a URL on the live server, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start_one_login(client: FlaskClient, page: str = "/sign-in") -> str:
    """Press the One Login button on `page`: the provider's authorisation URL the portal redirects to."""
    response = post_form(client, "/one-login/sign-in", page=page)
    assert response.status_code == 303, response.get_data(as_text=True)
    return str(response.headers["Location"])


def one_login_callback(client: FlaskClient, email: str, *, page: str = "/sign-in") -> tuple[str, Any]:
    """Sign in at the provider as `email` (a new browser) and come back: (the callback URL, the answer)."""
    back = sign_in_over_http(requests.Session(), start_one_login(client, page), email)
    assert urlsplit(back).path == "/one-login/callback", back
    return back, client.get(local(back))


def open_invitation(app: Flask, client: FlaskClient) -> None:
    response = client.get(latest_link(app, "/invitation/"))
    assert response.status_code == 302


def count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def link_invited_victim(app: Flask, client: FlaskClient, email: str = ONE_LOGIN_EMAIL) -> Any:
    """The invited victim chooses One Login on the invitation's first page and confirms the link."""
    open_invitation(app, client)
    _back, answer = one_login_callback(client, email, page="/create-account")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/one-login/link"), answer
    return post_form(client, "/one-login/link")


def test_an_invited_victim_links_one_login_then_signs_in_with_it_and_signs_out_of_it(
    one_login_app: Flask, one_login_provider: LocalProvider
) -> None:
    app = one_login_app
    victim_id = create_invited_victim(app)
    client = app.test_client()
    open_invitation(app, client)
    # Pressing the button is a form whose answer redirects to One Login: form-action allows its address.
    provider = urlsplit(one_login_provider.issuer)
    csp = client.get("/create-account").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.scheme}://{provider.netloc};" in csp
    first_page = page_text(client.get("/create-account"))
    assert "Create your account with GOV.UK One Login" in first_page and "Or create a password" in first_page
    _back, answer = one_login_callback(client, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.headers["Location"].endswith("/one-login/link")
    check = page_text(client.get("/one-login/link"))
    assert "Link your GOV.UK One Login to your account" in check
    assert (
        ONE_LOGIN_EMAIL in check
        and "From now on, you will sign in to this service with GOV.UK One Login" in check
    )
    # What One Login shared is shown, and that the phone number is not used to contact them.
    assert "also shared your phone number, +447700900123. We will not use it to contact you" in check
    assert count(app, User, User.victim_id == victim_id) == 0  # nothing until they confirm

    linked = post_form(client, "/one-login/link")
    assert linked.status_code == 302 and "/exit-this-page-explained" in linked.headers["Location"]
    done = post_form(client, linked.headers["Location"])
    assert done.headers["Location"] == "/cases"
    assert "Harassment" in page_text(client.get("/cases"))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.victim_id == victim_id))
        assert user is not None and user.email == INVITED_EMAIL and user.password_hash is None
        assert user.mfa_method is None
        identity = db.session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.user_id == user.id))
        assert identity is not None and identity.last_sign_in_at is not None
        invitation = db.session.scalar(select(Invitation).where(Invitation.victim_id == victim_id))
        assert invitation is not None and invitation.used_at is not None
        methods = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == audit.SIGN_IN))
        assert [detail["method"] for detail in methods] == ["one_login"]
    session = decoded_session(app, client)
    id_token = session["one_login_id_token"]
    assert not any(key in session for key in ("one_login_state", "one_login_nonce", "one_login_pending_link"))

    # Signing out ends the portal's session and goes on to One Login's end-session page.
    signed_out = post_form(client, "/sign-out", page="/cases")
    assert signed_out.status_code == 303
    location = urlsplit(signed_out.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == one_login_provider.issuer.rstrip("/")
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [app.config["ONE_LOGIN_POST_LOGOUT_REDIRECT_URI"]]
    assert query["state"][0]
    assert client.get("/cases").status_code == 302

    # Next time: the same One Login, no invitation, no portal password or security code.
    again = app.test_client()
    _back, answer = one_login_callback(again, ONE_LOGIN_EMAIL)
    assert answer.status_code == 302 and answer.headers["Location"] == "/cases"
    assert "Harassment" in page_text(again.get("/cases"))
    assert count(app, User, User.victim_id == victim_id) == 1


def test_a_one_login_with_no_account_and_no_invitation_gets_the_no_account_page(
    one_login_app: Flask, client: FlaskClient
) -> None:
    users = count(one_login_app, User)
    _back, answer = one_login_callback(client, "nobody@example.com")
    assert answer.status_code == 200
    text = page_text(answer)
    assert "There is no account linked to this GOV.UK One Login" in text
    assert "when you are added to a case" in text and "witness care unit" in text
    assert count(one_login_app, User) == users and count(one_login_app, OneLoginIdentity) == 0
    assert client.get("/cases").status_code == 302  # not signed in


def test_a_one_login_with_an_existing_accounts_email_is_not_linked_to_it(
    seeded: Flask, one_login_app: Flask, client: FlaskClient
) -> None:
    # No invitation: the demo victim's email at One Login does not sign in to her account.
    _back, answer = one_login_callback(client, VICTIM)
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)
    assert client.get("/cases").status_code == 302
    # An invitation for a victim whose email is her account's: refused, and nothing linked.
    victim_id = create_invited_victim(one_login_app, email=VICTIM)
    open_invitation(one_login_app, client)
    _back, answer = one_login_callback(client, "someone.else@example.com")
    assert answer.headers["Location"].endswith("/one-login/link")
    refused = client.get("/one-login/link")
    assert refused.status_code == 409
    assert "sign in to that account instead" in page_text(refused).lower()
    assert post_form(client, "/one-login/link", page="/sign-in").status_code == 409
    assert count(one_login_app, OneLoginIdentity) == 0
    assert count(one_login_app, User, User.victim_id == victim_id) == 0


def test_a_staff_invitation_cannot_be_linked_to_a_one_login(
    seeded: Flask, one_login_app: Flask, client: FlaskClient
) -> None:
    with one_login_app.app_context(), db.job() as session:
        admin = session.scalar(select(User).where(User.email == ADMIN))
        assert admin is not None
        invitations.invite_staff(
            session,
            signed_in_user(admin).actor,
            email="new.admin@demo.example",
            display_name="New Admin",
            role="admin",
            organisation_id=None,
        )
    open_invitation(one_login_app, client)
    assert "GOV.UK One Login" not in page_text(client.get("/create-account"))
    _back, answer = one_login_callback(client, "new.admin@demo.example")
    assert answer.status_code == 200
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)
    assert count(one_login_app, OneLoginIdentity) == 0
    assert client.get("/one-login/link").status_code == 404


def test_a_replayed_callback_is_refused(
    one_login_app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    create_invited_victim(one_login_app)
    open_invitation(one_login_app, client)
    back, answer = one_login_callback(client, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.headers["Location"].endswith("/one-login/link")
    replayed = client.get(local(back))
    assert replayed.status_code == 400
    assert "We could not sign you in" in page_text(replayed)
    # The reason is logged; no token or code is.
    assert "GOV.UK One Login sign-in refused: state" in caplog.text
    assert parse_qs(urlsplit(back).query)["code"][0] not in caplog.text


def test_a_callback_with_the_wrong_state_is_refused(one_login_app: Flask, client: FlaskClient) -> None:
    back = sign_in_over_http(requests.Session(), start_one_login(client), ONE_LOGIN_EMAIL)
    query = parse_qs(urlsplit(back).query)
    forged = client.get(
        "/one-login/callback?" + urlencode({"code": query["code"][0], "state": "not-the-state"})
    )
    assert forged.status_code == 400
    # The state was taken out of the session by that request: the real one is refused now as well.
    assert client.get(local(back)).status_code == 400
    assert count(one_login_app, User) == 0
    # Both refusals are in the audit trail (SECURITY.md item 13: failures), with the reason and nothing else.
    with one_login_app.app_context():
        failures = db.session.execute(
            select(AuditEvent.detail, AuditEvent.actor_label, AuditEvent.request_id).where(
                AuditEvent.action == audit.SIGN_IN_FAILED
            )
        ).all()
    assert [detail for detail, _label, _request in failures] == [
        {"reason": "state", "method": "one_login"}
    ] * 2
    assert all(label == "unknown account" and request for _detail, label, request in failures)


def test_cancelling_at_one_login_goes_back_to_the_sign_in_page_with_a_banner(
    one_login_app: Flask, client: FlaskClient
) -> None:
    start_one_login(client)
    answer = client.get("/one-login/callback?error=access_denied&state=whatever")
    assert answer.status_code == 302 and answer.headers["Location"] == "/sign-in"
    page = client.get("/sign-in")
    assert "govuk-notification-banner" in page_text(page, markup=True)
    assert "You did not finish signing in with GOV.UK One Login" in page_text(page)


def test_one_login_unreachable_is_a_503_that_suggests_the_password(
    one_login_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_login.clear_cache()
    monkeypatch.setitem(one_login_app.config, "ONE_LOGIN_ISSUER", "http://127.0.0.1:9")
    response = post_form(client, "/one-login/sign-in", page="/sign-in")
    one_login.clear_cache()
    assert response.status_code == 503
    assert "Sorry, there is a problem with GOV.UK One Login" in page_text(response)
    assert "sign in with your email address and password" in page_text(response)


def test_with_one_login_not_configured_nothing_offers_it_and_its_routes_are_not_there(
    app: Flask, client: FlaskClient
) -> None:
    sign_in_page = client.get("/sign-in")
    assert "GOV.UK One Login" not in page_text(sign_in_page)
    assert "form-action 'self';" in sign_in_page.headers["Content-Security-Policy"]
    create_invited_victim(app)
    open_invitation(app, client)
    assert "GOV.UK One Login" not in page_text(client.get("/create-account"))
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    assert client.post("/one-login/sign-in", data={"csrf_token": token}).status_code == 404
    assert client.get("/one-login/callback?code=x&state=y").status_code == 404
    assert client.get("/one-login/link").status_code == 404
    assert client.post("/one-login/back-channel-logout", data={"logout_token": "x"}).status_code == 404


def test_a_locked_account_is_refused_and_the_refusal_audited(
    one_login_app: Flask, client: FlaskClient
) -> None:
    victim_id = create_invited_victim(one_login_app)
    link_invited_victim(one_login_app, client)
    with one_login_app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.victim_id == victim_id))
        assert user is not None
        user.locked_until = datetime.now(UTC) + timedelta(minutes=30)
    again = one_login_app.test_client()
    _back, answer = one_login_callback(again, ONE_LOGIN_EMAIL)
    assert answer.status_code == 200
    assert "You cannot sign in at the moment" in page_text(answer)
    assert again.get("/cases").status_code == 302
    with one_login_app.app_context():
        details = list(
            db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == audit.SIGN_IN_FAILED))
        )
    assert details == [{"reason": "locked", "method": "one_login"}]
