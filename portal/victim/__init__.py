"""The victim's pages: their cases and timelines, their contact preferences and needs, the people
helping them, and who has viewed their information. One blueprint; each module adds its views to it."""

from flask import Blueprint

bp = Blueprint("victim", __name__)

from portal.victim import account_routes, delegation_routes, preferences_routes, routes  # noqa: E402, F401
