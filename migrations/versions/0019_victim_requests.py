"""victim requests (issue 16): reviews, personal statements and complaints, and each change of status

Revision ID: 0019_victim_requests
Revises: 0018_welsh_message
Create Date: 2026-11-30 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_victim_requests"
down_revision = "0018_welsh_message"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("update_id", sa.String(length=36), nullable=True),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("acknowledge_by", sa.Date(), nullable=True),
        sa.Column("answer_by", sa.Date(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("outcome_cy", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["submitted_by_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["supersedes_id"], ["victim_request.id"]),
        sa.ForeignKeyConstraint(["update_id"], ["case_update.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_victim_request_case_id", "victim_request", ["case_id"])
    op.create_index("ix_victim_request_updated_at", "victim_request", ["updated_at"])
    op.create_index("ix_victim_request_agency_updated", "victim_request", ["agency", "updated_at"])
    op.create_index("ix_victim_request_victim_case", "victim_request", ["victim_id", "case_id"])
    op.create_table(
        "victim_request_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("by_api_client_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["by_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["victim_request.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_victim_request_event_request_id", "victim_request_event", ["request_id"])


def downgrade() -> None:
    op.drop_table("victim_request_event")
    op.drop_table("victim_request")
