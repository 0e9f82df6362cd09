"""api clients: agency API keys and the JWT ids already used

Revision ID: 0003_api_clients
Revises: 0001_initial
Create Date: 2026-11-28 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_api_clients"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_client",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("force_code", sa.String(length=2), nullable=True),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("secret_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "agency IN ('police', 'cps', 'witness_care', 'probation')", name=op.f("ck_api_client_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
    )
    op.create_table(
        "api_jwt_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("jti", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_client.id"],
            name=op.f("fk_api_jwt_seen_client_id_api_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_jwt_seen")),
        sa.UniqueConstraint("client_id", "jti", name="uq_api_jwt_seen_client_jti"),
    )
    with op.batch_alter_table("api_jwt_seen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_jwt_seen_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_jwt_seen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_jwt_seen_expires_at"))
    op.drop_table("api_jwt_seen")
    op.drop_table("api_client")
