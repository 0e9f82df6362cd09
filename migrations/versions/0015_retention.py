"""retention (issue 19): erasure requests

- erasure_request: a victim's request to have their information erased, checked and recorded by a
  witness care officer and carried out by an administrator (two people); who did each and when, how the
  officer checked it, and what was removed (counts only). No names or contact details.

Revision ID: 0015_retention
Revises: 0012_invitation_codes
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_retention"
# Branches from the invitations' head like the other work of issue 19; `portal.migrate.upgrade` applies
# all heads.
down_revision = "0012_invitation_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_label", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_note", sa.Text(), nullable=False),
        sa.Column("carried_out_by_user_id", sa.Integer(), nullable=True),
        sa.Column("carried_out_by_label", sa.String(length=200), nullable=True),
        sa.Column("carried_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_label", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victim.id"], name=op.f("fk_erasure_request_victim_id_victim")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_erasure_request_requested_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["carried_out_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_erasure_request_carried_out_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_request")),
    )
    with op.batch_alter_table("erasure_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_request_victim_id"), ["victim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_erasure_request_carried_out_at"), ["carried_out_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("erasure_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_request_carried_out_at"))
        batch_op.drop_index(batch_op.f("ix_erasure_request_victim_id"))
    op.drop_table("erasure_request")
