"""hearing reminders (issue 15)

Revision ID: 0024_hearing_reminders
Revises: 0023_secure_messages
Create Date: 2026-11-30 06:10:00
"""

from __future__ import annotations

revision = "0024_hearing_reminders"
down_revision = "0023_secure_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
