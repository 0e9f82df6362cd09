"""A timeline's updates are worded and rendered once per web process and then reused (for speed: see
portal/services/cases/timeline.py and portal/template_helpers.py). What the victim sees must still change
whenever anything about the update does: here the "New" flag and an update added with new words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import create_update
from tests.support.pages import new_tags


def _add_update(app: Flask, event_id: str, message: str) -> None:
    create_update(
        app,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id=event_id,
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
        message=message,
        announce=False,
    )


def test_new_flag_and_new_words_show_on_a_timeline_already_viewed(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    client = victim_client
    path = f"/cases/{DEMO_CASE_URN}"

    first = client.get(path).get_data(as_text=True)
    assert new_tags(first) > 0  # the demo updates have not been opened yet
    assert new_tags(client.get(path).get_data(as_text=True)) == 0  # now they have

    _add_update(seeded, "cache-1", "Please call DC Patel about your statement.")
    page = client.get(path).get_data(as_text=True)
    assert new_tags(page) == 1
    assert "Please call DC Patel about your statement." in page

    _add_update(seeded, "cache-2", "The officer in the case has changed: it is now DC Evans.")
    page = client.get(path).get_data(as_text=True)
    assert new_tags(page) == 1
    assert "it is now DC Evans" in page and "Please call DC Patel" in page
