"""The agency API under /api/v1: Notify-style JWT authentication, Notify-shaped errors, the OpenAPI
document and its reference page. Two blueprints: the API itself, and a fallback that answers anything else
under /api in JSON, never an HTML page."""

from flask import Blueprint

from portal.api import errors
from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1", static_folder="static", static_url_path="/static")
fallback = Blueprint("api_fallback", __name__, url_prefix="/api")
errors.register(bp)
errors.register(fallback)
csrf.exempt(bp)  # machine callers authenticate with a signed token on every request
csrf.exempt(fallback)

blueprints = (bp, fallback)

from portal.api import court_needs_routes, messages_routes, requests_routes, routes  # noqa: E402, F401
