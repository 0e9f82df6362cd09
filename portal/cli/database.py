"""`flask db-upgrade` (apply the migrations) and `flask seed` (load the demo data, print the demo accounts;
refused with PORTAL_ENV=production)."""

from __future__ import annotations

import click
from flask import Flask, current_app

from portal import migrate
from portal.config import PRODUCTION
from portal.extensions import db
from portal.services import demo_data
from portal.services.agency_api import clients as api_clients


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply every database migration."""
        migrate.upgrade(current_app.config["DATABASE_URL"])
        click.echo("Database is up to date.")

    @app.cli.command("seed")
    @click.option("--if-empty", is_flag=True, help="Do nothing if the database already has accounts.")
    def seed(if_empty: bool) -> None:
        """Load the demo data (fictitious people and cases) and print the demo accounts. Never in production:
        the demo accounts' password, authenticator secret and API keys are public."""
        if current_app.config.get("PORTAL_ENV") == PRODUCTION:
            raise click.ClickException(
                "PORTAL_ENV=production: demo data is never loaded in production (its accounts' password, "
                "authenticator secret and API keys are published)."
            )
        with db.job() as session:
            if not demo_data.is_empty(session):
                if not if_empty:
                    raise click.ClickException("The database already has accounts; demo data not loaded.")
                click.echo("Database already has data; demo data not loaded again.")
            else:
                demo_data.seed(
                    session,
                    password=current_app.config["DEMO_PASSWORD"],
                    totp_secret=current_app.config["DEMO_TOTP_SECRET"],
                )
                click.echo("Demo data loaded.")
        _print_demo_accounts()


def _print_demo_accounts() -> None:
    base = current_app.config["PORTAL_BASE_URL"]
    click.echo("")
    click.echo(f"Portal: {base}")
    click.echo("Demo accounts (demo data only):")
    for account in demo_data.demo_accounts():
        click.echo(f"  {account.email:<24} {account.description}")
    click.echo(f"  password: {current_app.config['DEMO_PASSWORD']} (set DEMO_PASSWORD to change)")
    click.echo(f"  authenticator app secret for staff: {current_app.config['DEMO_TOTP_SECRET']}")
    click.echo(f"Agency API keys (demo data only; reference: {base}/api/v1/docs):")
    for description, key in api_clients.demo_keys():
        click.echo(f"  {description:<34} {key}")
    click.echo("")
