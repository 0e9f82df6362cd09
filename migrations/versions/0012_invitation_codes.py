"""invitation codes (issue 14, finding 11): wrong security codes counted on the invitation

- invitation.failed_codes: wrong security codes entered through the invitation (setting up the second
  factor, or confirming the code sent to where the invitation went before a case joins an existing
  account). Counted on the server, never in the session cookie; the invitation ends at 5.

Revision ID: 0012_invitation_codes
Revises: 0005_accounts
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_invitation_codes"
# The invitations' branch: 0005_accounts made the invitation table. Like every branch here it has its own
# head; `portal.migrate.upgrade` applies all heads.
down_revision = "0005_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_codes", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("failed_codes")
