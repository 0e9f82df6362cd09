"""preference drafts (issue 14, finding 4): answers in progress kept on the server, not in the cookie

- preference_draft: one row per session that has answers in progress on the preferences question pages,
  keyed by the SHA-256 of the random token the session cookie holds; the user and victim it belongs to
  (deleted with them); the drafts as JSON; when it was started and last changed; when it expires (the
  session's own idle and absolute limits).

Drafts lived in the session cookie until now; any draft a signed-in victim had there is simply not read
any more (they start that section again), so there is nothing to move.

Revision ID: 0010_preference_drafts
Revises: 0004_preferences
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_preference_drafts"
# The preferences branch (0004). The tables it refers to, user_account and victim, are 0001_initial's.
down_revision = "0004_preferences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preference_draft",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_preference_draft_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victim.id"],
            name=op.f("fk_preference_draft_victim_id_victim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preference_draft")),
    )
    with op.batch_alter_table("preference_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_preference_draft_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_preference_draft_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_preference_draft_victim_id"), ["victim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("preference_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preference_draft_victim_id"))
        batch_op.drop_index(batch_op.f("ix_preference_draft_user_id"))
        batch_op.drop_index(batch_op.f("ix_preference_draft_expires_at"))
    op.drop_table("preference_draft")
