"""communication: insert sentinel (many rows in one INSERT on every database)

Revision ID: 0025_communication_sentinel
Revises: 0024_hearing_reminders
Create Date: 2026-11-30 09:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_communication_sentinel"
down_revision = "0024_hearing_reminders"
branch_labels = None
# The communication table (0006) is on another branch of the history.
depends_on = ("0006_communications",)


def upgrade() -> None:
    with op.batch_alter_table("communication") as batch:
        batch.add_column(sa.Column("_sentinel", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("communication") as batch:
        batch.drop_column("_sentinel")
