"""A timeline's updates are worded and rendered once per web process and then reused (for speed: see
portal/services/cases/timeline.py and portal/template_helpers.py). What the victim sees must still change
whenever anything about the update does: here the "New" flag and an update added with new words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case
from portal.services.cases import records as case_records
from portal.services.cases.records import NewUpdate
from portal.services.demo_data import DEMO_CASE_URN
from tests.conftest import sign_in


def _new_tags(html: str) -> int:
    return len(re.findall(r'class="govuk-tag govuk-tag--red">\s*New\s*</strong>', html))


def _add_update(app: Flask, event_id: str, message: str) -> None:
    at = datetime.now(UTC) - timedelta(hours=1)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        case_records.record_update(
            session,
            case,
            NewUpdate(
                agency="police",
                event_type="investigation-update",
                agency_event_id=event_id,
                occurred_at=at,
                received_at=at,
                details={},
                message=message,
            ),
            announce=False,
        )


def test_new_flag_and_new_words_show_on_a_timeline_already_viewed(seeded: Flask) -> None:
    client = seeded.test_client()
    assert sign_in(client, "victim@demo.example").status_code == 302
    path = f"/cases/{DEMO_CASE_URN}"

    first = client.get(path).get_data(as_text=True)
    assert _new_tags(first) > 0  # the demo updates have not been opened yet
    assert _new_tags(client.get(path).get_data(as_text=True)) == 0  # now they have

    _add_update(seeded, "cache-1", "Please call DC Patel about your statement.")
    page = client.get(path).get_data(as_text=True)
    assert _new_tags(page) == 1
    assert "Please call DC Patel about your statement." in page

    _add_update(seeded, "cache-2", "The officer in the case has changed: it is now DC Evans.")
    page = client.get(path).get_data(as_text=True)
    assert _new_tags(page) == 1
    assert "it is now DC Evans" in page and "Please call DC Patel" in page
