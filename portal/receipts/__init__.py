"""Delivery receipts from GOV.UK Notify."""

from flask import Blueprint

bp = Blueprint("receipts", __name__)

from portal.receipts import routes  # noqa: E402, F401
