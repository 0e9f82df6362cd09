"""Two (or eight) identical requests at the same moment store one update, and one victim: real threads,
real HTTP, a threaded server, each request in its own transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Flask
from sqlalchemy import select

from portal.api import examples
from portal.data import cases as cases_data
from portal.extensions import db
from portal.models import CaseUpdate, CaseVictim, Communication
from portal.services.agency_api import ingest as api_ingest
from portal.services.common.actors import ApiCaller
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.messaging import dispatch
from tests.support.agency_client import AgencyClient
from tests.support.records import count

PARALLEL = 8


def _at_once(send: Callable[[], requests.Response]) -> list[requests.Response]:
    barrier = threading.Barrier(PARALLEL)

    def go() -> requests.Response:
        barrier.wait()
        return send()

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda _: go(), range(PARALLEL)))


def test_identical_updates_at_the_same_moment_store_one(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    witness_care = [agency("witness_care") for _ in range(PARALLEL)]  # one HTTP session per thread
    body = examples.update_requests()["witness_care"][1]
    updates, messages = count(seeded, CaseUpdate), count(seeded, Communication)
    clients = iter(witness_care)
    lock = threading.Lock()

    def send() -> requests.Response:
        with lock:
            client = next(clients)
        return client.send_updates(DEMO_CASE_URN, body)

    responses = _at_once(send)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (PARALLEL - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert count(seeded, CaseUpdate) == updates + 1
    # ... and one set of messages: the losers' messages were rolled back with their savepoints.
    new_messages = count(seeded, Communication) - messages
    assert new_messages == 1, new_messages  # one message to the demo victim, on their first safe channel


def test_the_same_victim_sent_twice_at_once_is_added_once(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = [agency("police") for _ in range(PARALLEL)]
    clients = iter(police)
    lock = threading.Lock()
    before = count(seeded, CaseVictim)

    def send() -> requests.Response:
        with lock:
            client = next(clients)
        return client.add_victim(DEMO_CASE_URN, examples.VICTIM_REQUEST)

    responses = _at_once(send)
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert count(seeded, CaseVictim) == before + 1


def test_a_batch_that_meets_an_event_stored_meanwhile_stores_the_rest_and_returns_the_winner(
    seeded: Flask,
) -> None:
    """The race the unique constraint settles: another request stores one of a batch's event ids after
    this request looked for replays. The batch's single INSERT fails inside its SAVEPOINT; each update is
    then stored on its own, the one that lost returning the update stored first."""
    police = ApiCaller(client_id="tests", name="Tests", agency="police", force_code="01")
    items = [
        {
            "event_id": f"race-{n}",
            "type": "suspect-arrested",
            "occurred_at": f"2026-11-0{n}T10:00:00Z",
            "received_at": f"2026-11-0{n}T10:00:00Z",
        }
        for n in (1, 2, 3)
    ]
    with seeded.app_context(), db.job() as session:
        case = cases_data.get_case_by_urn(session, DEMO_CASE_URN)
        assert case is not None
        [winner], _ = api_ingest.record_updates(session, police, case, [items[1]], batch=False)
    with seeded.app_context(), db.job() as session:
        case = cases_data.get_case_by_urn(session, DEMO_CASE_URN)
        assert case is not None
        to_store = [
            (n, n, item, api_ingest.stored_event_id(police, item["event_id"]), None)
            for n, item in enumerate(items)
        ]
        call = api_ingest._Call(session, police, case, dispatch.Audience(), dispatch.Outgoing())
        stored = api_ingest._store_all(call, to_store)
        call.outgoing.write(session)
        assert [created for _, created in stored] == [True, False, True]
        assert stored[1][0] is not None and stored[1][0].id == winner["id"]
        ids = [update.id for update, _ in stored if update is not None]
    with seeded.app_context(), db.job() as session:
        events = session.scalars(
            select(CaseUpdate.agency_event_id).where(CaseUpdate.agency_event_id.like("01:race-%"))
        ).all()
        assert sorted(events) == ["01:race-1", "01:race-2", "01:race-3"]
        # One message per update to the demo victim: the winner's from its own request, none again.
        told = session.scalars(select(Communication.update_id).where(Communication.update_id.in_(ids))).all()
        assert sorted(told) == sorted(ids)
