"""Shared steps for the court needs tests: a date some days ahead, and adding it on the dates page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from portal.services.court_needs.records import LONDON
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.pages import post_form

URN = DEMO_CASE_URN
BASE = f"/cases/{URN}/court-needs"


def days_ahead(days: int) -> date:
    return datetime.now(UTC).astimezone(LONDON).date() + timedelta(days=days)


def add_date(
    client: FlaskClient,
    day: date,
    part: str = "day",
    reason: str = "medical",
    *,
    base: str = BASE,
    action: str = "add",
) -> Any:
    return post_form(
        client,
        f"{base}/dates",
        {
            "day": str(day.day),
            "month": str(day.month),
            "year": str(day.year),
            "part": part,
            "reason": reason,
            "action": action,
        },
    )
