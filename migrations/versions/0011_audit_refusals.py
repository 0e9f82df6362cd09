"""audit refusals (issue 14, finding 6): refused agency API calls counted, not written one by one

- audit_event.repeat_key: for an event counted rather than repeated, what makes two of them the same
  (a hash of the caller's address hash, the client the token named, the verb, the reason and the minute);
  unique, so concurrent refusals in one minute add to one row. NULL for every other event.
- audit_event.occurrences: how many times it happened (1 for every other event).

Revision ID: 0011_audit_refusals
Revises: 0001_initial
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_audit_refusals"
# The audit branch: 0001_initial made audit_event. Like every branch here it starts from 0001_initial;
# `portal.migrate.upgrade` applies all heads.
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeat_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("occurrences", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index(batch_op.f("ix_audit_event_repeat_key"), ["repeat_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_repeat_key"))
        batch_op.drop_column("occurrences")
        batch_op.drop_column("repeat_key")
