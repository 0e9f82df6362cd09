"""Support workers' pages: the people they help, and what each victim has let them see and do."""

from flask import Blueprint

bp = Blueprint("support", __name__, url_prefix="/support")

from portal.support import message_files_routes, messages_routes, routes  # noqa: E402, F401
