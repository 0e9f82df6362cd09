"""The One Login protocol service's refusals, against a small provider served over real HTTP in the test
(discovery document, JWKS, token and userinfo endpoints on 127.0.0.1), with tokens signed here by
joserfc. No database: nothing here uses the database fixtures, so each test runs once."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey

from portal import config
from portal.services.accounts import one_login, one_login_tokens
from portal.services.accounts.one_login import OneLoginError

CLIENT_ID = "portal-client-id"
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


@dataclass(frozen=True)
class Ago:
    """A time claim so many seconds before the token is signed (negative: after), worked out then."""

    seconds: int

    def at(self, now: int) -> int:
        return now - self.seconds


class LocalProvider:
    """Serves what the service fetches; the tests set `token_response` and `userinfo` and sign tokens."""

    def __init__(self) -> None:
        self.key = ECKey.generate_key("P-256", parameters={"kid": "signing-1", "use": "sig", "alg": "ES256"})
        self.published = [self.key]
        self.token_response: dict[str, Any] = {}
        self.userinfo: dict[str, Any] = {}
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.claimed_issuer: str | None = None  # what the discovery document says, when not the issuer
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                provider.requests.append((path, {}))
                if path == "/.well-known/openid-configuration":
                    self._send(provider.discovery())
                elif path == "/jwks":
                    self._send({"keys": [key.as_dict(private=False) for key in provider.published]})
                elif path == "/userinfo":
                    self._send(provider.userinfo)
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                provider.requests.append((urlsplit(self.path).path, form))
                self._send(provider.token_response)

        return Handler

    def discovery(self) -> dict[str, Any]:
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.claimed_issuer or self.issuer,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/logout",
        }

    def sign(self, claims: dict[str, Any], key: ECKey | None = None) -> str:
        signer = key or self.key
        return jwt.encode({"alg": "ES256", "kid": signer.kid}, claims, signer, algorithms=["ES256"])

    def id_claims(self, nonce_sent: str, /, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "urn:fdc:gov.uk:2022:subject-1",
            "iat": now,
            "exp": now + 180,
            "nonce": nonce_sent,
            "vot": "Cl.Cm",
            "sid": "session-1",
        }
        claims.update(
            {name: value.at(now) if isinstance(value, Ago) else value for name, value in changes.items()}
        )
        return {name: value for name, value in claims.items() if value is not None}

    def logout_claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "urn:fdc:gov.uk:2022:subject-1",
            "iat": now,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
            "events": {LOGOUT_EVENT: {}},
        }
        claims.update(
            {name: value.at(now) if isinstance(value, Ago) else value for name, value in changes.items()}
        )
        return {name: value for name, value in claims.items() if value is not None}

    def count(self, path: str) -> int:
        return sum(1 for seen, _form in self.requests if seen == path)


@pytest.fixture
def provider() -> Iterator[LocalProvider]:
    local = LocalProvider()
    thread = threading.Thread(target=local.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    one_login.clear_cache()
    try:
        yield local
    finally:
        local.server.shutdown()
        local.server.server_close()
        thread.join()
        one_login.clear_cache()


@pytest.fixture
def client_key() -> ECKey:
    return ECKey.generate_key("P-256")


@pytest.fixture
def settings(provider: LocalProvider, client_key: ECKey, tmp_path: Path) -> one_login.Settings:
    key_path = tmp_path / "one-login-key.pem"
    key_path.write_bytes(client_key.as_pem(private=True))
    configured = one_login.settings(
        {
            "ONE_LOGIN_CLIENT_ID": CLIENT_ID,
            "ONE_LOGIN_ISSUER": provider.issuer,
            "ONE_LOGIN_PRIVATE_KEY_PATH": str(key_path),
            "PORTAL_BASE_URL": "http://127.0.0.1:5000",
        }
    )
    assert configured is not None
    return configured


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _refused(reason: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(OneLoginError) as refusal:
        call(*args, **kwargs)
    assert refusal.value.reason == reason


# --- Settings -------------------------------------------------------------------------------------


def test_one_login_is_off_unless_client_issuer_and_key_are_all_set(tmp_path: Path) -> None:
    assert one_login.settings({"PORTAL_BASE_URL": "http://127.0.0.1:5000"}) is None
    partial = {"ONE_LOGIN_CLIENT_ID": CLIENT_ID, "ONE_LOGIN_ISSUER": "https://oidc.example/"}
    assert one_login.settings(partial) is None
    assert set(one_login.settings_problems(partial)) == {"ONE_LOGIN_PRIVATE_KEY_PATH"}
    public_only = tmp_path / "public.pem"
    public_only.write_bytes(ECKey.generate_key("P-256").as_pem(private=False))
    problems = one_login.settings_problems({**partial, "ONE_LOGIN_PRIVATE_KEY_PATH": str(public_only)})
    assert set(problems) == {"ONE_LOGIN_PRIVATE_KEY_PATH"}


def test_the_portal_refuses_to_start_with_one_login_half_configured(tmp_path: Path) -> None:
    key_path = tmp_path / "key.pem"
    key_path.write_bytes(ECKey.generate_key("P-256").as_pem(private=True))
    sound = {
        "ONE_LOGIN_CLIENT_ID": CLIENT_ID,
        "ONE_LOGIN_ISSUER": "http://127.0.0.1:9/",
        "ONE_LOGIN_PRIVATE_KEY_PATH": str(key_path),
    }
    assert not config.settings_problems({"PORTAL_ENV": "development", "PROXY_HOPS": 0, **sound})
    half = {"PORTAL_ENV": "development", "PROXY_HOPS": 0, "ONE_LOGIN_ISSUER": "https://oidc.example/"}
    with pytest.raises(config.SettingsError, match="ONE_LOGIN_CLIENT_ID"):
        config.check_settings(half)
    wrong_level = {"PORTAL_ENV": "development", "PROXY_HOPS": 0, **sound, "ONE_LOGIN_VTR": "P2"}
    assert set(config.settings_problems(wrong_level)) == {"ONE_LOGIN_VTR"}
    assert "ONE_LOGIN_ISSUER" in config.settings_problems({"PORTAL_ENV": "production", **sound})


def test_settings_default_the_return_addresses_and_medium_confidence(settings: one_login.Settings) -> None:
    assert settings.redirect_uri == "http://127.0.0.1:5000/one-login/callback"
    assert settings.post_logout_redirect_uri == "http://127.0.0.1:5000/signed-out"
    assert settings.vtr == "Cl.Cm"


# --- The whole exchange ---------------------------------------------------------------------------


def _callback(provider: LocalProvider, settings: one_login.Settings, **id_changes: Any) -> dict[str, Any]:
    """A sign-in begun, and the provider primed to answer its code; returns what `finish` needs."""
    authorisation = one_login.begin(settings, language="en")
    provider.token_response = {
        "access_token": "access-token-1",
        "token_type": "Bearer",
        "expires_in": 180,
        "id_token": provider.sign(provider.id_claims(authorisation.nonce, **id_changes)),
    }
    provider.userinfo = {
        "sub": "urn:fdc:gov.uk:2022:subject-1",
        "email": "person@example.com",
        "email_verified": True,
        "phone_number": "+447700900123",
        "phone_number_verified": True,
    }
    return {
        "params": {"code": "code-1", "state": authorisation.state},
        "expected_state": authorisation.state,
        "expected_nonce": authorisation.nonce,
    }


def test_a_sound_sign_in_gives_the_identity(provider: LocalProvider, settings: one_login.Settings) -> None:
    identity = one_login.finish(settings, **_callback(provider, settings))
    assert identity.subject == "urn:fdc:gov.uk:2022:subject-1"
    assert (identity.email, identity.email_verified) == ("person@example.com", True)
    assert identity.phone_number == "+447700900123"
    assert identity.vot == "Cl.Cm"


def test_the_client_authenticates_with_a_short_lived_private_key_jwt(
    provider: LocalProvider, settings: one_login.Settings, client_key: ECKey
) -> None:
    one_login.finish(settings, **_callback(provider, settings))
    one_login.finish(settings, **_callback(provider, settings))
    forms = [form for path, form in provider.requests if path == "/token"]
    assert len(forms) == 2
    jtis = set()
    for form in forms:
        assert form["grant_type"] == ["authorization_code"]
        assert form["redirect_uri"] == [settings.redirect_uri]
        assert form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
        assertion = jwt.decode(form["client_assertion"][0], client_key, algorithms=["ES256"])
        claims = assertion.claims
        assert claims["iss"] == claims["sub"] == CLIENT_ID
        assert claims["aud"] == provider.issuer.rstrip("/") + "/token"
        assert 0 < claims["exp"] - claims["iat"] <= 300
        jtis.add(claims["jti"])
    assert len(jtis) == 2


def test_the_provider_refusing_is_denied(provider: LocalProvider, settings: one_login.Settings) -> None:
    callback = _callback(provider, settings)
    callback["params"] = {"error": "access_denied", "state": callback["expected_state"]}
    _refused("denied", one_login.finish, settings, **callback)


@pytest.mark.parametrize("state", ["another-state", None])
def test_a_wrong_or_missing_state_is_refused(
    provider: LocalProvider, settings: one_login.Settings, state: str | None
) -> None:
    callback = _callback(provider, settings)
    callback["params"] = {"code": "code-1", **({"state": state} if state else {})}
    _refused("state", one_login.finish, settings, **callback)
    assert provider.count("/token") == 0


def test_a_callback_without_a_state_in_the_session_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    _refused("state", one_login.finish, settings, **{**_callback(provider, settings), "expected_state": None})


def test_a_replayed_callback_has_no_nonce_and_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    _refused("nonce", one_login.finish, settings, **{**_callback(provider, settings), "expected_nonce": None})
    assert provider.count("/token") == 0  # refused before the code is exchanged
    token = provider.sign(provider.id_claims("nonce-1"))
    _refused("nonce", one_login.check_id_token, settings, token, nonce=None)


def test_a_userinfo_subject_other_than_the_id_tokens_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    callback = _callback(provider, settings)
    provider.userinfo["sub"] = "urn:fdc:gov.uk:2022:someone-else"
    _refused("subject", one_login.finish, settings, **callback)


def test_the_provider_being_down_is_unavailable(
    settings: one_login.Settings, provider: LocalProvider
) -> None:
    provider.server.shutdown()
    provider.server.server_close()
    _refused("unavailable", one_login.begin, settings, language="en")


def test_a_discovery_document_for_another_issuer_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    provider.claimed_issuer = "https://oidc.example/"
    _refused("issuer", one_login.begin, settings, language="en")


def test_a_provider_that_does_not_answer_is_unavailable_after_the_timeout(
    settings: one_login.Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(one_login_tokens, "HTTP_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(one_login, "HTTP_TIMEOUT_SECONDS", 0.2)
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        one_login.begin(settings, language="en")  # the discovery document is cached from here on
        token_endpoint = f"http://127.0.0.1:{port}/token"
        discovery_url = settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
        discovery = {**provider_discovery(settings), "token_endpoint": token_endpoint}
        one_login_tokens._cache[discovery_url] = (time.monotonic(), discovery)
        started = time.monotonic()
        _refused(
            "unavailable",
            one_login.finish,
            settings,
            params={"code": "c", "state": "s"},
            expected_state="s",
            expected_nonce="n",
        )
        one_login.clear_cache()
        settings_elsewhere = dataclasses.replace(settings, issuer=f"http://127.0.0.1:{port}/")
        _refused("unavailable", one_login.begin, settings_elsewhere, language="en")
        assert time.monotonic() - started < 3


def provider_discovery(settings: one_login.Settings) -> dict[str, Any]:
    return requests.get(settings.issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=5).json()


# --- The ID token ---------------------------------------------------------------------------------


def test_a_sound_id_token_passes(provider: LocalProvider, settings: one_login.Settings) -> None:
    claims = one_login.check_id_token(settings, provider.sign(provider.id_claims("n")), nonce="n")
    assert claims["sub"] == "urn:fdc:gov.uk:2022:subject-1"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"nonce": "another-nonce"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"exp": Ago(31), "iat": Ago(300)}, "expired"),
        ({"iat": Ago(-120)}, "issued_in_future"),
        ({"aud": "another-client"}, "audience"),
        ({"aud": ["another-client"]}, "audience"),
        ({"azp": "another-client"}, "audience"),
        ({"iss": "https://oidc.example/"}, "issuer"),
        ({"vot": "Cl"}, "confidence"),
        ({"vot": None}, "confidence"),
    ],
    ids=[
        "wrong-nonce",
        "no-nonce",
        "expired",
        "issued-in-future",
        "wrong-audience",
        "wrong-audience-list",
        "wrong-azp",
        "wrong-issuer",
        "low-confidence",
        "no-vot",
    ],
)
def test_an_unsound_id_token_is_refused(
    provider: LocalProvider, settings: one_login.Settings, changes: dict[str, Any], reason: str
) -> None:
    token = provider.sign(provider.id_claims("n", **changes))
    _refused(reason, one_login.check_id_token, settings, token, nonce="n")


def test_an_unsigned_token_is_refused(provider: LocalProvider, settings: one_login.Settings) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    token = f"{header}.{_b64(json.dumps(provider.id_claims('n')).encode())}."
    _refused("algorithm", one_login.check_id_token, settings, token, nonce="n")


def test_hs256_with_the_public_key_as_secret_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": provider.key.kid}).encode())
    payload = _b64(json.dumps(provider.id_claims("n")).encode())
    secret = provider.key.as_pem(private=False)
    signature = _b64(hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    _refused("algorithm", one_login.check_id_token, settings, f"{header}.{payload}.{signature}", nonce="n")


def test_a_token_signed_by_another_key_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    impostor = ECKey.generate_key("P-256", parameters={"kid": provider.key.kid})
    token = provider.sign(provider.id_claims("n"), key=impostor)
    _refused("signature", one_login.check_id_token, settings, token, nonce="n")
    unknown = ECKey.generate_key("P-256", parameters={"kid": "not-published"})
    _refused(
        "signature",
        one_login.check_id_token,
        settings,
        provider.sign(provider.id_claims("n"), unknown),
        nonce="n",
    )


def test_keys_are_cached_and_fetched_again_once_for_an_unknown_kid(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    one_login.check_id_token(settings, provider.sign(provider.id_claims("n")), nonce="n")
    one_login.check_id_token(settings, provider.sign(provider.id_claims("n")), nonce="n")
    assert provider.count("/jwks") == 1
    assert provider.count("/.well-known/openid-configuration") == 1
    rotated = ECKey.generate_key("P-256", parameters={"kid": "signing-2", "use": "sig", "alg": "ES256"})
    provider.published = [provider.key, rotated]
    one_login.check_id_token(settings, provider.sign(provider.id_claims("n"), rotated), nonce="n")
    assert provider.count("/jwks") == 2
    unknown = ECKey.generate_key("P-256", parameters={"kid": "never-published"})
    _refused(
        "signature",
        one_login.check_id_token,
        settings,
        provider.sign(provider.id_claims("n"), unknown),
        nonce="n",
    )
    assert provider.count("/jwks") == 3


# --- Back-channel logout tokens ---------------------------------------------------------------------


def test_a_sound_logout_token_names_the_subject_its_id_and_expiry(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    claims = provider.logout_claims()
    notice = one_login.logout_notice(settings, provider.sign(claims))
    assert notice.subject == "urn:fdc:gov.uk:2022:subject-1"
    assert notice.jti == claims["jti"]
    assert notice.expires_at == datetime.fromtimestamp(claims["exp"], UTC)


@pytest.mark.parametrize(
    "changes",
    [
        {"events": None},
        {"events": {"http://schemas.openid.net/event/other": {}}},
        {"nonce": "n"},
        {"aud": "another-client"},
        {"iss": "https://oidc.example/"},
        {"sub": None},
        {"jti": None},
        {"iat": Ago(-600)},
        {"exp": Ago(60)},
        {"exp": None},
    ],
    ids=[
        "no-events",
        "other-event",
        "nonce",
        "wrong-audience",
        "wrong-issuer",
        "no-sub",
        "no-jti",
        "future",
        "expired",
        "no-exp",
    ],
)
def test_an_unsound_logout_token_is_refused(
    provider: LocalProvider, settings: one_login.Settings, changes: dict[str, Any]
) -> None:
    token = provider.sign(provider.logout_claims(**changes))
    _refused("logout_token", one_login.logout_notice, settings, token)


def test_a_logout_token_signed_by_another_key_is_refused(
    provider: LocalProvider, settings: one_login.Settings
) -> None:
    impostor = ECKey.generate_key("P-256", parameters={"kid": provider.key.kid})
    _refused(
        "logout_token", one_login.logout_notice, settings, provider.sign(provider.logout_claims(), impostor)
    )
