"""initial: cases, victims, updates, people, audit

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28 12:19:30.475549
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urn", sa.String(length=11), nullable=False),
        sa.Column("force_code", sa.String(length=2), nullable=False),
        sa.Column("offence", sa.String(length=200), nullable=False),
        sa.Column("crn", sa.String(length=7), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
        sa.UniqueConstraint("urn", name=op.f("uq_case_record_urn")),
    )
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_record_force_code"), ["force_code"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("force_code", sa.String(length=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_force_code"), ["force_code"], unique=False)

    op.create_table(
        "victim",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("address_line_1", sa.String(length=100), nullable=True),
        sa.Column("address_line_2", sa.String(length=100), nullable=True),
        sa.Column("address_town", sa.String(length=100), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("enhanced_rights", sa.Boolean(), nullable=False),
        sa.Column("enhanced_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim")),
    )
    op.create_table(
        "case_update",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("agency_event_id", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code_deadline", sa.Date(), nullable=True),
        sa.Column("enhanced", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_update_case_id_case_record"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["case_update.id"],
            name=op.f("fk_case_update_supersedes_id_case_update"),
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_case_update_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_update")),
        sa.UniqueConstraint("agency", "agency_event_id", name="uq_case_update_agency_event"),
    )
    with op.batch_alter_table("case_update", schema=None) as batch_op:
        batch_op.create_index("ix_case_update_case_occurred", ["case_id", "occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_update_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "case_victim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("agency_person_reference", sa.String(length=64), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_victim_case_id_case_record"),
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_case_victim_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_victim")),
        sa.UniqueConstraint("case_id", "victim_id", name=op.f("uq_case_victim_case_id")),
    )
    with op.batch_alter_table("case_victim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_victim_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_victim_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("mfa_method", sa.String(length=10), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("session_generation", sa.Integer(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_user_account_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_user_account_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_user_account_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_victim_id", sa.String(length=36), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_event_actor_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_victim_id"],
            ["victim.id"],
            name=op.f("fk_audit_event_subject_victim_id_victim"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_user_id"), ["actor_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_subject_victim_id"),
            ["subject_victim_id"],
            unique=False,
        )

    op.create_table(
        "update_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.String(length=36), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["case_update.id"],
            name=op.f("fk_update_seen_update_id_case_update"),
        ),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_update_seen_victim_id_victim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_seen")),
        sa.UniqueConstraint("update_id", "victim_id", name=op.f("uq_update_seen_update_id")),
    )
    with op.batch_alter_table("update_seen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_update_seen_update_id"), ["update_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_update_seen_victim_id"), ["victim_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("update_seen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_update_seen_victim_id"))
        batch_op.drop_index(batch_op.f("ix_update_seen_update_id"))

    op.drop_table("update_seen")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_subject_victim_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_victim_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_organisation_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("case_victim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_victim_victim_id"))
        batch_op.drop_index(batch_op.f("ix_case_victim_case_id"))

    op.drop_table("case_victim")
    with op.batch_alter_table("case_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_update_victim_id"))
        batch_op.drop_index("ix_case_update_case_occurred")

    op.drop_table("case_update")
    op.drop_table("victim")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_force_code"))

    op.drop_table("organisation")
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_record_force_code"))

    op.drop_table("case_record")
