"""one_login_identity: a victim's GOV.UK One Login linked to their account

Revision ID: 0026_one_login
Revises: 0025_communication_sentinel
Create Date: 2026-11-30 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_one_login"
down_revision = "0025_communication_sentinel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "one_login_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by_label", sa.String(length=200), nullable=False),
        sa.Column("linked_via", sa.String(length=20), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_one_login_identity_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_login_identity")),
        sa.UniqueConstraint("subject", name=op.f("uq_one_login_identity_subject")),
        sa.UniqueConstraint("user_id", name=op.f("uq_one_login_identity_user_id")),
    )


def downgrade() -> None:
    op.drop_table("one_login_identity")
