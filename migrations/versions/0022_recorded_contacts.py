"""contacts recorded by officers (issue 15); joins the two heads of 0020 and 0021

Revision ID: 0022_recorded_contacts
Revises: 0020_court_needs, 0021_statement_drafts
Create Date: 2026-11-30 06:10:00
"""

from __future__ import annotations

revision = "0022_recorded_contacts"
down_revision = ("0020_court_needs", "0021_statement_drafts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
