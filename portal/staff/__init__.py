"""Witness care officers' pages: the review queue, victims and cases of their unit, timeliness, messages
that did not arrive, support workers helping their victims, and victims' accounts. One blueprint; each
module adds its views to it."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff import (  # noqa: E402, F401
    accessible_formats_routes,
    account_routes,
    contacts_routes,
    court_needs_routes,
    delegation_routes,
    delivery_routes,
    erasure_routes,
    inbox_routes,
    message_files_routes,
    quality_routes,
    recorded_contacts_routes,
    requests_routes,
    routes,
)
