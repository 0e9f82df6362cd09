"""Back-channel logout from GOV.UK One Login (`POST /one-login/back-channel-logout`), the real way: the
person signs out at the local provider, which posts a signed logout token to the live server, and every
portal session of the linked account ends. A forged, broken or replayed token is a 400; a sound one for a
One Login linked to nothing is a 200 that changes nothing."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy import delete, func, select

from portal.auth import one_login_routes
from portal.extensions import db
from portal.models import AuditEvent, OneLoginIdentity
from portal.services.accounts import one_login
from portal.services.common import audit
from tests.one_login.test_routes import ONE_LOGIN_EMAIL, local, open_invitation, start_one_login
from tests.support.one_login_provider import find_form, sign_in_over_http
from tests.support.pages import post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import decoded_session

pytestmark = pytest.mark.security(6)


@pytest.fixture
def logout_tokens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every logout token the portal is given (the real check still runs on each)."""
    seen: list[str] = []
    real: Callable[..., one_login.LogoutNotice] = one_login.logout_notice

    def recording(settings: one_login.Settings, token: str, **kwargs: Any) -> one_login.LogoutNotice:
        seen.append(token)
        return real(settings, token, **kwargs)

    monkeypatch.setattr(one_login_routes.one_login, "logout_notice", recording)
    return seen


def linked_victim(app: Flask, client: FlaskClient) -> requests.Session:
    """An invited victim links their One Login and is signed in; returns their browser at the provider."""
    create_invited_victim(app)
    open_invitation(app, client)
    browser = requests.Session()
    back = sign_in_over_http(browser, start_one_login(client, "/create-account"), ONE_LOGIN_EMAIL)
    assert client.get(local(back)).headers["Location"].endswith("/one-login/link")
    linked = post_form(client, "/one-login/link")
    post_form(client, linked.headers["Location"])
    assert client.get("/cases").status_code == 200
    return browser


def sign_out_at_one_login(app: Flask, browser: requests.Session, id_token: str) -> None:
    """The person signs out at One Login itself (its end-session page and its "Sign out" button)."""
    discovery = requests.get(f"{app.config['ONE_LOGIN_ISSUER']}/.well-known/openid-configuration", timeout=10)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": app.config["ONE_LOGIN_POST_LOGOUT_REDIRECT_URI"],
            "state": "s",
        }
    )
    page = browser.get(f"{discovery.json()['end_session_endpoint']}?{query}", timeout=10)
    action, hidden = find_form(page.text)
    done = browser.post(urljoin(page.url, action), data={**hidden, "logout": "yes"}, allow_redirects=False)
    assert done.status_code == 303


def logout_events(app: Flask) -> int:
    with app.app_context():
        where = AuditEvent.action == audit.ONE_LOGIN_LOGGED_OUT
        return int(db.session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0)


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_signing_out_at_one_login_ends_the_victims_portal_session(
    one_login_app: Flask, client: FlaskClient, logout_tokens: list[str]
) -> None:
    browser = linked_victim(one_login_app, client)
    id_token = decoded_session(one_login_app, client)["one_login_id_token"]
    sign_out_at_one_login(one_login_app, browser, id_token)
    assert wait_for(lambda: logout_events(one_login_app) == 1), "no back-channel logout reached the portal"
    assert len(logout_tokens) == 1
    ended = client.get("/cases")
    assert ended.status_code == 302 and "/sign-in" in ended.headers["Location"]

    # The victim signs in with One Login again; the same logout token, posted again, is a replay: refused,
    # and the new session goes on.
    back = sign_in_over_http(browser, start_one_login(client), ONE_LOGIN_EMAIL)
    assert client.get(local(back)).status_code == 302
    assert client.get("/cases").status_code == 200
    [token] = logout_tokens
    replayed = one_login_app.test_client().post(
        "/one-login/back-channel-logout", data={"logout_token": token}
    )
    assert replayed.status_code == 400 and replayed.get_json() == {"error": "invalid_request"}
    assert logout_events(one_login_app) == 1
    assert client.get("/cases").status_code == 200


def test_a_forged_or_broken_logout_token_is_a_400_and_ends_nothing(
    one_login_app: Flask, client: FlaskClient, logout_tokens: list[str]
) -> None:
    browser = linked_victim(one_login_app, client)
    # A real logout token, for its claims: the portal session stays until the forgery is refused below.
    other = one_login_app.test_client()
    id_token = decoded_session(one_login_app, client)["one_login_id_token"]
    with one_login_app.app_context(), db.job() as session:
        rows = list(session.scalars(select(OneLoginIdentity)))
        kept = [(row.user_id, row.subject, row.linked_by_label, row.linked_via) for row in rows]
        session.execute(delete(OneLoginIdentity))  # for now linked to nothing: the real token ends nothing
    sign_out_at_one_login(one_login_app, browser, id_token)
    assert wait_for(lambda: len(logout_tokens) == 1)
    [real_token] = logout_tokens
    with one_login_app.app_context(), db.job() as session:
        for user_id, subject, label, via in kept:
            session.add(
                OneLoginIdentity(user_id=user_id, subject=subject, linked_by_label=label, linked_via=via)
            )
    assert logout_events(one_login_app) == 0 and client.get("/cases").status_code == 200

    # The same claims and key id, signed with a key that is not the provider's.
    forged_key = ECKey.import_key(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    forged = jwt.encode(
        {"alg": "ES256", "typ": "logout+jwt", "kid": _segment(real_token, 0)["kid"]},
        _segment(real_token, 1),
        forged_key,
    )
    for token in (forged, real_token[:-4] + "AAAA", "not-a-token", ""):
        answer = other.post("/one-login/back-channel-logout", data={"logout_token": token})
        assert answer.status_code == 400, token
        assert answer.get_json() == {"error": "invalid_request"}
    assert logout_events(one_login_app) == 0
    assert client.get("/cases").status_code == 200

    # The real token again, now that the One Login is linked again: it was acted on when One Login sent it
    # (linked to nothing then), so it is a replay and ends nothing.
    answer = other.post("/one-login/back-channel-logout", data={"logout_token": real_token})
    assert answer.status_code == 400 and answer.get_json() == {"error": "invalid_request"}
    assert answer.headers["Cache-Control"] == "no-store"
    assert logout_events(one_login_app) == 0
    assert client.get("/cases").status_code == 200


def _segment(token: str, index: int) -> dict[str, Any]:
    """A JWT's header (0) or claims (1), read without checking anything."""
    part = token.split(".")[index]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))
