"""court needs (issue 16): dates a victim cannot go to court and the help they need there, versioned per
victim and case, and officers' reviews of them

Revision ID: 0020_court_needs
Revises: 0019_victim_requests
Create Date: 2026-11-30 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_court_needs"
down_revision = "0019_victim_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "court_needs_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("victim_id", "case_id", "version"),
    )
    op.create_index("ix_court_needs_version_victim_id", "court_needs_version", ["victim_id"])
    op.create_index("ix_court_needs_version_case_id", "court_needs_version", ["case_id"])
    op.create_table(
        "court_needs_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_label", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["reviewer_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_court_needs_review_victim_id", "court_needs_review", ["victim_id"])


def downgrade() -> None:
    op.drop_index("ix_court_needs_review_victim_id", table_name="court_needs_review")
    op.drop_table("court_needs_review")
    op.drop_index("ix_court_needs_version_case_id", table_name="court_needs_version")
    op.drop_index("ix_court_needs_version_victim_id", table_name="court_needs_version")
    op.drop_table("court_needs_version")
