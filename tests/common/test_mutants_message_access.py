"""Issue 23: who may read and write in a secure message thread (`portal/services/common/message_access.py`):
what mutation testing showed no test noticed, on SQLite and PostgreSQL. Each test is named for what an
officer or an agency's system would be shown wrongly."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask

from portal.extensions import db
from portal.models.messages import TO_OFFICER_IN_CASE
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.secure_messages import inbox
from portal.services.secure_messages.demo import DEMO_THREAD_ID
from tests.agency_api.conftest import agency, api_site  # noqa: F401 (fixtures)
from tests.requests.test_officer_timeliness import _officer
from tests.secure_messages.test_api import _write
from tests.secure_messages.test_inbox import write
from tests.support.agency_client import AgencyClient
from tests.support.builders import create_delegation
from tests.support.demo import SUPPORT_WORKER
from tests.support.scenarios import create_other_unit, make_world
from tests.support.signing_in import signed_in


def test_a_police_systems_page_of_messages_is_not_emptied_by_another_forces_older_ones(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    """Force 02's older messages to its police are not force 01's: asked for one message at a time, force
    01's police system still gets its own, not an empty page."""
    other = create_other_unit(seeded)
    for day in (3, 4):
        _write(
            seeded,
            TO_OFFICER_IN_CASE,
            urn=other["urn"],
            victim_id=other["victim_id"],
            at=datetime(2024, 6, day, 9, tzinfo=UTC),
        )
    _thread_id, ours = _write(seeded, TO_OFFICER_IN_CASE, at=datetime(2024, 6, 5, 9, tzinfo=UTC))
    response = agency("police").request("GET", "/api/v1/messages", params={"limit": 1})
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["messages"]] == [ours]


def test_the_closed_tab_lists_only_the_most_recently_closed_threads(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closed tab shows the latest CLOSED_SHOWN (here 2) of the unit's closed threads, newest first."""
    monkeypatch.setattr(inbox, "CLOSED_SHOWN", 2)
    officer = _officer(seeded)
    made = [write(seeded, f"Question {n}") for n in range(3)]
    with seeded.test_request_context(), db.job() as session:
        for n, thread_id in enumerate(made):
            inbox.change(
                session, officer, thread_id, inbox.CLOSE, now=datetime(2024, 6, 3 + n, 9, tzinfo=UTC)
            )
    with seeded.test_request_context(), db.job() as session:
        rows = inbox.inbox(session, officer, inbox.CLOSED_TAB, now=datetime(2024, 6, 10, tzinfo=UTC)).rows
    assert sorted(row.thread_id for row in rows) == sorted(made[1:])


def test_the_units_message_counts_include_its_threads_and_not_another_units(seeded: Flask) -> None:
    """The inbox tabs and the officer's home count the unit's new threads, never another force's."""
    officer = _officer(seeded)
    other = create_other_unit(seeded)

    def new_threads() -> int:
        with seeded.test_request_context(), db.job() as session:
            return inbox.counts(session, officer)[inbox.NEW_TAB]

    before = new_threads()
    write(seeded, "Ours")
    assert new_threads() == before + 1
    write(seeded, "Theirs", victim_id=other["victim_id"], urn=other["urn"])
    assert new_threads() == before + 1


def test_a_worker_who_may_send_messages_for_one_victim_cannot_reach_another_victims_messages(
    seeded: Flask,
) -> None:
    """Send-messages for Nia and only see-updates for Sam: Sam's messages pages stay out of reach."""
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["see-updates"])
    create_delegation(seeded, world.other_victim, worker=world.worker, scopes=["send-messages"])
    worker = signed_in(seeded, SUPPORT_WORKER)
    assert worker.get(f"/support/clients/{world.other_victim}/messages").status_code == 200
    for page in (
        "/messages",
        f"/cases/{DEMO_CASE_URN}/messages",
        f"/cases/{DEMO_CASE_URN}/messages/{DEMO_THREAD_ID}",
    ):
        assert worker.get(f"/support/clients/{world.victim}{page}").status_code == 404, page
