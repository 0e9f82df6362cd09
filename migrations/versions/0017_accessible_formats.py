"""accessible format tasks (issue 17): updates a victim needs in a form Notify cannot send

Revision ID: 0017_accessible_formats
Revises: 0016_recovery_password
Create Date: 2026-11-29 23:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_accessible_formats"
down_revision = "0016_recovery_password"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accessible_format_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=100), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["done_by_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["update_id"], ["case_update.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("victim_id", "update_id", "kind", name="uq_accessible_format_task"),
    )
    op.create_index("ix_accessible_format_task_victim_id", "accessible_format_task", ["victim_id"])
    op.create_index("ix_accessible_format_task_case_id", "accessible_format_task", ["case_id"])
    op.create_index("ix_accessible_format_task_done_at", "accessible_format_task", ["done_at"])


def downgrade() -> None:
    op.drop_table("accessible_format_task")
