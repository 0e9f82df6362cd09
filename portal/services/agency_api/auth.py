"""Authenticating agency API calls the way GOV.UK Notify does.

`Authorization: Bearer <JWT>`; the JWT is signed with HS256 (and nothing else) using the client's secret;
`iss` is the client id; `iat` must be within 30 seconds of our clock, either way; `jti` must be given and
is accepted once per client. Revoked clients are refused. Each failure has its own clear message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy.orm import Session

from portal.data import api_clients as api_clients_data
from portal.models import ApiClient
from portal.services.agency_api.clients import decrypt_secret
from portal.services.common.actors import ApiCaller

CLOCK_WINDOW_SECONDS = 30
MAX_JTI_LENGTH = 200
MAX_TOKEN_LENGTH = 4096


class ApiAuthError(Exception):
    """Authentication failed. `status` is 401 when no usable token was sent, 403 when it was refused.
    `client_id`: the existing client the token named in `iss` (not proof that it came from them: the
    signature may be what failed), for the audit trail's count of refusals; None if it named none."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.client_id: str | None = None


def bearer_token(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise ApiAuthError("Unauthorized: authentication token must be provided", 401)
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiAuthError("Unauthorized: authentication bearer scheme must be used", 401)
    return token.strip()


@dataclass(frozen=True)
class UsedToken:
    """A token accepted once: its `jti`, recorded as used until `expires_at`."""

    jti: str
    expires_at: datetime


def authenticate(session: Session, authorization: str | None, now: datetime) -> tuple[ApiCaller, UsedToken]:
    """Check the request's token and return the calling client and the token, or raise ApiAuthError.

    Records the token's `jti` in `session`: the caller must commit it even if the request it came
    with fails (a token is used once, whatever became of its request).
    """
    token = bearer_token(authorization)
    issuer = _unverified_issuer(token)
    client = api_clients_data.get_api_client(session, issuer) if _looks_like_uuid(issuer) else None
    if client is None:
        raise ApiAuthError("Invalid token: no API client with this id (iss)")
    try:
        used = _check_token_of(client, token, now)
    except ApiAuthError as error:
        error.client_id = client.id
        raise
    caller = ApiCaller(
        client_id=client.id, name=client.name, agency=client.agency, force_code=client.force_code
    )
    if not record_used_token(session, caller, used):
        replayed = ApiAuthError("Invalid token: this token has already been used (jti seen before)")
        replayed.client_id = client.id
        raise replayed
    return caller, used


def record_used_token(session: Session, caller: ApiCaller, used: UsedToken) -> bool:
    """Record the token's jti as used; False if it already was (a replay)."""
    return api_clients_data.add_jti(session, caller.client_id, used.jti, used.expires_at)


def _check_token_of(client: ApiClient, token: str, now: datetime) -> UsedToken:
    """The token, unless it is not a live, fresh token of `client` (ApiAuthError)."""
    verified = _verified_claims(token, client.secret_encrypted)
    if client.revoked_at is not None:
        raise ApiAuthError("Invalid token: API key revoked")
    _check_issued_at(verified.get("iat"), now)
    jti = _token_id(verified.get("jti"))
    return UsedToken(jti=jti, expires_at=now + timedelta(seconds=2 * CLOCK_WINDOW_SECONDS))


def _unverified_issuer(token: str) -> str:
    """The client id the token claims to come from, after checking it is an HS256 JWT at all."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise ApiAuthError("Invalid token: token is too long")
    try:
        unverified = jwt.decode_complete(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise ApiAuthError("Invalid token: not a JSON Web Token (JWT)") from None
    header, claims = unverified["header"], unverified["payload"]
    if header.get("alg") != "HS256":
        raise ApiAuthError("Invalid token: the JWT must be signed with HS256 (alg must be HS256)")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise ApiAuthError("Invalid token: iss field not provided (it must be your API client id)")
    return issuer


def _verified_claims(token: str, secret_encrypted: str) -> dict[str, Any]:
    """The token's claims, once its signature is checked with the client's secret."""
    secret = decrypt_secret(secret_encrypted)
    if secret is None:
        raise ApiAuthError("Invalid token: this API key can no longer be checked; ask for a new key")
    try:
        return jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"verify_iat": False, "verify_aud": False, "require": []},
        )
    except jwt.ExpiredSignatureError:
        raise ApiAuthError("Invalid token: the token has expired (exp)") from None
    except jwt.PyJWTError:  # a bad signature, or anything else wrong with it
        raise ApiAuthError("Invalid token: signature, API key is not valid") from None


def _check_issued_at(issued_at: Any, now: datetime) -> None:
    if issued_at is None:
        raise ApiAuthError("Invalid token: iat field not provided (the time the token was made)")
    if not isinstance(issued_at, int | float) or isinstance(issued_at, bool):
        raise ApiAuthError("Invalid token: iat must be a number of seconds since 1970 (a Unix time)")
    if abs(now.timestamp() - issued_at) > CLOCK_WINDOW_SECONDS:
        raise ApiAuthError(
            f"Error: your system clock must be accurate to within {CLOCK_WINDOW_SECONDS} seconds "
            "(iat is too old or in the future)"
        )


def _token_id(jti: Any) -> str:
    if not isinstance(jti, str) or not jti.strip():
        raise ApiAuthError("Invalid token: jti field not provided (a unique id for each token)")
    if len(jti) > MAX_JTI_LENGTH:
        raise ApiAuthError(f"Invalid token: jti must be {MAX_JTI_LENGTH} characters or fewer")
    return jti


def forget_expired_token_ids(session: Session, now: datetime) -> int:
    """Delete the recorded jtis whose tokens the clock check would refuse anyway. Run by the worker's
    periodic jobs, not on each API call (a DELETE per call is a statement the table does not need: a
    used jti is refused while its row exists, and its token fails the iat check by the time it goes)."""
    return api_clients_data.delete_expired_jtis(session, now)


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36
