"""outbound_message.waited_for: a message someone is waiting for on a page (a security code, a password
reset link), claimed by the workers before the messages due earlier

Revision ID: 0027_outbox_waited_for
Revises: 0026_one_login
Create Date: 2026-11-30 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_outbox_waited_for"
down_revision = "0026_one_login"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_message") as batch_op:
        batch_op.add_column(sa.Column("waited_for", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbound_message") as batch_op:
        batch_op.drop_column("waited_for")
