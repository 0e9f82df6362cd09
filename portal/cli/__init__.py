"""Every `flask --app portal ...` command, in one place: `db-upgrade` and `seed` (database.py), `worker`
and `notify-sandbox` (delivery.py), `api-clients create|list|revoke` (api_clients.py),
`support expire-delegations` (delegations.py), `drafts purge` (drafts.py), `retention run`
(retention.py) and `reminders send` (reminders.py)."""

from __future__ import annotations

from flask import Flask

from portal.cli import database, delivery
from portal.cli.api_clients import api_clients_group
from portal.cli.delegations import support_group
from portal.cli.drafts import drafts_group
from portal.cli.reminders import reminders_group
from portal.cli.retention import retention_group


def init_app(app: Flask) -> None:
    database.init_app(app)
    delivery.init_app(app)
    app.cli.add_command(api_clients_group)
    app.cli.add_command(support_group)
    app.cli.add_command(drafts_group)
    app.cli.add_command(retention_group)
    app.cli.add_command(reminders_group)
