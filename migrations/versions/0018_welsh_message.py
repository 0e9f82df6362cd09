"""welsh message: an agency's own words to the victim in Welsh, when it sends them

Revision ID: 0018_welsh_message
Revises: 0012_invitation_codes
Create Date: 2026-11-29 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_welsh_message"
down_revision = "0012_invitation_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_update") as batch:
        batch.add_column(sa.Column("message_cy", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_update") as batch:
        batch.drop_column("message_cy")
