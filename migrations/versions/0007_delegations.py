"""delegations: a victim lets a support worker or organisation see or do some things for a time

Revision ID: 0007_delegations
Revises: 0001_initial
Create Date: 2026-11-28 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_delegations"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_USER_COLUMNS = (
    "grantee_user_id",
    "granted_by_user_id",
    "accepted_by_user_id",
    "declined_by_user_id",
    "revoked_by_user_id",
    "stepped_back_by_user_id",
    "suspended_by_user_id",
)


def upgrade() -> None:
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("grantee_user_id", sa.Integer(), nullable=True),
        sa.Column("grantee_organisation_id", sa.Integer(), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("granted_by_label", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("consent_note", sa.Text(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_by_user_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_user_id", sa.Integer(), nullable=True),
        sa.Column("revoked_by_label", sa.String(length=200), nullable=True),
        sa.Column("stepped_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stepped_back_by_user_id", sa.Integer(), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_reason", sa.Text(), nullable=True),
        sa.Column("suspended_by_user_id", sa.Integer(), nullable=True),
        sa.Column("suspended_by_label", sa.String(length=200), nullable=True),
        sa.Column("expiry_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("victim_seen_status", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_delegation_victim_id_victim")),
        sa.ForeignKeyConstraint(
            ["grantee_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_delegation_grantee_organisation_id_organisation"),
        ),
        *[
            sa.ForeignKeyConstraint(
                [column], ["user_account.id"], name=op.f(f"fk_delegation_{column}_user_account")
            )
            for column in _USER_COLUMNS
        ],
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation")),
    )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_victim_id"), ["victim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delegation_grantee_user_id"), ["grantee_user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_delegation_grantee_organisation_id"), ["grantee_organisation_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("delegation")
