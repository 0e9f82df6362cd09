"""Sign in with GOV.UK One Login: the OpenID Connect protocol, as One Login's technical documentation
sets it out.

Authorisation code flow; the client authenticates to the token endpoint with `private_key_jwt` (an
assertion signed with the service's private key, valid for 5 minutes); `state` and `nonce` are random
(256 bits); `vtr` asks for a level of confidence (`Cl.Cm`, medium, by default); `ui_locales` is the
person's language. The ID token's checks are in one_login_tokens.py. The provider's discovery document
and keys are fetched over HTTP (5 s timeouts) and cached in this process for 10 minutes; the keys are
fetched again once when a token names a key not in the cached set. Nothing about a person is cached.

One Login is on only when ONE_LOGIN_CLIENT_ID, ONE_LOGIN_ISSUER and ONE_LOGIN_PRIVATE_KEY_PATH are set
(`settings` returns None otherwise). The caller keeps `state` and `nonce` in the session between `begin`
and `finish`, and removes them before calling `finish`, so a replayed callback is refused.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7523.assertion import private_key_jwt_sign
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from portal.services.accounts.one_login_tokens import (
    CONFIDENCE_LEVELS,
    HTTP_TIMEOUT_SECONDS,
    KeyFinder,
    LogoutNotice,
    OneLoginError,
    cached_json,
    clear_cache,
    key_finder,
    verify_id_token,
    verify_logout_token,
)

__all__ = [
    "Authorisation",
    "Identity",
    "LogoutNotice",
    "OneLoginError",
    "Settings",
    "begin",
    "check_id_token",
    "clear_cache",
    "end_session_url",
    "finish",
    "logout_notice",
    "settings",
    "settings_given",
    "settings_problems",
]

#: How long the client assertion sent to the token endpoint is valid (One Login: at most 5 minutes).
ASSERTION_SECONDS = 300
SCOPES = "openid email phone"
CALLBACK_PATH = "/one-login/callback"
SIGNED_OUT_PATH = "/signed-out"


@dataclass(frozen=True)
class Settings:
    client_id: str
    issuer: str
    private_key_pem: str
    vtr: str
    redirect_uri: str
    post_logout_redirect_uri: str


@dataclass(frozen=True)
class Authorisation:
    url: str
    state: str
    nonce: str


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str | None
    email_verified: bool
    phone_number: str | None
    id_token: str
    vot: str
    #: When the person last signed in at One Login (its session may be older than this sign-in to us).
    auth_time: datetime | None = None


# --- Settings ---------------------------------------------------------------------------------------


def _text(config: Mapping[str, Any], name: str) -> str:
    return str(config.get(name) or "").strip()


def _private_key(pem: str) -> ECKey | RSAKey:
    """The service's private key: EC P-256 (signs ES256) or RSA (signs RS256)."""
    try:
        key: ECKey | RSAKey = ECKey.import_key(pem)
    except JoseError:
        key = RSAKey.import_key(pem)
    if not key.is_private:
        raise ValueError("a public key, not the service's private key")
    if isinstance(key, ECKey) and key.as_dict()["crv"] != "P-256":
        raise ValueError("an EC key must be on the P-256 curve")
    return key


def _problems(config: Mapping[str, Any]) -> dict[str, str]:
    names = ("ONE_LOGIN_CLIENT_ID", "ONE_LOGIN_ISSUER", "ONE_LOGIN_PRIVATE_KEY_PATH")
    given = [name for name in names if _text(config, name)]
    if not given:
        return {}
    problems = {
        name: "not set: One Login needs ONE_LOGIN_CLIENT_ID, ONE_LOGIN_ISSUER and ONE_LOGIN_PRIVATE_KEY_PATH"
        for name in names
        if name not in given
    }
    vtr = _text(config, "ONE_LOGIN_VTR") or "Cl.Cm"
    if vtr not in CONFIDENCE_LEVELS:
        problems["ONE_LOGIN_VTR"] = f"must be one of {', '.join(CONFIDENCE_LEVELS)}"
    issuer = _text(config, "ONE_LOGIN_ISSUER")
    if issuer and urlsplit(issuer).scheme not in ("http", "https"):
        problems["ONE_LOGIN_ISSUER"] = "must be the provider's address (https://...)"
    path = _text(config, "ONE_LOGIN_PRIVATE_KEY_PATH")
    if path:
        try:
            _private_key(Path(path).read_text())
        except OSError:
            problems["ONE_LOGIN_PRIVATE_KEY_PATH"] = "cannot be read"
        except (JoseError, ValueError) as error:
            problems["ONE_LOGIN_PRIVATE_KEY_PATH"] = f"is not a PEM private key, EC P-256 or RSA ({error})"
    return problems


def settings_problems(config: Mapping[str, Any], *, production: bool = False) -> dict[str, str]:
    """Setting name -> what is wrong with One Login's settings (nothing when One Login is off). In
    production the issuer and both return addresses must be https://."""
    problems = _problems(config)
    if production and settings_given(config):
        for name in ("ONE_LOGIN_ISSUER", "ONE_LOGIN_REDIRECT_URI", "ONE_LOGIN_POST_LOGOUT_REDIRECT_URI"):
            value = _text(config, name)
            if value and urlsplit(value).scheme != "https" and name not in problems:
                problems[name] = "must be an https:// address"
    return problems


def settings_given(config: Mapping[str, Any]) -> bool:
    """True when One Login is on: its client id, issuer and key path are all set."""
    return all(
        _text(config, name)
        for name in ("ONE_LOGIN_CLIENT_ID", "ONE_LOGIN_ISSUER", "ONE_LOGIN_PRIVATE_KEY_PATH")
    )


def settings(config: Mapping[str, Any]) -> Settings | None:
    """One Login's settings from the app's config, or None when One Login is not configured. Raises
    ValueError naming the problem when it is configured unsoundly (create_app refuses to start first)."""
    if not settings_given(config):
        return None
    problems = _problems(config)
    if problems:
        raise ValueError("; ".join(f"{name}: {problem}" for name, problem in problems.items()))
    base = _text(config, "PORTAL_BASE_URL").rstrip("/")
    return Settings(
        client_id=_text(config, "ONE_LOGIN_CLIENT_ID"),
        issuer=_text(config, "ONE_LOGIN_ISSUER"),
        private_key_pem=Path(_text(config, "ONE_LOGIN_PRIVATE_KEY_PATH")).read_text(),
        vtr=_text(config, "ONE_LOGIN_VTR") or "Cl.Cm",
        redirect_uri=_text(config, "ONE_LOGIN_REDIRECT_URI") or base + CALLBACK_PATH,
        post_logout_redirect_uri=_text(config, "ONE_LOGIN_POST_LOGOUT_REDIRECT_URI")
        or base + SIGNED_OUT_PATH,
    )


# --- The provider's discovery document --------------------------------------------------------------


def _discovery(s: Settings) -> dict[str, Any]:
    document = cached_json(s.issuer.rstrip("/") + "/.well-known/openid-configuration")[1]
    if document.get("issuer") != s.issuer:  # OpenID Connect Discovery 1.0, 4.3
        raise OneLoginError("issuer")
    return document


def _endpoint(s: Settings, name: str) -> str:
    value = _discovery(s).get(name)
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise OneLoginError("unavailable")
    return value


def _key_finder(s: Settings) -> KeyFinder:
    return key_finder(lambda: _endpoint(s, "jwks_uri"))


# --- The protocol -----------------------------------------------------------------------------------


def begin(s: Settings, *, language: str) -> Authorisation:
    """Where to send the person to sign in, and the `state` and `nonce` to keep until they return."""
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    endpoint = urlsplit(_endpoint(s, "authorization_endpoint"))
    query = [
        *parse_qsl(endpoint.query),
        ("response_type", "code"),
        ("scope", SCOPES),
        ("client_id", s.client_id),
        ("redirect_uri", s.redirect_uri),
        ("state", state),
        ("nonce", nonce),
        ("vtr", json.dumps([s.vtr])),
        ("ui_locales", "cy" if language.lower().startswith("cy") else "en"),
    ]
    return Authorisation(url=urlunsplit(endpoint._replace(query=urlencode(query))), state=state, nonce=nonce)


def check_id_token(
    s: Settings, token: str, *, nonce: str | None, now: datetime | None = None
) -> dict[str, Any]:
    """The claims of a sound ID token (signature, issuer, audience, times, nonce, confidence)."""
    return verify_id_token(
        token,
        issuer=s.issuer,
        client_id=s.client_id,
        nonce=nonce,
        vtr=s.vtr,
        key_for=_key_finder(s),
        now=now,
    )


def logout_notice(s: Settings, logout_token: str, *, now: datetime | None = None) -> LogoutNotice:
    """Whose One Login session a back-channel logout token ends (with its `jti` and expiry), or
    OneLoginError("logout_token") (or "unavailable" when the provider's keys cannot be fetched)."""
    return verify_logout_token(
        logout_token, issuer=s.issuer, client_id=s.client_id, key_for=_key_finder(s), now=now
    )


def end_session_url(s: Settings, *, id_token_hint: str, state: str) -> str | None:
    """Where to send the person to sign out of One Login too; None when the provider has no
    end_session_endpoint."""
    endpoint = _discovery(s).get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return None
    parts = urlsplit(endpoint)
    query = [
        *parse_qsl(parts.query),
        ("id_token_hint", id_token_hint),
        ("post_logout_redirect_uri", s.post_logout_redirect_uri),
        ("state", state),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


class _ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """private_key_jwt whose assertion expires after ASSERTION_SECONDS (Authlib's default is an hour),
    with a new random `jti` every time."""

    def sign(self, auth: Any, token_endpoint: str) -> str:
        return str(
            private_key_jwt_sign(
                auth.client_secret,
                client_id=auth.client_id,
                token_endpoint=token_endpoint,
                alg=self.alg,
                expires_in=ASSERTION_SECONDS,
            )
        )


def _exchange(s: Settings, code: str) -> dict[str, Any]:
    """The token endpoint's answer for the authorisation code."""
    token_endpoint = _endpoint(s, "token_endpoint")
    key = _private_key(s.private_key_pem)
    method = _ShortLivedPrivateKeyJWT(token_endpoint, alg="ES256" if isinstance(key, ECKey) else "RS256")
    with OAuth2Session(
        s.client_id,
        key,
        token_endpoint_auth_method=method.name,
        redirect_uri=s.redirect_uri,
        default_timeout=HTTP_TIMEOUT_SECONDS,
    ) as session:
        session.register_client_auth_method(method)
        try:
            token = session.fetch_token(
                token_endpoint,
                grant_type="authorization_code",
                code=code,
                timeout=HTTP_TIMEOUT_SECONDS,
            )
        except OAuthError as error:  # the provider refused the code or the client
            raise OneLoginError("token") from error
        except (requests.RequestException, ValueError) as error:
            raise OneLoginError("unavailable") from error
    return dict(token)


def _userinfo(s: Settings, access_token: str) -> dict[str, Any]:
    url = _endpoint(s, "userinfo_endpoint")
    try:
        response = requests.get(
            url,
            timeout=HTTP_TIMEOUT_SECONDS,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
    except requests.RequestException as error:
        raise OneLoginError("unavailable") from error
    if response.status_code >= 500:
        raise OneLoginError("unavailable")
    if response.status_code != 200:
        raise OneLoginError("token")
    try:
        claims = response.json()
    except ValueError as error:
        raise OneLoginError("unavailable") from error
    if not isinstance(claims, dict):
        raise OneLoginError("unavailable")
    return claims


def finish(
    s: Settings,
    *,
    params: Mapping[str, str],
    expected_state: str | None,
    expected_nonce: str | None,
    now: datetime | None = None,
) -> Identity:
    """The person One Login signed in, from the callback's query string `params`; OneLoginError otherwise."""
    if "error" in params:
        raise OneLoginError("denied")
    state = params.get("state")
    if (
        expected_state is None
        or not state
        or not hmac.compare_digest(state.encode(), expected_state.encode())
    ):
        raise OneLoginError("state")
    if expected_nonce is None:  # no nonce in the session: the callback was replayed
        raise OneLoginError("nonce")
    code = params.get("code")
    if not code:
        raise OneLoginError("token")
    token = _exchange(s, code)
    id_token = token.get("id_token")
    access_token = token.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise OneLoginError("token")
    claims = check_id_token(s, id_token, nonce=expected_nonce, now=now)
    userinfo = _userinfo(s, access_token)
    subject = userinfo.get("sub")
    if not isinstance(subject, str) or not hmac.compare_digest(subject.encode(), claims["sub"].encode()):
        raise OneLoginError("subject")
    email = userinfo.get("email")
    phone = userinfo.get("phone_number")
    return Identity(
        subject=claims["sub"],
        email=email if isinstance(email, str) and email else None,
        email_verified=userinfo.get("email_verified") is True,
        phone_number=phone if isinstance(phone, str) and phone else None,
        id_token=id_token,
        vot=str(claims["vot"]),
        auth_time=_moment(claims.get("auth_time")),
    )


def _moment(value: Any) -> datetime | None:
    """A NumericDate claim as a time (None when it is missing or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)
