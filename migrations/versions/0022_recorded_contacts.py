"""contacts recorded by officers (issue 15); joins the two heads of 0020 and 0021

Revision ID: 0022_recorded_contacts
Revises: 0020_court_needs, 0021_statement_drafts
Create Date: 2026-11-30 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_recorded_contacts"
down_revision = ("0020_court_needs", "0021_statement_drafts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recorded_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method IN ('phone', 'in-person', 'at-court', 'letter-by-hand')",
            name=op.f("ck_recorded_contact_method"),
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["user_account.id"], name=op.f("fk_recorded_contact_by_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_recorded_contact_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_recorded_contact_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_contact")),
    )
    op.create_index(op.f("ix_recorded_contact_case_id"), "recorded_contact", ["case_id"], unique=False)
    op.create_index(op.f("ix_recorded_contact_victim_id"), "recorded_contact", ["victim_id"], unique=False)
    op.create_table(
        "recorded_contact_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_contact_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_contact_id"],
            ["recorded_contact.id"],
            name=op.f("fk_recorded_contact_update_recorded_contact_id_recorded_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["update_id"], ["case_update.id"], name=op.f("fk_recorded_contact_update_update_id_case_update")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_contact_update")),
        sa.UniqueConstraint(
            "recorded_contact_id", "update_id", name=op.f("uq_recorded_contact_update_recorded_contact_id")
        ),
    )
    op.create_index(
        op.f("ix_recorded_contact_update_update_id"), "recorded_contact_update", ["update_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recorded_contact_update_update_id"), table_name="recorded_contact_update")
    op.drop_table("recorded_contact_update")
    op.drop_index(op.f("ix_recorded_contact_victim_id"), table_name="recorded_contact")
    op.drop_index(op.f("ix_recorded_contact_case_id"), table_name="recorded_contact")
    op.drop_table("recorded_contact")
