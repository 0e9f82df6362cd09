"""recovery links ask for the current password (issue 14)

- invitation.password_forgotten: set by the officer or admin who resets someone's second factor when the
  person has forgotten their password too. Unless it is set, the recovery link asks for the account's
  current password before a new second factor can be set up.

Revision ID: 0016_recovery_password
Revises: 0012_invitation_codes
Create Date: 2026-11-29 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_recovery_password"
down_revision = "0012_invitation_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("password_forgotten", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("password_forgotten")
