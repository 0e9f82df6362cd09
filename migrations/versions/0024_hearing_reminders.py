"""hearing reminders (issue 15)

Revision ID: 0024_hearing_reminders
Revises: 0023_secure_messages
Create Date: 2026-11-30 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_hearing_reminders"
down_revision = "0023_secure_messages"
branch_labels = None
# The reminder refers to its outbox message: the outbox table (0002) must exist first, and it is on
# another branch of the history.
depends_on = ("0002_outbox",)


def upgrade() -> None:
    op.create_table(
        "hearing_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=False),
        sa.Column("hearing_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbound_message_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["outbound_message_id"], ["outbound_message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("victim_id", "case_id", "hearing_on", name="uq_hearing_reminder"),
    )
    op.create_index("ix_hearing_reminder_victim_id", "hearing_reminder", ["victim_id"])
    op.create_index("ix_hearing_reminder_case_id", "hearing_reminder", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_hearing_reminder_case_id", table_name="hearing_reminder")
    op.drop_index("ix_hearing_reminder_victim_id", table_name="hearing_reminder")
    op.drop_table("hearing_reminder")
