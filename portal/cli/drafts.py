"""`flask drafts purge`: delete the preference drafts (answers in progress) whose session has ended.

Drafts are also deleted at sign-out, when saved or cancelled, and when their user next uses the
question pages or their session times out; the worker's housekeeping (every 10 minutes) and this command
remove the rest (a browser simply closed)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.preferences import drafts

drafts_group = AppGroup("drafts", help="Answers in progress on the preferences pages.")


@drafts_group.command("purge")
def purge() -> None:
    """Delete the drafts whose session has ended."""
    with db.job() as session:
        removed = drafts.purge_expired(session)
    click.echo(f"Deleted {removed} expired preference draft(s).")
