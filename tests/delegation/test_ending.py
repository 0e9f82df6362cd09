"""Ending: the victim revokes (effective on the worker's very next request), the end date passes (frozen
clock), the worker steps back, an officer stops it with a reason. The victim is told of each: a discreet
message through the outbox and a banner on their next page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask

from portal.extensions import db
from portal.services.delegation import grants as delegations
from tests.support.builders import create_delegation
from tests.support.outbox import messages
from tests.support.pages import page_text, post_form
from tests.support.records import get_delegation
from tests.support.scenarios import make_world, support_routes
from tests.support.signing_in import signed_in

DEMO_URN = "01YZ1234524"


def test_revocation_counts_on_the_workers_very_next_request(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(seeded, world.victim, worker=world.worker).id
    worker = signed_in(seeded, "support@demo.example")
    sam = signed_in(seeded, "victim@demo.example")
    routes = list(support_routes(world.victim, DEMO_URN))
    with time_machine.travel(datetime.now(UTC), tick=False):
        assert all(worker.get(path).status_code == 200 for path in routes)
        overview = sam.get("/people-helping-you").get_data(as_text=True)
        assert f"/people-helping-you/{delegation}/stop" in overview
        stopped = post_form(sam, f"/people-helping-you/{delegation}/stop", {})
        assert stopped.headers["Location"].endswith("/people-helping-you")
        # The same instant, the worker's next request: nothing.
        for path in routes:
            assert worker.get(path).status_code == 404, path
        assert f"/support/clients/{world.victim}" not in worker.get("/support").get_data(as_text=True)
    page = page_text(sam.get("/people-helping-you"))
    assert "can no longer see your information" in page  # the confirmation banner
    assert "Stopped by you" in page
    stored = get_delegation(seeded, delegation)
    assert stored.revoked_by_label == "Sam Sample"
    # Stopping twice is not possible; the page goes back to the list.
    assert sam.get(f"/people-helping-you/{delegation}/stop").status_code == 302
    assert len(messages(seeded, "delegation-notice")) == 1


def test_a_delegation_ends_exactly_at_its_end_date(seeded: Flask) -> None:
    world = make_world(seeded)
    ends_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    create_delegation(seeded, world.victim, worker=world.worker, ends_at=ends_at)
    routes = list(support_routes(world.victim, DEMO_URN))
    with time_machine.travel(ends_at - timedelta(minutes=5), tick=False) as clock:
        worker = signed_in(seeded, "support@demo.example")
        sam = signed_in(seeded, "victim@demo.example")
        assert all(worker.get(path).status_code == 200 for path in routes)
        clock.move_to(ends_at - timedelta(seconds=1))
        assert worker.get(routes[0]).status_code == 200
        clock.move_to(ends_at)
        for path in routes:
            assert worker.get(path).status_code == 404, path
        banner = page_text(sam.get("/cases"))
        assert "has ended: the end date has passed" in banner
        assert "Ended" in page_text(sam.get("/people-helping-you"))
        # The expiry sweep sends one discreet message, once.
        with seeded.app_context(), db.job() as session:
            assert delegations.announce_expired(session) == 1
        with seeded.app_context(), db.job() as session:
            assert delegations.announce_expired(session) == 0
    [message] = messages(seeded, "delegation-notice")
    assert message.recipient == "victim@demo.example" and "Sunny" not in message.body


def test_the_expiry_command_tells_victims(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(
        seeded, world.victim, worker=world.worker, ends_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    result = seeded.test_cli_runner().invoke(args=["support", "expire-delegations"])
    assert "Told 1 victim(s)" in result.output
    assert len(messages(seeded, "delegation-notice")) == 1


def test_the_worker_steps_back(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(seeded, world.victim, worker=world.worker).id
    worker = signed_in(seeded, "support@demo.example")
    page = worker.get(f"/support/clients/{world.victim}/step-back")
    assert "Are you sure you want to stop helping Sam Sample?" in page_text(page)
    done = post_form(worker, f"/support/clients/{world.victim}/step-back", {})
    assert done.headers["Location"].endswith("/support")
    assert worker.get(f"/support/clients/{world.victim}").status_code == 404
    assert get_delegation(seeded, delegation).stepped_back_by_user_id == world.worker
    sam = signed_in(seeded, "victim@demo.example")
    assert "stepped back and can no longer see your information" in page_text(sam.get("/cases"))
    assert len(messages(seeded, "delegation-notice")) == 1


def test_an_officer_stops_a_delegation_with_a_reason(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(seeded, world.victim, worker=world.worker).id
    worker = signed_in(seeded, "support@demo.example")
    officer = signed_in(seeded, "officer@demo.example")
    url = f"/staff/victims/{world.victim}/delegations/{delegation}/stop"
    no_reason = post_form(officer, url, {"reason": "  "})
    assert "Enter why you are stopping their access" in page_text(no_reason)
    assert worker.get(f"/support/clients/{world.victim}").status_code == 200
    done = post_form(officer, url, {"reason": "Concern raised by the victim's IDVA about this account"})
    assert done.headers["Location"].endswith(f"/staff/victims/{world.victim}/delegations")
    assert worker.get(f"/support/clients/{world.victim}").status_code == 404
    stored = get_delegation(seeded, delegation)
    assert stored.suspended_by_label == "Olive Officer" and stored.suspended_reason.startswith("Concern")
    assert "Concern raised" in page_text(officer.get(f"/staff/victims/{world.victim}/delegations"))
    # The victim is told that an officer stopped it, not why.
    sam = signed_in(seeded, "victim@demo.example")
    banner = page_text(sam.get("/people-helping-you"))
    assert "A witness care officer stopped Sunny Supporter (Demo Victim Support)" in banner
    assert "Concern raised" not in banner and "Stopped by an officer" in banner
    assert len(messages(seeded, "delegation-notice")) == 1
