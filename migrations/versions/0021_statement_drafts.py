"""statement drafts and documents (issue 16): a Victim Personal Statement kept while it is written

Revision ID: 0021_statement_drafts
Revises: 0019_victim_requests
Create Date: 2026-11-30 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_statement_drafts"
down_revision = "0019_victim_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("victim_id", "case_id", "purpose", name="uq_statement_draft"),
    )
    op.create_index("ix_statement_draft_case_id", "statement_draft", ["case_id"])
    op.create_table(
        "statement_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["victim_request.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_statement_document_case_id", "statement_document", ["case_id"])
    op.create_index("ix_statement_document_request_id", "statement_document", ["request_id"])
    op.create_index("ix_statement_document_owner", "statement_document", ["victim_id", "case_id", "purpose"])


def downgrade() -> None:
    op.drop_table("statement_document")
    op.drop_table("statement_draft")
