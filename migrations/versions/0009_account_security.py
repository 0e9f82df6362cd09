"""account security (issue 14): wrong reset codes counted on the reset link; authenticator app secrets
encrypted at rest

- password_reset.failed_codes: wrong security codes entered through the link (the link dies at 5).
- user_account.totp_secret and totp_pending_secret become Text and hold Fernet tokens (key: HKDF-SHA256
  of SECRET_KEY, label "victims-portal/totp-secrets/v1", as portal.models.people does). Upgrade encrypts
  the rows already there; downgrade decrypts them (and stops if one does not decrypt with the key).

SECRET_KEY comes from the Alembic config's attributes ("secret_key", used by the tests), else from the
Flask app when run by `flask db-upgrade`, else from the environment as the portal reads it
(portal.config.Settings). Run it with the SECRET_KEY the portal uses.

Revision ID: 0009_account_security
Revises: 0005_accounts
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

revision = "0009_account_security"
# The accounts branch (0005 made password_reset, sign_in_code and totp_pending_secret). Like every
# branch here it starts from 0001_initial; `portal.migrate.upgrade` applies all heads.
down_revision = "0005_accounts"
branch_labels = None
depends_on = None

_INFO = b"victims-portal/totp-secrets/v1"
_COLUMNS = ("totp_secret", "totp_pending_secret")


def _secret_key() -> str:
    configured = context.config.attributes.get("secret_key")
    if configured:
        return str(configured)
    from flask import current_app, has_app_context

    if has_app_context():
        return str(current_app.config["SECRET_KEY"])
    from portal.config import Settings

    return Settings().SECRET_KEY


def _fernet() -> Fernet:
    key = _secret_key()
    if not key:
        raise RuntimeError("SECRET_KEY is not set: the authenticator app secrets cannot be encrypted")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _decrypter(fernet: Fernet) -> Callable[[str], str]:
    def decrypt(value: str) -> str:
        try:
            return fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            raise RuntimeError(
                "an authenticator app secret does not decrypt with this SECRET_KEY: downgrade with the key "
                "the portal used"
            ) from None

    return decrypt


def _rewrite(change: Callable[[Fernet], Callable[[str], str]]) -> None:
    """Rewrite every stored secret with `change` (the key is only read when there is a secret)."""
    conn = op.get_bind()
    users = sa.table("user_account", sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in _COLUMNS))
    rows = conn.execute(sa.select(users).where(sa.or_(*(users.c[c].is_not(None) for c in _COLUMNS)))).all()
    if not rows:
        return
    convert = change(_fernet())
    for row in rows:
        values = {c: convert(getattr(row, c)) for c in _COLUMNS if getattr(row, c) is not None}
        conn.execute(sa.update(users).where(users.c.id == row.id).values(**values))


def upgrade() -> None:
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_codes", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.alter_column(column, existing_type=sa.String(length=64), type_=sa.Text())
    _rewrite(lambda fernet: lambda value: fernet.encrypt(value.encode()).decode())


def downgrade() -> None:
    _rewrite(_decrypter)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=64))
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_column("failed_codes")
