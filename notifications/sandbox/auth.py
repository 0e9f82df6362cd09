"""API key parsing and JWT checks, as Notify does them (with the same library functions Notify uses).

Key format `{name}-{service id}-{secret}`: service id = key[-73:-37], secret = key[-36:]. Requests carry
`Authorization: Bearer <JWT>`, HS256 only, `iss` = service id, `iat` within 30 seconds of our clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuedAtError,
    TokenIssuerError,
)

from notifications.sandbox.errors import ApiError


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ApiKey:
    name: str
    service_id: str
    secret: str

    @classmethod
    def parse(cls, key: str) -> ApiKey:
        service_id, secret = key[-73:-37], key[-36:]
        if len(key) < 75 or key[-74] != "-" or not is_uuid(service_id) or not is_uuid(secret):
            raise ValueError("an API key looks like {name}-{service id}-{secret}")
        return cls(name=key[:-74], service_id=service_id, secret=secret)


def _bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer ...` header, or ApiError 401 with Notify's messages."""
    if not authorization:
        raise ApiError(401, "AuthError", "Unauthorized: authentication token must be provided")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "AuthError", "Unauthorized: authentication bearer scheme must be used")
    return token.strip()


def authenticate(authorization: str | None, keys: list[ApiKey]) -> ApiKey:
    """The key that signed this request, or ApiError 401/403 with Notify's messages."""
    token = _bearer_token(authorization)
    try:
        issuer = get_token_issuer(token)
    except TokenIssuerError as error:
        raise ApiError(403, "AuthError", "Invalid token: iss field not provided") from error
    except (TokenDecodeError, TokenError) as error:
        raise ApiError(403, "AuthError", "Invalid token: signature, api token is not valid") from error
    if not isinstance(issuer, str) or not is_uuid(issuer):
        raise ApiError(403, "AuthError", "Invalid token: service id is not the right data type")
    candidates = [key for key in keys if key.service_id == issuer]
    if not candidates:
        raise ApiError(403, "AuthError", "Invalid token: service not found")
    for key in candidates:
        try:
            decode_jwt_token(token, key.secret)
        except TokenExpiredError as error:
            raise ApiError(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            ) from error
        except TokenAlgorithmError as error:
            raise ApiError(403, "AuthError", "Invalid token: algorithm used is not HS256") from error
        except TokenIssuedAtError as error:
            raise ApiError(403, "AuthError", "Invalid token: iat field not provided") from error
        except TokenDecodeError:
            continue  # signed with another key of this service
        except TokenError as error:
            raise ApiError(403, "AuthError", error.message) from error
        return key
    raise ApiError(403, "AuthError", "Invalid token: API key not found")
