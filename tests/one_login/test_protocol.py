"""The One Login protocol service against the local provider (one_login_local/provider.mjs) over real
HTTP: the authorisation request, the code exchange with private_key_jwt, the ID token and userinfo.

The provider here is started for the portal's default addresses and needs no app and no database (the
address it sends the person back to is read, never fetched), so these tests run once, not once per
database."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal.services.accounts import one_login
from portal.services.accounts.one_login import OneLoginError
from tests.support.one_login_provider import (
    LocalProvider,
    running_provider,
    sign_in_over_http,
)

PORTAL = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProvider]:
    with running_provider(PORTAL, tmp_path_factory.mktemp("one-login-protocol")) as local:
        yield local


def _settings(provider: LocalProvider, **overrides: str) -> one_login.Settings:
    config = {
        "ONE_LOGIN_CLIENT_ID": provider.client_id,
        "ONE_LOGIN_ISSUER": provider.issuer,
        "ONE_LOGIN_PRIVATE_KEY_PATH": str(provider.private_key_path),
        "PORTAL_BASE_URL": PORTAL,
        **overrides,
    }
    configured = one_login.settings(config)
    assert configured is not None
    return configured


@pytest.fixture
def settings(provider: LocalProvider) -> Iterator[one_login.Settings]:
    one_login.clear_cache()
    yield _settings(provider)
    one_login.clear_cache()


def _callback_params(authorisation: one_login.Authorisation, email: str) -> dict[str, str]:
    with requests.Session() as http:
        back = sign_in_over_http(http, authorisation.url, email)
    assert back.startswith(f"{PORTAL}/one-login/callback?")
    return {name: values[0] for name, values in parse_qs(urlsplit(back).query).items()}


def test_signing_in_gives_the_identity(settings: one_login.Settings) -> None:
    authorisation = one_login.begin(settings, language="en")
    params = _callback_params(authorisation, "person@example.com")
    identity = one_login.finish(
        settings, params=params, expected_state=authorisation.state, expected_nonce=authorisation.nonce
    )
    assert identity.subject.startswith("urn:fdc:gov.uk:2022:")
    assert (identity.email, identity.email_verified) == ("person@example.com", True)
    assert identity.phone_number == "+447700900123"
    assert identity.vot == "Cl.Cm"
    claims = one_login.check_id_token(settings, identity.id_token, nonce=authorisation.nonce)
    assert claims["sub"] == identity.subject
    end = one_login.end_session_url(settings, id_token_hint=identity.id_token, state="sign-out-state")
    assert end is not None
    query = parse_qs(urlsplit(end).query)
    assert query["id_token_hint"] == [identity.id_token]
    assert query["post_logout_redirect_uri"] == [f"{PORTAL}/signed-out"]


def test_a_code_is_exchanged_once(settings: one_login.Settings) -> None:
    authorisation = one_login.begin(settings, language="en")
    params = _callback_params(authorisation, "once@example.com")
    expected = {"expected_state": authorisation.state, "expected_nonce": authorisation.nonce}
    one_login.finish(settings, params=params, **expected)
    with pytest.raises(OneLoginError) as refusal:
        one_login.finish(settings, params=params, **expected)
    assert refusal.value.reason == "token"


def test_a_person_signed_in_with_low_confidence_is_refused(settings: one_login.Settings) -> None:
    authorisation = one_login.begin(settings, language="en")
    params = _callback_params(authorisation, "low-confidence-person@example.com")
    with pytest.raises(OneLoginError) as refusal:
        one_login.finish(
            settings, params=params, expected_state=authorisation.state, expected_nonce=authorisation.nonce
        )
    assert refusal.value.reason == "confidence"


def test_low_confidence_is_accepted_when_that_is_all_the_service_asks_for(provider: LocalProvider) -> None:
    one_login.clear_cache()
    settings = _settings(provider, ONE_LOGIN_VTR="Cl")
    authorisation = one_login.begin(settings, language="en")
    params = _callback_params(authorisation, "low-confidence-person@example.com")
    identity = one_login.finish(
        settings, params=params, expected_state=authorisation.state, expected_nonce=authorisation.nonce
    )
    assert identity.vot == "Cl"


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_authorisation_request_asks_for_what_one_login_needs(
    settings: one_login.Settings, language: str
) -> None:
    authorisation = one_login.begin(settings, language=language)
    url = urlsplit(authorisation.url)
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert authorisation.url.startswith(settings.issuer.rstrip("/"))
    assert json.loads(query["vtr"]) == ["Cl.Cm"]
    assert query["ui_locales"] == language
    assert query["state"] == authorisation.state
    assert query["nonce"] == authorisation.nonce
    assert query["response_type"] == "code"
    assert query["scope"].split() == ["openid", "email", "phone"]
    assert query["redirect_uri"] == f"{PORTAL}/one-login/callback"
    assert query["client_id"] == settings.client_id
    assert len(authorisation.state) >= 22 and len(authorisation.nonce) >= 22  # at least 128 bits
    again = one_login.begin(settings, language=language)
    assert (again.state, again.nonce) != (authorisation.state, authorisation.nonce)


def test_a_provider_that_is_down_is_unavailable(provider: LocalProvider, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    one_login.clear_cache()
    settings = _settings(provider, ONE_LOGIN_ISSUER=f"http://127.0.0.1:{port}/")
    with pytest.raises(OneLoginError) as refusal:
        one_login.begin(settings, language="en")
    assert refusal.value.reason == "unavailable"
    with pytest.raises(OneLoginError) as refusal:
        one_login.finish(
            settings, params={"code": "a-code", "state": "s"}, expected_state="s", expected_nonce="n"
        )
    assert refusal.value.reason == "unavailable"
