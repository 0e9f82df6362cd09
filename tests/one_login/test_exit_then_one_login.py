"""After "Exit this page", GOV.UK One Login's own session (an hour long, and still there on the phone) does
not let anyone straight back in: a One Login sign-in whose One Login session began before the victim left
is turned back, One Login's session is ended at its end-session page, and the victim is asked to sign in
again there, which asks for their details. Without an exit, One Login's session signs them in as before.
Against the local provider over real HTTP, on both databases."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User
from portal.services.accounts import one_login_accounts
from portal.services.common import audit
from tests.one_login.test_back_channel import linked_victim
from tests.one_login.test_routes import ONE_LOGIN_EMAIL, local, start_one_login
from tests.support.one_login_provider import LocalProvider, find_form, follow_provider_redirects
from tests.support.pages import page_text, post_form

pytestmark = pytest.mark.security(1)


def _straight_back(browser: requests.Session, authorise_url: str) -> str | None:
    """The callback URL when One Login signs the person in without asking (its session is alive), else None
    (One Login shows its sign-in page)."""
    result = follow_provider_redirects(browser, browser.get(authorise_url, allow_redirects=False, timeout=10))
    return result if isinstance(result, str) else None


def _next_second() -> None:
    """Wait for the clock's next whole second: One Login says when the person signed in there in whole
    seconds, and the steps of a test are quicker than that."""
    time.sleep(1.02 - time.time() % 1)


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/cases").status_code == 200


def test_after_exit_this_page_one_logins_session_does_not_sign_anyone_back_in(
    one_login_app: Flask, client: FlaskClient, one_login_provider: LocalProvider
) -> None:
    app = one_login_app
    browser = linked_victim(app, client)  # signed in here and at One Login
    _next_second()
    # "Exit this page": the beacon ends every portal session of the account.
    assert post_form(client, "/sign-out/quick", page="/cases").status_code == 204
    assert not _signed_in(client)

    # Someone picks up the phone: One Login would sign them straight in (its session is still there) ...
    back = _straight_back(browser, start_one_login(client))
    assert back is not None
    answer = client.get(local(back))
    # ... but the portal turns it back and sends them to One Login's end-session page.
    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == one_login_provider.issuer.rstrip("/")
    query = parse_qs(location.query)
    assert query["id_token_hint"][0] and query["state"][0]
    assert query["post_logout_redirect_uri"] == [app.config["ONE_LOGIN_POST_LOGOUT_REDIRECT_URI"]]
    assert not _signed_in(client)
    with app.app_context():
        refused = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == audit.SIGN_IN_FAILED)
        ).all()
        assert [detail["reason"] for detail in refused] == ["one-login-session-before-exit"]

    # One Login's end-session page ends its session and sends them back, where they are told why.
    page = browser.get(answer.headers["Location"], timeout=10)
    action, hidden = find_form(page.text)
    ended = browser.post(
        f"{location.scheme}://{location.netloc}{action}" if action.startswith("/") else action,
        data={**hidden, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert ended.status_code == 303
    signed_out = urlsplit(ended.headers["Location"])
    assert signed_out.path == "/signed-out"
    text = page_text(client.get("/signed-out"))
    assert "You used ‘Exit this page’, so we have also signed you out of GOV.UK One Login" in text
    assert "You used ‘Exit this page’" not in page_text(client.get("/signed-out"))  # said once

    # Signing in again: One Login asks for their details this time, and then they are in.
    _next_second()
    authorise = start_one_login(client)
    assert _straight_back(browser, authorise) is None
    sign_in_page = follow_provider_redirects(
        browser, browser.get(authorise, allow_redirects=False, timeout=10)
    )
    assert not isinstance(sign_in_page, str)
    form_action, form_hidden = find_form(sign_in_page.text)
    posted = browser.post(
        requests.compat.urljoin(sign_in_page.url, form_action),
        data={**form_hidden, "email": ONE_LOGIN_EMAIL},
        allow_redirects=False,
        timeout=10,
    )
    back = follow_provider_redirects(browser, posted)
    assert isinstance(back, str)
    assert client.get(local(back)).headers["Location"] == "/cases"
    assert _signed_in(client)


def test_without_an_exit_one_logins_session_signs_the_victim_in_as_before(
    one_login_app: Flask, client: FlaskClient
) -> None:
    browser = linked_victim(one_login_app, client)
    # The portal's session is gone (another browser on the phone, or it timed out); One Login's is not.
    later = one_login_app.test_client()
    back = _straight_back(browser, start_one_login(later))
    assert back is not None
    assert later.get(local(back)).headers["Location"] == "/cases"
    assert _signed_in(later)


def test_when_one_login_signed_the_person_in_is_compared_with_their_last_exit(seeded: Flask) -> None:
    with seeded.app_context():
        user = db.session.scalar(select(User).where(User.role == "victim").order_by(User.id).limit(1))
        assert user is not None
        now = datetime.now(UTC)
        before = one_login_accounts.signed_in_there_before_exit
        assert not before(db.session, user.id, now - timedelta(hours=1))  # never left with Exit this page
        audit.record(db.session, user.display_name, audit.QUICK_EXIT, actor_user_id=user.id)
        db.session.flush()
        assert before(db.session, user.id, now - timedelta(minutes=5))  # One Login's session is older
        assert not before(db.session, user.id, datetime.now(UTC) + timedelta(seconds=1))  # signed in since
        assert not before(db.session, user.id, None)  # One Login said nothing of it: taken at its word
        db.session.rollback()
