"""`flask reminders send`: queue the hearing reminders whose time has come (the worker also does this
every few minutes; portal/services/cases/hearing_reminders.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.cases import hearing_reminders

reminders_group = AppGroup("reminders", help="Reminders before a hearing a victim is needed at.")


def queue_due(app: Flask) -> int:
    """One run of the reminder job in its own transaction: how many reminders it queued."""
    with app.app_context(), db.job() as session:
        return hearing_reminders.queue_due_reminders(
            session, datetime.now(UTC), working_days=app.config["HEARING_REMINDER_WORKING_DAYS"]
        )


@reminders_group.command("send")
def send() -> None:
    """Queue each hearing reminder that is due now (at the victim's safe time), once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
    click.echo(f"Queued {queue_due(app)} hearing reminder(s).")
