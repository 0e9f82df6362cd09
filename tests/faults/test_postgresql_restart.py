"""PostgreSQL stopped and started again under load (pg_ctl stop -m fast: every connection cut, then
refused for 4 seconds). While it is down pages answer the GOV.UK 503 and agency API calls 503; both
recover by themselves; each update, retried with the same event_id, is stored exactly once; the worker
carries on; no message is lost or sent twice. The web and worker processes' logs are one JSON event a
line, each with its process kind and request id, and hold no personal data."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine

from portal.services.demo_data import DEMO_CASE_URN
from tests.faults import checks
from tests.faults.stack import Cluster, Stack, wait_until
from tests.support.demo import VICTIM

pytestmark = pytest.mark.faults
DOWN_SECONDS = 4.0


def test_postgresql_restarting_under_load(
    cluster: Cluster,
    portal_app: Flask,
    fault_engine: Engine,
    make_stack: Any,
    fault_report: dict[str, dict[str, Any]],
) -> None:
    stack: Stack = make_stack()
    engine = fault_engine
    before = checks.outbox_ids(engine)
    client = checks.cps(stack)
    urn = "01FT0000126"
    checks.new_case(client, urn, victims=2)
    victim = checks.signed_in_victim(portal_app, stack.web_url)
    agency = checks.Agency(client, urn, "pg-restart")
    poller = checks.PagePoller(victim, f"{stack.web_url}/cases/{DEMO_CASE_URN}").start()
    agency.run()
    try:
        time.sleep(2)
        engine.dispose()
        cluster.stop()
        time.sleep(DOWN_SECONDS)
        cluster.start()
        up_at = time.monotonic()
        recovered = wait_until(lambda: poller.answers[-1][1] == 200, timeout=60)
        time.sleep(1.5)  # and keeps working under load
    finally:
        agency.finish()
        poller.finish()
    drained = checks.drain(engine, before, timeout=40)
    drain_seconds = time.monotonic() - up_at

    statuses = poller.statuses()
    assert statuses[503] > 0 and statuses[200] > 0, statuses
    assert set(statuses) <= {200, 503}, statuses
    assert poller.bad_503_pages == 0, "every 503 is the GOV.UK page"
    assert agency.answers["503"] > 0, agency.answers
    stored = checks.stored_updates(engine, agency.accepted)
    assert set(stored) == set(agency.accepted) and set(stored.values()) == {1}
    counts = checks.delivery_counts(engine, stack, before)
    assert counts["lost"] == 0 and counts["doubled"] == 0 and counts["unknown_sends"] == 0, counts
    assert stack.services["worker"].process.poll() is None, "the worker carried on"
    personal = [VICTIM, "Sam Sample", "fay.fault0@demo.example", "07700 900300", "7700900300", "Fault0"]
    assert checks.log_problems(stack, personal) == [], "one JSON event a line, no personal data"
    status = requests.get(f"{stack.web_url}/_status", timeout=10).json()
    assert status["worker"]["status"] == "running" and status["outbox"]["waiting"] == 0, status

    fault_report["postgresql_restart"] = {
        "database_down_seconds": DOWN_SECONDS,
        "pages_503_seconds": poller.seconds_answering(503),
        "pages_answered": dict(sorted((str(k), v) for k, v in statuses.items())),
        "recovered_seconds_after_restart": round(recovered, 2),
        "api_answers": dict(agency.answers),
        "updates_accepted": len(agency.accepted),
        "backlog_drain_seconds_after_restart": round(drain_seconds, 2),
        "drain_wait_after_load_seconds": round(drained, 2),
        **counts,
    }
