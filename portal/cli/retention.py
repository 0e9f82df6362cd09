"""`flask retention run`: apply the retention schedule once (the worker also runs it every 10 minutes).

Prints what it removed by kind (counts only)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.retention import job
from portal.services.retention.schedule import ScheduleProblem

retention_group = AppGroup(
    "retention", help="Remove or anonymise what the retention schedule says has expired."
)


@retention_group.command("run")
def run() -> None:
    """Apply the retention schedule once."""
    try:
        report = job.run(db.job, current_app.config, datetime.now(UTC))
    except ScheduleProblem as problem:
        raise click.ClickException(str(problem)) from None
    for kind, count in report.removed.items():
        click.echo(f"{kind}: {count}")
    click.echo(f"victims anonymised: {report.victims_anonymised}")
    if report.skipped:
        click.echo(f"left to another worker running now: {', '.join(report.skipped)}")
