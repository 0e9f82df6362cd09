"""one_login_identity: a victim's GOV.UK One Login linked to their account; one_login_logout_token: the
back-channel logout tokens acted on, until they expire

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
    op.create_table(
        "one_login_logout_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jti", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_login_logout_token")),
        sa.UniqueConstraint("jti", name=op.f("uq_one_login_logout_token_jti")),
    )
    op.create_index(
        op.f("ix_one_login_logout_token_expires_at"), "one_login_logout_token", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_one_login_logout_token_expires_at"), table_name="one_login_logout_token")
    op.drop_table("one_login_logout_token")
    op.drop_table("one_login_identity")
