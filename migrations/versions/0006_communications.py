"""communications: which outbox message told which victim about which update

Revision ID: 0006_communications
Revises: 0002_outbox
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_communications"
down_revision = "0002_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "communication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("update_id", sa.String(length=36), nullable=True),
        sa.Column("outbound_message_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("detailed", sa.Boolean(), nullable=False),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_communication_victim_id_victim")),
        sa.ForeignKeyConstraint(
            ["update_id"], ["case_update.id"], name=op.f("fk_communication_update_id_case_update")
        ),
        sa.ForeignKeyConstraint(
            ["outbound_message_id"],
            ["outbound_message.id"],
            name=op.f("fk_communication_outbound_message_id_outbound_message"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"],
            ["user_account.id"],
            name=op.f("fk_communication_recipient_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication")),
    )
    with op.batch_alter_table("communication") as batch:
        batch.create_index(batch.f("ix_communication_victim_id"), ["victim_id"], unique=False)
        batch.create_index(batch.f("ix_communication_update_id"), ["update_id"], unique=False)
        batch.create_index(
            batch.f("ix_communication_outbound_message_id"), ["outbound_message_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("communication")
