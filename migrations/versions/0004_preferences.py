"""preferences and needs (versioned), officer reviews, contact points and their verification codes

Revision ID: 0004_preferences
Revises: 0001_initial
Create Date: 2026-11-28 12:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_preferences"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preference_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_preference_version_actor_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_preference_version_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preference_version")),
        sa.UniqueConstraint("victim_id", "version", name=op.f("uq_preference_version_victim_id")),
    )
    with op.batch_alter_table("preference_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_preference_version_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "preference_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_label", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["user_account.id"],
            name=op.f("fk_preference_review_reviewer_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_preference_review_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preference_review")),
    )
    with op.batch_alter_table("preference_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_preference_review_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "contact_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=700), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unusable_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unusable_reason", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_contact_point_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_point")),
        sa.UniqueConstraint("victim_id", "kind", "value", name=op.f("uq_contact_point_victim_id")),
    )
    with op.batch_alter_table("contact_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_point_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "contact_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_contact_verification_victim_id_victim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_verification")),
    )
    with op.batch_alter_table("contact_verification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_verification_victim_id"), ["victim_id"], unique=False)


def downgrade() -> None:
    for table in ("contact_verification", "contact_point", "preference_review", "preference_version"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_victim_id"))
        op.drop_table(table)
