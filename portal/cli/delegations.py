"""`flask support expire-delegations`: tell each victim whose support worker's access reached its end
date (the worker also does this every 10 minutes)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.delegation import grants as delegations

support_group = AppGroup("support", help="Support workers helping victims.")


@support_group.command("expire-delegations")
def expire_delegations() -> None:
    """Tell each victim whose delegation reached its end date (access already ended then). Run daily."""
    with db.job() as session:
        told = delegations.announce_expired(session)
    click.echo(f"Told {told} victim(s) that a delegation ended.")
