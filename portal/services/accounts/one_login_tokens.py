"""The checks on the tokens GOV.UK One Login signs (ID tokens and back-channel logout tokens), and the
provider's documents they depend on (discovery and keys), fetched over HTTP and cached in this process.

Signatures are checked by joserfc against the provider's published keys (found by `key_finder`: the JWKS
is cached for CACHE_SECONDS and fetched again once when a token names a key it lacks); only ES256 and RS256 are accepted, never `none` and
never an HMAC algorithm (a public key used as an HMAC secret would otherwise pass). Each refusal raises
OneLoginError with a short `reason` the caller can act on and log without repeating the token.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from joserfc import jws, jwt
from joserfc.errors import (
    ClaimError,
    ExpiredTokenError,
    InvalidPayloadError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import Key, KeyParameters, KeySet
from joserfc.jwt import ClaimsOption

#: The signing algorithms accepted on One Login's tokens (One Login signs with ES256).
ALGORITHMS = ("ES256", "RS256")
#: Seconds to wait for the provider; seconds its discovery document and keys are kept.
HTTP_TIMEOUT_SECONDS = 5
CACHE_SECONDS = 600
#: Clock skew allowed on `exp` and `iat`, in seconds.
LEEWAY_SECONDS = 30
#: OpenID Back-Channel Logout 1.0: the event a logout token must carry.
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
#: Vectors of trust that One Login can assert, weakest first: `Cl` (low) then `Cl.Cm` (medium).
CONFIDENCE_LEVELS = ("Cl", "Cl.Cm")

REASONS = frozenset(
    {
        "state",
        "nonce",
        "signature",
        "algorithm",
        "issuer",
        "audience",
        "expired",
        "issued_in_future",
        "confidence",
        "subject",
        "denied",
        "unavailable",
        "token",
        "logout_token",
    }
)

#: Finds the provider's key for a token's `kid` (None when the token names none); raises
#: OneLoginError("signature") when there is no such key, OneLoginError("unavailable") when the keys
#: cannot be fetched.
KeyFinder = Callable[[str | None, str], Key]


@dataclass(frozen=True)
class LogoutNotice:
    """A sound back-channel logout token: whose One Login session ended, and the token's id (`jti`) and
    expiry, so that the same token is acted on once."""

    subject: str
    jti: str
    expires_at: datetime


class OneLoginError(Exception):
    """Sign-in or sign-out through One Login refused; `reason` is one of REASONS."""

    def __init__(self, reason: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown One Login refusal reason: {reason}")
        super().__init__(reason)
        self.reason = reason


_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OneLoginError("unavailable") from error
    if not isinstance(document, dict):
        raise OneLoginError("unavailable")
    return document


def cached_json(url: str, *, refresh: bool = False) -> tuple[float, dict[str, Any]]:
    """(when fetched, on the monotonic clock; the JSON object at `url`), from this process's cache while
    it is younger than CACHE_SECONDS. Only the provider's public documents are cached, never a person's."""
    with _cache_lock:
        entry = _cache.get(url)
    if entry is not None and not refresh and time.monotonic() - entry[0] < CACHE_SECONDS:
        return entry
    fetched = (time.monotonic(), _get_json(url))
    with _cache_lock:
        _cache[url] = fetched
    return fetched


def clear_cache() -> None:
    """Forget every cached discovery document and key set (the next use fetches them again)."""
    with _cache_lock:
        _cache.clear()


def _key_set(url: str, *, refresh: bool = False) -> tuple[float, KeySet]:
    fetched, document = cached_json(url, refresh=refresh)
    try:
        return fetched, KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise OneLoginError("unavailable") from error


def key_finder(jwks_uri: Callable[[], str]) -> KeyFinder:
    """Finds a signing key in the provider's JWKS (at `jwks_uri()`), fetching the set again once when the
    cached one lacks the token's `kid` (the provider may have rotated its keys)."""

    def key_for(kid: str | None, algorithm: str) -> Key:
        url = jwks_uri()
        started = time.monotonic()
        fetched, keys = _key_set(url)
        wanted: KeyParameters = {"use": "sig", "alg": algorithm}
        try:
            return keys.get_by_kid(kid, wanted)
        except JoseError:
            if fetched >= started:  # fetched just now: fetching again would find nothing new
                raise OneLoginError("signature") from None
        _fetched, keys = _key_set(url, refresh=True)
        try:
            return keys.get_by_kid(kid, wanted)
        except JoseError:
            raise OneLoginError("signature") from None

    return key_for


def _timestamp(now: datetime | None) -> int:
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return int(moment.timestamp())


def _verified_claims(token: str, key_for: KeyFinder) -> dict[str, Any]:
    """The token's claims once its algorithm and signature have been checked (nothing else yet)."""
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, UnicodeEncodeError, ValueError) as error:
        raise OneLoginError("token") from error
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise OneLoginError("algorithm")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise OneLoginError("token")
    key = key_for(kid, algorithm)
    try:
        decoded = jwt.decode(token, key, algorithms=[algorithm])
    except InvalidPayloadError as error:
        raise OneLoginError("token") from error
    except JoseError as error:  # a bad signature, or a key that does not fit the algorithm
        raise OneLoginError("signature") from error
    return dict(decoded.claims)


def _check_registered_claims(claims: Mapping[str, Any], *, issuer: str, client_id: str, now: int) -> None:
    """`iss`, `aud` (and `azp` when present), `exp` and `iat` with LEEWAY_SECONDS of clock skew."""
    options: dict[str, ClaimsOption] = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
        "iat": {"essential": True},
        "exp": {"essential": True},
    }
    registry = jwt.JWTClaimsRegistry(now=now, leeway=LEEWAY_SECONDS, **options)
    try:
        registry.validate(dict(claims))
    except ExpiredTokenError as error:
        raise OneLoginError("expired") from error
    except MissingClaimError as error:
        raise OneLoginError("token") from error
    except ClaimError as error:
        reason = {"iss": "issuer", "aud": "audience", "iat": "issued_in_future", "exp": "token"}
        raise OneLoginError(reason.get(error.claim, "token")) from error
    if "azp" in claims and claims["azp"] != client_id:
        raise OneLoginError("audience")


def meets_confidence(vot: object, asked: str) -> bool:
    """True when the vector of trust One Login asserts (`vot`) is at least the level asked for."""
    if not isinstance(vot, str) or vot not in CONFIDENCE_LEVELS:
        return False
    return CONFIDENCE_LEVELS.index(vot) >= CONFIDENCE_LEVELS.index(asked)


def verify_id_token(
    token: str,
    *,
    issuer: str,
    client_id: str,
    nonce: str | None,
    vtr: str,
    key_for: KeyFinder,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The claims of a sound ID token, or OneLoginError naming the first check it fails."""
    if nonce is None:  # the nonce was already used (a replayed callback) or never issued
        raise OneLoginError("nonce")
    claims = _verified_claims(token, key_for)
    _check_registered_claims(claims, issuer=issuer, client_id=client_id, now=_timestamp(now))
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        raise OneLoginError("nonce")
    if not meets_confidence(claims.get("vot"), vtr):
        raise OneLoginError("confidence")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OneLoginError("token")
    return claims


def verify_logout_token(
    token: str, *, issuer: str, client_id: str, key_for: KeyFinder, now: datetime | None = None
) -> LogoutNotice:
    """What a sound back-channel logout token says (OpenID Back-Channel Logout 1.0, 2.6, and One Login's
    own list: `exp` required and in the future); any fault is OneLoginError("logout_token") (except
    "unavailable" when the keys cannot be fetched). Whether its `jti` was seen before is the caller's
    check (it needs the database)."""
    try:
        claims = _verified_claims(token, key_for)
        _check_registered_claims(claims, issuer=issuer, client_id=client_id, now=_timestamp(now))
    except OneLoginError as error:
        if error.reason == "unavailable":
            raise
        raise OneLoginError("logout_token") from error
    events = claims.get("events")
    jti = claims.get("jti")
    subject = claims.get("sub")
    if (
        not isinstance(events, dict)
        or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict)
        or "nonce" in claims
        or not isinstance(jti, str)
        or not jti
        or not isinstance(subject, str)
        or not subject
    ):
        raise OneLoginError("logout_token")
    return LogoutNotice(subject=subject, jti=jti, expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC))
