"""Agency API clients: creating keys, keeping their secrets safe, revoking them, and the demo keys.

A key looks like a GOV.UK Notify key: `{name}-{client id}-{secret}`, both UUIDs, so the client id is
`key[-73:-37]` and the secret `key[-36:]`. The agency signs each request's JWT (HS256) with the secret;
verifying that signature needs the secret itself, so it cannot be stored as a one-way hash. It is
stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived from SECRET_KEY with HKDF,
together with a SHA-256 fingerprint that the admin pages show. Anyone who has both the database and
SECRET_KEY can recover the secrets; changing SECRET_KEY makes every key unusable (issue new ones).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy.orm import Session

from portal.data import api_clients as api_clients_data
from portal.models import ApiAgency, ApiClient
from portal.models.api_clients import FORCE_SCOPED_AGENCIES
from portal.services.common import audit
from portal.services.common.errors import NotFound

AGENCIES: tuple[str, ...] = tuple(agency.value for agency in ApiAgency)
AGENCY_NAMES = {
    "police": "Police",
    "cps": "Crown Prosecution Service",
    "witness_care": "Witness Care",
    "probation": "Probation Service",
}
FORCE_CODE = re.compile(r"^\d{2}$")
_HKDF_INFO = b"victims-portal/api-client-secrets/v1"


class InvalidClient(ValueError):
    """The details given for a new client are not acceptable; the message says why."""


@dataclass(frozen=True)
class ClientSummary:
    id: str
    name: str
    agency: str
    agency_name: str
    force_code: str | None
    fingerprint: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewKey:
    client: ClientSummary
    key: str


def agency_needs_force(agency: str) -> bool:
    return agency in FORCE_SCOPED_AGENCIES


def key_name(name: str) -> str:
    """The readable first part of a key: 'Demo police' -> 'demo_police'."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return slug[:40] or "key"


def make_key(name: str, client_id: str, secret: str) -> str:
    return f"{key_name(name)}-{client_id}-{secret}"


def _fernet(secret_key: str | None = None) -> Fernet:
    return _fernet_for(secret_key or current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=4)
def _fernet_for(secret_key: str) -> Fernet:
    """Derived once per SECRET_KEY, not on every API call."""
    material = secret_key.encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str | None:
    """The plain secret, or None if it cannot be decrypted (SECRET_KEY changed since it was made)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def _summary(client: ApiClient) -> ClientSummary:
    return ClientSummary(
        id=client.id,
        name=client.name,
        agency=client.agency,
        agency_name=AGENCY_NAMES[client.agency],
        force_code=client.force_code,
        fingerprint=client.secret_fingerprint,
        created_at=client.created_at,
        created_by=client.created_by,
        revoked_at=client.revoked_at,
    )


def _validated(name: str, agency: str, force_code: str | None) -> tuple[str, str, str | None]:
    name = (name or "").strip()
    if not name:
        raise InvalidClient("Enter a name for the API client")
    if len(name) > 100:
        raise InvalidClient("Name must be 100 characters or fewer")
    if agency not in AGENCIES:
        raise InvalidClient(f"Agency must be one of: {', '.join(AGENCIES)}")
    force_code = (force_code or "").strip() or None
    if agency_needs_force(agency):
        if force_code is None:
            raise InvalidClient("Enter the police force code: police and witness care keys need one")
        if not FORCE_CODE.match(force_code):
            raise InvalidClient("Force code must be 2 digits, like 01")
    elif force_code is not None:
        raise InvalidClient("Only police and witness care keys have a force code")
    return name, agency, force_code


def create_client(
    session: Session,
    *,
    name: str,
    agency: str,
    force_code: str | None,
    created_by: str,
    actor_user_id: int | None = None,
    client_id: str | None = None,
    secret: str | None = None,
) -> NewKey:
    """Create a client and return its key. The key is shown once: only the fingerprint is kept in view."""
    name, agency, force_code = _validated(name, agency, force_code)
    client_id = client_id or str(uuid.uuid4())
    secret = secret or str(uuid.uuid4())
    client = api_clients_data.add_api_client(
        session,
        ApiClient(
            id=client_id,
            name=name,
            agency=agency,
            force_code=force_code,
            secret_encrypted=encrypt_secret(secret),
            secret_fingerprint=fingerprint(secret),
            created_by=created_by,
            created_at=datetime.now(UTC),
        ),
    )
    _audit(session, created_by, actor_user_id, "api_client.created", client)
    return NewKey(client=_summary(client), key=make_key(name, client_id, secret))


def list_clients(session: Session) -> list[ClientSummary]:
    return [_summary(client) for client in api_clients_data.list_api_clients(session)]


def get_client(session: Session, client_id: str) -> ClientSummary:
    client = api_clients_data.get_api_client(session, client_id) if _is_uuid(client_id) else None
    if client is None:
        raise NotFound
    return _summary(client)


def revoke_client(
    session: Session, client_id: str, *, revoked_by: str, actor_user_id: int | None = None
) -> ClientSummary:
    """Revoke a key for good: every request signed with it is refused from now on."""
    client = api_clients_data.get_api_client(session, client_id) if _is_uuid(client_id) else None
    if client is None:
        raise NotFound
    if client.revoked_at is None:
        client.revoked_at = datetime.now(UTC)
        client.revoked_by = revoked_by
        session.flush()
        _audit(session, revoked_by, actor_user_id, "api_client.revoked", client)
    return _summary(client)


def _audit(session: Session, label: str, user_id: int | None, action: str, client: ApiClient) -> None:
    audit.record(
        session,
        label,
        action,
        actor_user_id=user_id,
        detail={"client_id": client.id, "agency": client.agency, "force": client.force_code},
    )


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (ValueError, AttributeError):
        return False


# --- Demo keys: fixed, so the API reference's examples work as they stand against the demo data. -----


@dataclass(frozen=True)
class DemoClient:
    name: str
    agency: str
    force_code: str | None
    client_id: str
    secret: str

    @property
    def key(self) -> str:
        return make_key(self.name, self.client_id, self.secret)


DEMO_CLIENTS: tuple[DemoClient, ...] = (
    DemoClient(
        "Demo police",
        "police",
        "01",
        "5f28c6b3-6111-4633-8b44-4905cbcf46ba",
        "0a439888-9827-4e60-be87-c4cb6c3680c8",
    ),
    DemoClient(
        "Demo CPS",
        "cps",
        None,
        "de358d49-a0a6-42b5-9ca9-2b9656002c8d",
        "e6480e22-7dd7-4bb1-8db5-655561a667a7",
    ),
    DemoClient(
        "Demo witness care",
        "witness_care",
        "01",
        "bc11dbe4-adfa-498c-aa5e-2fe54aa9425e",
        "e5dcd1b9-eeb6-4938-b094-88fffe2a2f99",
    ),
    DemoClient(
        "Demo probation",
        "probation",
        None,
        "3c1ed4fd-8f04-42d2-a070-c20507033511",
        "9e8001ff-dcba-42e2-b6fd-5a38899d00bc",
    ),
)


def demo_client(agency: str) -> DemoClient:
    return next(client for client in DEMO_CLIENTS if client.agency == agency)


def seed_demo_clients(session: Session) -> None:
    """One client per agency with the fixed demo keys (demo data only: these keys are public)."""
    for demo in DEMO_CLIENTS:
        create_client(
            session,
            name=demo.name,
            agency=demo.agency,
            force_code=demo.force_code,
            created_by="demo data",
            client_id=demo.client_id,
            secret=demo.secret,
        )


def demo_keys() -> Sequence[tuple[str, str]]:
    """(description, key) for `flask seed` to print."""
    return [
        (f"{AGENCY_NAMES[d.agency]}" + (f" (force {d.force_code})" if d.force_code else ""), d.key)
        for d in DEMO_CLIENTS
    ]
