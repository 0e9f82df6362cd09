"""The local GOV.UK One Login provider (one_login_local/provider.mjs) behaves as One Login's technical
documentation says: discovery, the code flow with private_key_jwt, `vtr` and `vot`, `nonce`, userinfo,
RP-initiated logout and back-channel logout. Plain HTTP with requests, Authlib as the client, joserfc to
read the tokens. No database: the provider here is registered for a small receiver in the test (which
records back-channel logout tokens), so these tests run once; one test checks the `one_login_provider`
fixture the portal's tests use."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from tests.support.one_login_provider import (
    LocalProvider,
    find_form,
    sign_in_over_http,
    start_provider,
    stop_provider,
    write_key_pair,
)

# No skip when Node or oidc-provider is missing: `make test` installs both, and start_provider says which.

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class Receiver:
    """The client's side on loopback: records back-channel logout requests (the redirects are not fetched)."""

    def __init__(self) -> None:
        self.logout_tokens: list[str] = []
        received = self.logout_tokens

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                received.extend(form.get("logout_token", []))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture(scope="module")
def provider(receiver: Receiver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProvider]:
    p = start_provider(
        redirect_uri=f"{receiver.url}/callback",
        post_logout_redirect_uri=f"{receiver.url}/signed-out",
        backchannel_logout_uri=f"{receiver.url}/back-channel-logout",
        workdir=tmp_path_factory.mktemp("provider"),
    )
    yield p
    stop_provider(p)


@pytest.fixture(scope="module")
def discovery(provider: LocalProvider) -> dict[str, Any]:
    response = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def client_for(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver, key: str = ""
) -> OAuth2Session:
    # Authlib reads a PEM as an RSA key: an EC key goes in as a joserfc key.
    session = OAuth2Session(
        provider.client_id,
        ECKey.import_key(key or provider.private_key_pem),
        scope="openid email phone",
        redirect_uri=f"{receiver.url}/callback",
        token_endpoint_auth_method=PrivateKeyJWT(discovery["token_endpoint"], alg="ES256"),
    )
    return session


def authorise_url(discovery: dict[str, Any], client: OAuth2Session, **params: str) -> tuple[str, str]:
    nonce = secrets.token_urlsafe(16)
    url, _state = client.create_authorization_url(discovery["authorization_endpoint"], nonce=nonce, **params)
    return url, nonce


def read_id_token(discovery: dict[str, Any], id_token: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=["ES256"])
    assert token.header["alg"] == "ES256"
    return dict(token.claims)


def sign_in(
    provider: LocalProvider,
    discovery: dict[str, Any],
    receiver: Receiver,
    email: str = "person@example.com",
    **params: str,
) -> tuple[requests.Session, dict[str, Any], dict[str, Any], str]:
    """A whole code flow: the browser's cookies, the token response, the ID token's claims, the nonce."""
    browser = requests.Session()
    client = client_for(provider, discovery, receiver)
    url, nonce = authorise_url(discovery, client, **params)
    back = sign_in_over_http(browser, url, email)
    assert back.startswith(f"{receiver.url}/callback?"), back
    tokens = client.fetch_token(discovery["token_endpoint"], authorization_response=back)
    return browser, dict(tokens), read_id_token(discovery, tokens["id_token"]), nonce


def expected_subject(email: str) -> str:
    digest = hashlib.sha256(email.lower().encode()).digest()
    return "urn:fdc:gov.uk:2022:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_discovery_describes_one_login(provider: LocalProvider, discovery: dict[str, Any]) -> None:
    assert discovery["issuer"] == provider.issuer
    assert discovery["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert discovery["id_token_signing_alg_values_supported"] == ["ES256"]
    assert discovery["response_types_supported"] == ["code"]
    assert set(discovery["scopes_supported"]) == {"openid", "email", "phone"}
    assert discovery["end_session_endpoint"] == f"{provider.issuer}/logout"
    assert discovery["backchannel_logout_supported"] is True
    assert discovery["trustmarks"] == f"{provider.issuer}/trustmark"
    assert requests.get(discovery["trustmarks"], timeout=10).json()["C"] == ["Cl", "Cl.Cm"]


def test_the_sign_in_page_is_plain_html_with_one_email_field(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    browser = requests.Session()
    url, _nonce = authorise_url(discovery, client_for(provider, discovery, receiver), ui_locales="cy")
    page = browser.get(url, timeout=10)
    assert page.status_code == 200
    assert "<title>GOV.UK One Login (local)</title>" in page.text
    assert "This is a local test provider" in page.text
    assert '<label for="email">Email address</label>' in page.text
    assert '<button type="submit">Continue</button>' in page.text
    assert "Language asked for: cy" in page.text
    assert "<script" not in page.text
    # Its cookies never clash with the portal's `session` cookie on the same host.
    assert browser.cookies and all(cookie.name.startswith("one_login_local_") for cookie in browser.cookies)
    action, _hidden = find_form(page.text)
    refused = browser.post(provider.issuer + action, data={"email": "not an email"}, timeout=10)
    assert refused.status_code == 400
    assert "Enter an email address in the correct format" in refused.text


def test_a_code_flow_gives_one_login_tokens_and_userinfo(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    browser, tokens, claims, nonce = sign_in(
        provider, discovery, receiver, email="Person@Example.com", vtr='["Cl.Cm"]'
    )
    # The provider's session cookie (over plain http) is its own, never the portal's `session`.
    assert "one_login_local_session" in {cookie.name for cookie in browser.cookies}
    assert all(cookie.name.startswith("one_login_local_") for cookie in browser.cookies)
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["nonce"] == nonce
    assert claims["sub"] == expected_subject("person@example.com")
    assert claims["vot"] == "Cl.Cm"
    assert claims["vtm"] == f"{provider.issuer}/trustmark"
    assert "acr" not in claims
    assert "email" not in claims  # in userinfo only, as One Login does
    userinfo = requests.get(
        discovery["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()
    assert userinfo == {
        "sub": expected_subject("person@example.com"),
        "email": "Person@Example.com",
        "email_verified": True,
        "phone_number": "+447700900123",
        "phone_number_verified": True,
    }


@pytest.mark.parametrize(
    ("vtr", "vot"),
    [('["Cl"]', "Cl"), ('["Cl.Cm"]', "Cl.Cm"), (None, "Cl.Cm"), ('["Cl", "Cl.Cm"]', "Cl.Cm")],
)
def test_vot_is_the_strongest_level_asked_for(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver, vtr: str | None, vot: str
) -> None:
    params = {} if vtr is None else {"vtr": vtr}
    _browser, _tokens, claims, _nonce = sign_in(provider, discovery, receiver, **params)
    assert claims["vot"] == vot


def test_low_confidence_people_only_achieve_cl(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    _browser, _tokens, claims, _nonce = sign_in(
        provider, discovery, receiver, email="low-confidence.person@example.com", vtr='["Cl.Cm"]'
    )
    assert claims["vot"] == "Cl"


def test_a_stronger_level_needs_a_new_sign_in(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    browser, _tokens, claims, _nonce = sign_in(provider, discovery, receiver, vtr='["Cl"]')
    assert claims["vot"] == "Cl"
    client = client_for(provider, discovery, receiver)
    url, _nonce = authorise_url(discovery, client, vtr='["Cl.Cm"]')
    page = browser.get(url, timeout=10)
    assert '<label for="email">Email address</label>' in page.text
    # The same level again is given without asking.
    url, _nonce = authorise_url(discovery, client, vtr='["Cl"]')
    assert sign_in_over_http(browser, url, "ignored@example.com").startswith(f"{receiver.url}/callback?code=")


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"nonce": ""}, "nonce is required"),
        ({"vtr": "Cl.Cm"}, "vtr must be a JSON array"),
        ({"vtr": '["P2.Cl.Cm"]'}, "is not offered here"),
    ],
)
def test_bad_requests_are_sent_back_refused(
    provider: LocalProvider,
    discovery: dict[str, Any],
    receiver: Receiver,
    params: dict[str, str],
    description: str,
) -> None:
    query = {
        "client_id": provider.client_id,
        "response_type": "code",
        "scope": "openid email",
        "redirect_uri": f"{receiver.url}/callback",
        "state": "the-state",
        "nonce": "the-nonce",
        **params,
    }
    query = {key: value for key, value in query.items() if value}
    response = requests.get(
        f"{discovery['authorization_endpoint']}?{urlencode(query)}", allow_redirects=False, timeout=10
    )
    assert response.status_code == 303
    back = parse_qs(urlsplit(response.headers["Location"]).query)
    assert back["error"] == ["invalid_request"]
    assert back["state"] == ["the-state"]
    assert description in back["error_description"][0]


def _code(provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver) -> str:
    url, _nonce = authorise_url(discovery, client_for(provider, discovery, receiver))
    back = sign_in_over_http(requests.Session(), url, "person@example.com")
    return parse_qs(urlsplit(back).query)["code"][0]


def test_a_client_secret_is_refused(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    response = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": _code(provider, discovery, receiver),
            "redirect_uri": f"{receiver.url}/callback",
        },
        auth=(provider.client_id, "a-secret"),
        timeout=10,
    )
    assert response.status_code in {400, 401}
    assert response.json()["error"] == "invalid_client"


def test_an_assertion_signed_with_another_key_is_refused(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver, tmp_path: Path
) -> None:
    other_key, _public = write_key_pair(tmp_path)
    client = client_for(provider, discovery, receiver, key=other_key.read_text())
    code = _code(provider, discovery, receiver)
    response = client.post(
        discovery["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": f"{receiver.url}/callback"},
        withhold_token=True,
        auth=client.client_auth(client.token_endpoint_auth_method),
    )
    assert response.status_code in {400, 401}
    assert response.json()["error"] == "invalid_client"
    # The same code with the right key is still good: only the key was wrong.
    right = client_for(provider, discovery, receiver)
    assert "id_token" in right.fetch_token(
        discovery["token_endpoint"], code=code, redirect_uri=f"{receiver.url}/callback"
    )


def test_sign_out_ends_the_session_and_tells_the_client_over_the_back_channel(
    provider: LocalProvider, discovery: dict[str, Any], receiver: Receiver
) -> None:
    browser, tokens, claims, _nonce = sign_in(provider, discovery, receiver)
    receiver.logout_tokens.clear()
    query = urlencode(
        {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": f"{receiver.url}/signed-out",
            "state": "logout-state",
        }
    )
    page = browser.get(f"{discovery['end_session_endpoint']}?{query}", timeout=10)
    assert page.status_code == 200
    assert (
        '<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>' in page.text
    )
    assert "<script" not in page.text
    action, hidden = find_form(page.text)
    done = browser.post(action, data={**hidden, "logout": "yes"}, allow_redirects=False, timeout=10)
    assert done.status_code == 303
    assert done.headers["Location"] == f"{receiver.url}/signed-out?state=logout-state"
    [logout_token] = receiver.logout_tokens
    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=10).json())
    logout = jwt.decode(logout_token, keys, algorithms=["ES256"])
    assert logout.header["typ"] == "logout+jwt"
    assert logout.claims["sub"] == claims["sub"]
    assert logout.claims["aud"] == provider.client_id
    assert logout.claims["iss"] == provider.issuer
    assert LOGOUT_EVENT in logout.claims["events"]
    assert "sid" not in logout.claims and "nonce" not in logout.claims
    # Signed out at the provider: the next authorisation asks for the email again.
    url, _nonce = authorise_url(discovery, client_for(provider, discovery, receiver))
    assert '<label for="email">Email address</label>' in browser.get(url, timeout=10).text


@pytest.mark.sqlite_only
def test_the_portal_fixture_registers_the_live_server(
    one_login_provider: LocalProvider, one_login_app: Any, live_server: str
) -> None:
    assert one_login_app.config["ONE_LOGIN_ISSUER"] == one_login_provider.issuer
    assert one_login_app.config["ONE_LOGIN_REDIRECT_URI"] == f"{live_server}/one-login/callback"
    assert (
        Path(one_login_app.config["ONE_LOGIN_PRIVATE_KEY_PATH"]).read_text()
        == one_login_provider.private_key_pem
    )
    # The provider accepts the live server's callback as the redirect_uri, and refuses any other.
    query = {
        "client_id": one_login_provider.client_id,
        "response_type": "code",
        "scope": "openid email",
        "nonce": "n",
        "state": "s",
    }
    authorize = f"{one_login_provider.issuer}/authorize"
    good = requests.get(
        f"{authorize}?{urlencode({**query, 'redirect_uri': f'{live_server}/one-login/callback'})}",
        allow_redirects=False,
        timeout=10,
    )
    assert good.status_code == 303 and "/interaction/" in good.headers["Location"]
    bad = requests.get(
        f"{authorize}?{urlencode({**query, 'redirect_uri': f'{live_server}/elsewhere'})}",
        allow_redirects=False,
        timeout=10,
    )
    assert bad.status_code == 400
