"""Agency API clients: list, create (the key is shown once) and revoke with confirmation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.admin import bp
from portal.admin.forms import ApiClientForm, RevokeForm
from portal.extensions import db
from portal.services.agency_api import clients as api_clients
from portal.services.common import pagination
from portal.web.guards import admin_required

#: Keys a page: each is one row of a table.
PAGE_SIZE = 25


def _in_order(clients: list[api_clients.ClientSummary]) -> list[api_clients.ClientSummary]:
    """Keys in use first, the newest first (a key just made is at the top); then revoked ones, the most
    recently revoked first."""
    active = sorted((c for c in clients if c.revoked_at is None), key=lambda c: c.created_at, reverse=True)
    revoked = [c for c in clients if c.revoked_at is not None]
    revoked.sort(key=lambda c: c.revoked_at or c.created_at, reverse=True)
    return active + revoked


@bp.route("/api-clients", endpoint="api_clients")
@admin_required
def api_clients_list() -> str:
    clients = _in_order(api_clients.list_clients(db.session))
    pages = pagination.page_of(pagination.page_number(request.args.get("page")), PAGE_SIZE, len(clients))
    return render_template(
        "admin/api_clients/list.html",
        title=_("API clients"),
        clients=clients[pages.offset : pages.offset + PAGE_SIZE],
        active=sum(1 for c in clients if c.revoked_at is None),
        pages=pages,
    )


@bp.route("/api-clients/new", methods=["GET", "POST"])
@admin_required
def api_client_new() -> str:
    form = ApiClientForm()
    if form.validate_on_submit():
        try:
            new = api_clients.create_client(
                db.session,
                name=form.name.data or "",
                agency=form.agency.data or "",
                force_code=form.force_code.data,
                created_by=current_user.display_name,
                actor_user_id=current_user.id,
            )
        except api_clients.InvalidClient as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            # Rendered, not redirected: the key never travels in a URL or a cookie, and is shown once.
            return render_template("admin/api_clients/created.html", title=_("API key created"), new=new)
    return render_template("admin/api_clients/new.html", title=_("Create an API key"), form=form)


@bp.route("/api-clients/<client_id>/revoke", methods=["GET", "POST"])
@admin_required
def api_client_revoke(client_id: str) -> str | Response:
    client = api_clients.get_client(db.session, client_id)
    if client.revoked_at is not None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        api_clients.revoke_client(
            db.session, client_id, revoked_by=current_user.display_name, actor_user_id=current_user.id
        )
        flash(_("The key for %(name)s has been revoked", name=client.name), "success")
        return redirect(url_for("admin.api_clients"))
    return render_template(
        "admin/api_clients/revoke.html",
        title=_("Are you sure you want to revoke the key for %(name)s?", name=client.name),
        client=client,
        form=form,
    )
