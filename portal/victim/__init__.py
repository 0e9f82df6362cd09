"""The victim's pages: their cases and timelines, their contact preferences and needs, the people
helping them, and who has viewed their information. One blueprint; each module adds its views to it."""

from flask import Blueprint

bp = Blueprint("victim", __name__)

from portal.victim import (  # noqa: E402, F401
    account_routes,
    complaint_routes,
    court_needs_routes,
    delegation_routes,
    information_routes,
    message_files_routes,
    messages_routes,
    preferences_routes,
    rating_routes,
    request_routes,
    review_routes,
    routes,
    statement_routes,
)
