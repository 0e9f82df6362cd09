"""The officer's case page shows, on each update, the same Code deadline and "told" status as the
unit's timeliness report, for a victim with a long history: updates told on time, told late (opened
after the deadline day), told by a delivered message, never told (overdue), not due yet, and updates
with no Code timescale; on every page of the timeline. The page reads the deadlines of the updates it
shows only; the report reads every update of the unit, so it is the measure the page must agree with."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications import outbox
from portal.extensions import db
from portal.models import Case, Communication, UpdateSeen, User
from portal.services import vocabulary
from portal.services.cases import timeliness
from portal.services.common.actors import Actor
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.template_helpers import govuk_date, govuk_datetime
from tests.support.builders import add_victim_to_case, create_update, create_victim
from tests.support.demo import OFFICER

AGENCIES = ("police", "cps", "witness_care", "probation")
EVENTS = {
    agency: [event for event in vocabulary.EVENT_TYPES.values() if agency in {str(a) for a in event.agencies}]
    for agency in AGENCIES
}
UPDATES = 150


def _long_history(app: Flask) -> None:
    """150 updates over the last 150 days, told in every way the measure knows, or not told."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        other = create_victim(session, "Olive", "Other")
        add_victim_to_case(session, case, other)
        for index in range(UPDATES):
            agency = AGENCIES[index % len(AGENCIES)]
            kind = EVENTS[agency][index % len(EVENTS[agency])]
            received = now - timedelta(days=UPDATES - index, hours=index % 5)
            update = create_update(
                session,
                case,
                kind.code,
                agency=agency,
                agency_event_id=f"deadlines-{index}",
                occurred_at=received,
                details=kind.details_schema["examples"][0],
                victim_id=other.id if index % 29 == 0 else None,  # not on Sam's timeline
                announce=False,
            )
            if index % 3 == 0:  # opened the same hour: on time
                session.add(UpdateSeen(update_id=update.id, victim_id=DEMO_VICTIM_ID, seen_at=received))
            elif index % 5 == 0:  # opened three weeks later: late, if it had a deadline
                session.add(
                    UpdateSeen(
                        update_id=update.id, victim_id=DEMO_VICTIM_ID, seen_at=received + timedelta(days=21)
                    )
                )
            elif index % 7 == 0:  # a text message delivered the next day
                message = outbox.enqueue(session, channel="sms", recipient="07700900123", body="An update.")
                message.status, message.delivered_at = outbox.DELIVERED, received + timedelta(days=1)
                session.add(
                    Communication(
                        victim_id=DEMO_VICTIM_ID,
                        update_id=update.id,
                        outbound_message_id=message.id,
                        channel="sms",
                        purpose="update",
                    )
                )


def _from_the_report(app: Flask) -> dict[str, timeliness.UpdateTimeliness]:
    """The unit's timeliness report, every update ever, for Sam on the demo case."""
    with app.app_context(), db.job() as session:
        officer = session.scalar(select(User).where(User.email == OFFICER))
        assert officer is not None
        actor = Actor(officer.id, officer.role, None, officer.organisation_id, "01", officer.display_name)
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        items = timeliness.unit_timeliness(session, actor, timeliness.Period(date(2000, 1, 1), tomorrow))
    return {i.update_id: i for i in items if i.victim_id == DEMO_VICTIM_ID and i.urn == DEMO_CASE_URN}


def _shown(officer: FlaskClient) -> dict[str, str]:
    """update id -> what its entry says, from every page of the officer's case timeline, in order."""
    entries: dict[str, str] = {}
    number = 1
    while True:
        response = officer.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}?page={number}")
        if response.status_code == 404:
            return entries
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        for block in html.split('id="update-')[1:]:
            update_id = block.split('"', 1)[0]
            entries[update_id] = " ".join(re.sub(r"<[^>]+>", " ", block).split())
        number += 1


def test_every_update_shows_the_deadline_and_told_status_of_the_timeliness_report(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    _long_history(seeded)
    expected = _from_the_report(seeded)
    shown = _shown(officer_client)

    assert len(shown) > 5 * 20  # many pages
    assert {item.status for item in expected.values()} == {
        timeliness.ON_TIME,
        timeliness.LATE,
        timeliness.OVERDUE,
        timeliness.PENDING,
    }
    assert set(expected) <= set(shown)
    with seeded.test_request_context():
        for update_id, text in shown.items():
            item = expected.get(update_id)
            if item is None:
                assert "Code deadline None: this update has no Code timescale" in text, text
                continue
            told = f"{govuk_datetime(item.told_at)} " if item.told_at else ""
            assert (
                f"Agency had it {govuk_datetime(item.received_at)} "
                f"Code deadline End of {govuk_date(item.deadline)} "
                f"Victim told {told}{timeliness.STATUS_LABELS[item.status]}"
            ) in text, (text, item)
