"""secure messages between victims and the people on their case, with attachments (issue 15)

Revision ID: 0023_secure_messages
Revises: 0022_recorded_contacts
Create Date: 2026-11-30 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_secure_messages"
down_revision = "0022_recorded_contacts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("message_reply_days", sa.Integer(), nullable=True))
    op.create_table(
        "message_thread",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=30), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assigned_to_user_id", sa.Integer(), nullable=True),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('new', 'assigned', 'waiting', 'closed')", name=op.f("ck_message_thread_status")
        ),
        sa.ForeignKeyConstraint(["assigned_to_user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_message_thread_case_id", "message_thread", ["case_id"])
    op.create_index("ix_message_thread_updated_at", "message_thread", ["updated_at"])
    op.create_index("ix_message_thread_victim_case", "message_thread", ["victim_id", "case_id"])
    op.create_index("ix_message_thread_agency_updated", "message_thread", ["agency", "updated_at"])
    op.create_table(
        "secure_message",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("thread_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by_user_id", sa.Integer(), nullable=True),
        sa.Column("by_api_client_id", sa.String(length=64), nullable=True),
        sa.Column("author_label", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "direction IN ('from-victim', 'to-victim', 'note')", name=op.f("ck_secure_message_direction")
        ),
        sa.ForeignKeyConstraint(["thread_id"], ["message_thread.id"]),
        sa.ForeignKeyConstraint(["written_by_user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_secure_message_thread_id", "secure_message", ["thread_id"])
    op.create_index("ix_secure_message_created_at", "secure_message", ["created_at"])
    op.create_table(
        "message_attachment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("held_for_victim_id", sa.String(length=36), nullable=True),
        sa.Column("held_key", sa.String(length=40), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["secure_message.id"]),
        sa.ForeignKeyConstraint(["held_for_victim_id"], ["victim.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_message_attachment_message_id", "message_attachment", ["message_id"])
    op.create_index("ix_message_attachment_held", "message_attachment", ["held_for_victim_id", "held_key"])


def downgrade() -> None:
    op.drop_table("message_attachment")
    op.drop_table("secure_message")
    op.drop_table("message_thread")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("message_reply_days")
