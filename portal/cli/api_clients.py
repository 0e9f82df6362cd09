"""`flask --app portal api-clients ...`: create, list and revoke agency API keys from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.agency_api import clients as api_clients
from portal.services.common.errors import NotFound

CLI_AUTHOR = "command line"


api_clients_group = AppGroup(
    "api-clients",
    help="Agency API clients: one key per police force, CPS area, witness care unit or probation region.",
)


@api_clients_group.command("create")
@click.option(
    "--agency", required=True, type=click.Choice(api_clients.AGENCIES), help="Who the key speaks for."
)
@click.option("--name", required=True, help='A name people will recognise, e.g. "West Yorkshire Police".')
@click.option(
    "--force-code", default=None, help="2-digit police force code: needed for police and witness care."
)
def create(agency: str, name: str, force_code: str | None) -> None:
    """Create a client and print its key (shown once: it cannot be shown again)."""
    try:
        with db.job() as session:
            new = api_clients.create_client(
                session, name=name, agency=agency, force_code=force_code, created_by=CLI_AUTHOR
            )
    except api_clients.InvalidClient as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Created API client {new.client.id} ({new.client.agency_name}: {new.client.name}).")
    click.echo("The key (shown once; give it to the agency's developers over a secure channel):")
    click.echo(new.key)


@api_clients_group.command("list")
def list_clients() -> None:
    """List clients: id, agency, force, name, key fingerprint, and whether revoked."""
    with db.job() as session:
        clients = api_clients.list_clients(session)
    if not clients:
        click.echo("No API clients.")
    for client in clients:
        state = f"revoked {client.revoked_at:%Y-%m-%d %H:%M} UTC" if client.revoked_at else "active"
        force = client.force_code or "all forces"
        click.echo(
            f"{client.id}  {client.agency:<12} {force:<10} {client.name}  "
            f"sha256:{client.fingerprint[:16]}  {state}"
        )


@api_clients_group.command("revoke")
@click.argument("client_id")
def revoke(client_id: str) -> None:
    """Revoke a client's key at once: every request signed with it is refused from then on."""
    try:
        with db.job() as session:
            client = api_clients.revoke_client(session, client_id, revoked_by=CLI_AUTHOR)
    except NotFound:
        raise click.ClickException(f"No API client with id {client_id}") from None
    click.echo(f"Revoked {client.id} ({client.name}).")
