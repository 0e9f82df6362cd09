"""case_standing: a victim's standing in a case kept between views; case_victim.standing_revision; and
the triggers that make a kept standing stale whenever anything it was worked out from changes

The standing is worked out from every update of the case meant for the victim (its type, details, times,
agency, whether it is superseded) and from when the victim was told of each: their opening it in the
portal (update_seen), a message about it delivered to them (communication and outbound_message), a
contact an officer recorded (recorded_contact, recorded_contact_update). It also reads the case's
reported_on. Each trigger below raises the revision of the victim-and-case pairs concerned and deletes
their kept standings, in the transaction that made the change, whichever code made it: the kept copy is
never read at another revision, and nothing erased from an update stays in a kept copy.

Raising a revision locks the case_victim rows concerned until the transaction ends. A change to an update
(an agency's call) raises every pair of its case; a change to when a victim was told (a page view's seen
records, a delivery receipt, a recorded contact and the updates it covers) raises every pair of that
victim, never a case's, as told times are the victim's alone. Each such transaction so locks one case's or
one victim's rows, in one statement (or the same statement again), in the order of the rows in the table:
two of them cannot each hold a row the other waits for. Only merging two victim records (a victim setting
up an account that turns out to be another record of theirs) and retention change several cases in one
transaction: PostgreSQL ends a deadlock there by failing one transaction, as it would any other.

Revision ID: 0028_kept_standing
Revises: 0027_outbox_waited_for
Create Date: 2026-12-01 05:20:00
"""

# ruff: noqa: S608  (the triggers' SQL is put together from this file's constants alone, never from input)

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_kept_standing"
down_revision = "0027_outbox_waited_for"
branch_labels = None
depends_on = None

#: The case_update columns the standing, the counts by source and who sees an update depend on.
UPDATE_COLUMNS = "case_id, agency, event_type, details, occurred_at, received_at, superseded, victim_id"


def _scope(column: str, value: str) -> str:
    """`column` equal to `value`, an expression, or in it, when it is a subquery."""
    return f"{column} IN ({value})" if value.lstrip().upper().startswith("SELECT") else f"{column} = {value}"


def _for_case(case_id: str) -> str:
    """`case_id`: an expression for one case id, or a subquery giving several."""
    where = _scope("case_id", case_id)
    return (
        f"UPDATE case_victim SET standing_revision = standing_revision + 1 WHERE {where}; "
        f"DELETE FROM case_standing WHERE {where};"
    )


def _for_victims(victim_ids: str) -> str:
    """`victim_ids`: an expression for one victim id, or a subquery giving several."""
    where = _scope("victim_id", victim_ids)
    return (
        f"UPDATE case_victim SET standing_revision = standing_revision + 1 WHERE {where}; "
        f"DELETE FROM case_standing WHERE {where};"
    )


def _for_pair(row: str) -> str:
    return f"DELETE FROM case_standing WHERE case_id = {row}.case_id AND victim_id = {row}.victim_id;"


_MESSAGE_VICTIMS = "SELECT victim_id FROM communication WHERE outbound_message_id = {row}.id"
_CONTACT_VICTIM = "SELECT victim_id FROM recorded_contact WHERE id = {row}.recorded_contact_id"
_DELIVERED = (
    "EXISTS (SELECT 1 FROM outbound_message WHERE id = NEW.outbound_message_id AND delivered_at IS NOT NULL)"
)

# (name, table, event, WHEN condition in portable SQL or None, body). Conditions that need a subquery are
# written into the body on PostgreSQL (its WHEN cannot hold one); `IS NOT` is SQLite's `IS DISTINCT FROM`.
TRIGGERS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("standing_update_insert", "case_update", "INSERT", None, _for_case("NEW.case_id")),
    (
        "standing_update_change",
        "case_update",
        f"UPDATE OF {UPDATE_COLUMNS}",
        None,
        _for_case("OLD.case_id") + " " + _for_case("NEW.case_id"),
    ),
    ("standing_update_delete", "case_update", "DELETE", None, _for_case("OLD.case_id")),
    ("standing_case_change", "case_record", "UPDATE OF reported_on", None, _for_case("NEW.id")),
    ("standing_pair_insert", "case_victim", "INSERT", None, _for_pair("NEW")),
    (
        "standing_pair_change",
        "case_victim",
        "UPDATE OF case_id, victim_id",
        None,
        _for_pair("OLD") + " " + _for_pair("NEW"),
    ),
    ("standing_pair_delete", "case_victim", "DELETE", None, _for_pair("OLD")),
    ("standing_seen_insert", "update_seen", "INSERT", None, _for_victims("NEW.victim_id")),
    (
        "standing_seen_change",
        "update_seen",
        "UPDATE",
        None,
        _for_victims("OLD.victim_id") + " " + _for_victims("NEW.victim_id"),
    ),
    ("standing_seen_delete", "update_seen", "DELETE", None, _for_victims("OLD.victim_id")),
    ("standing_communication_insert", "communication", "INSERT", _DELIVERED, _for_victims("NEW.victim_id")),
    (
        "standing_communication_change",
        "communication",
        "UPDATE",
        None,
        _for_victims("OLD.victim_id") + " " + _for_victims("NEW.victim_id"),
    ),
    ("standing_communication_delete", "communication", "DELETE", None, _for_victims("OLD.victim_id")),
    (
        "standing_delivery",
        "outbound_message",
        "UPDATE OF delivered_at, channel",
        "NEW.delivered_at IS NOT OLD.delivered_at OR NEW.channel IS NOT OLD.channel",
        _for_victims(_MESSAGE_VICTIMS.format(row="NEW")),
    ),
    (
        "standing_delivered_delete",
        "outbound_message",
        "DELETE",
        "OLD.delivered_at IS NOT NULL",
        _for_victims(_MESSAGE_VICTIMS.format(row="OLD")),
    ),
    ("standing_contact_insert", "recorded_contact", "INSERT", None, _for_victims("NEW.victim_id")),
    (
        "standing_contact_change",
        "recorded_contact",
        "UPDATE",
        None,
        _for_victims("OLD.victim_id") + " " + _for_victims("NEW.victim_id"),
    ),
    ("standing_contact_delete", "recorded_contact", "DELETE", None, _for_victims("OLD.victim_id")),
    (
        "standing_contact_update_insert",
        "recorded_contact_update",
        "INSERT",
        None,
        _for_victims(_CONTACT_VICTIM.format(row="NEW")),
    ),
    (
        "standing_contact_update_change",
        "recorded_contact_update",
        "UPDATE",
        None,
        _for_victims(_CONTACT_VICTIM.format(row="OLD"))
        + " "
        + _for_victims(_CONTACT_VICTIM.format(row="NEW")),
    ),
    (
        "standing_contact_update_delete",
        "recorded_contact_update",
        "DELETE",
        None,
        _for_victims(_CONTACT_VICTIM.format(row="OLD")),
    ),
)


#: On PostgreSQL, the inserts an agency's call makes many of at once fire one trigger a statement, with the
#: statement's rows (a COPY of a batch of 100 updates raises the case's pairs once, not 100 times).
STATEMENT_LEVEL: dict[str, str] = {
    "standing_update_insert": _for_case("SELECT case_id FROM inserted"),
    "standing_communication_insert": _for_victims(
        "SELECT inserted.victim_id FROM inserted JOIN outbound_message ON outbound_message.id = "
        "inserted.outbound_message_id WHERE outbound_message.delivered_at IS NOT NULL"
    ),
}


def _create_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, event, condition, body in TRIGGERS:
        if postgresql and name in STATEMENT_LEVEL:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {STATEMENT_LEVEL[name]} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING NEW TABLE AS inserted "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        elif postgresql:
            when = condition.replace(" IS NOT ", " IS DISTINCT FROM ") if condition else None
            in_body = condition is not None and "EXISTS" in condition
            statements = f"IF {condition} THEN {body} END IF;" if in_body else body
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {statements} RETURN NULL; END $$"
            )
            clause = f" WHEN ({when})" if when and not in_body else ""
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{clause} EXECUTE FUNCTION {name}()"
            )
        else:
            clause = f" WHEN {condition}" if condition else ""
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{clause} BEGIN {body} END"
            )


def _drop_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _event, _condition, _body in TRIGGERS:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    with op.batch_alter_table("case_victim") as batch_op:
        batch_op.add_column(sa.Column("standing_revision", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "case_standing",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.String(length=36), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("good_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "victim_id", "locale"),
    )
    op.create_index("ix_case_standing_victim", "case_standing", ["victim_id"])
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_index("ix_case_standing_victim", table_name="case_standing")
    op.drop_table("case_standing")
    with op.batch_alter_table("case_victim") as batch_op:
        batch_op.drop_column("standing_revision")
