"""quality (issue 18): checks on what agencies send, victims' "Was this update clear?", officers' reviews

- update_quality_check: the automatic checks run on each update when it arrived (one row per update).
- update_rating: a victim's answer to "Was this update clear?" (one per victim and update).
- update_review: an officer's review of a sampled update against the same elements (one per update).

Revision ID: 0013_quality
Revises: 0012_invitation_codes
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_quality"
down_revision = "0012_invitation_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_quality_check",
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("readability", sa.Float(), nullable=True),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"], ["case_update.id"], name=op.f("fk_update_quality_check_update_id_case_update")
        ),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_quality_check")),
    )
    op.create_table(
        "update_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("clear", sa.Boolean(), nullable=False),
        sa.Column("unclear", sa.String(length=500), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"], ["case_update.id"], name=op.f("fk_update_rating_update_id_case_update")
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_update_rating_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_rating")),
        sa.UniqueConstraint("update_id", "victim_id", name="uq_update_rating_update_victim"),
    )
    with op.batch_alter_table("update_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_update_rating_update_id"), ["update_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_update_rating_victim_id"), ["victim_id"], unique=False)
    op.create_table(
        "update_review",
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=False),
        sa.Column("satisfactory", sa.Boolean(), nullable=False),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["user_account.id"],
            name=op.f("fk_update_review_reviewer_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["update_id"], ["case_update.id"], name=op.f("fk_update_review_update_id_case_update")
        ),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_review")),
    )


def downgrade() -> None:
    op.drop_table("update_review")
    with op.batch_alter_table("update_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_update_rating_victim_id"))
        batch_op.drop_index(batch_op.f("ix_update_rating_update_id"))
    op.drop_table("update_rating")
    op.drop_table("update_quality_check")
