"""outbox: outbound_message, the messages waiting for or sent through GOV.UK Notify

Revision ID: 0002_outbox
Revises: 0001_initial
Create Date: 2026-11-28 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_outbox"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbound_message",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notify_id", sa.String(length=36), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("give_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("correlation", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('email', 'sms', 'letter')", name=op.f("ck_outbound_message_channel")),
        sa.CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'delivered', 'permanent-failure', "
            "'temporary-failure', 'technical-failure', 'failed')",
            name=op.f("ck_outbound_message_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_message")),
    )
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbound_message_correlation"), ["correlation"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbound_message_notify_id"), ["notify_id"], unique=False)
        batch_op.create_index(
            "ix_outbound_message_status_claimed_until", ["status", "claimed_until"], unique=False
        )
        batch_op.create_index(
            "ix_outbound_message_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbound_message_status_next_attempt_at")
        batch_op.drop_index("ix_outbound_message_status_claimed_until")
        batch_op.drop_index(batch_op.f("ix_outbound_message_notify_id"))
        batch_op.drop_index(batch_op.f("ix_outbound_message_correlation"))
    op.drop_table("outbound_message")
