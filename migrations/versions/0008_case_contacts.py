"""case contacts: the named people a victim can reach about a case (officer in the case, witness care
officer, Victim Liaison Officer), for every victim on the case or for one

Revision ID: 0008_case_contacts
Revises: 0001_initial
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_case_contacts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=True),
        sa.Column("victim_key", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("when_to_reach", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "role IN ('officer-in-case', 'witness-care-officer', 'victim-liaison-officer')",
            name=op.f("ck_case_contact_role"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_contact_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_case_contact_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_contact")),
        sa.UniqueConstraint("case_id", "role", "victim_key", name="uq_case_contact_case_role_victim"),
    )
    with op.batch_alter_table("case_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_contact_victim_id"), ["victim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_contact_victim_id"))
    op.drop_table("case_contact")
