"""gunicorn's web processes killed (SIGKILL), all of them, twice (more if no call was cut off yet), while
two agency systems post updates in batches: gunicorn starts new ones; calls cut off mid-request fail and, retried with the same event_ids, are
stored exactly once; no accepted update is lost and every message is sent exactly once."""

from __future__ import annotations

import os
import signal
import threading
import time
from functools import partial
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from tests.faults import checks
from tests.faults.stack import Stack, wait_until

pytestmark = pytest.mark.faults
ROUNDS = 2
#: More rounds, if none of the first ones cut a call off (a call takes a few tens of milliseconds, and a
#: kill that lands between two calls proves nothing about a call cut off).
MAX_ROUNDS = 8
BATCH = 20


class BatchAgency(checks.Agency):
    """Posts batches of BATCH updates (slower requests, so a kill is more likely to land mid-request)."""

    def post(self, event_id: str, timeout: float = 60) -> None:
        ids = [f"{event_id}.{k}" for k in range(BATCH)]
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = self.client.send_updates(self.urn, {"updates": [checks.update(i) for i in ids]})
            except requests.RequestException:
                self.answers["connection error"] += 1
            else:
                self.answers[str(answer.status_code)] += 1
                if answer.status_code in (200, 201):
                    self.accepted += ids
                    return
                assert answer.status_code in checks.RETRY_STATUSES, answer.text
            assert time.monotonic() < deadline, f"{event_id} not accepted within {timeout}s: {self.answers}"
            time.sleep(0.2)


def _new_web_processes(stack: Stack, killed: set[int]) -> bool:
    return len(set(stack.web_workers()) - killed) == 2


def test_a_web_process_killed_mid_request_loses_no_accepted_update(
    fault_engine: Engine, make_stack: Any, fault_report: dict[str, dict[str, Any]]
) -> None:
    stack: Stack = make_stack()
    engine = fault_engine
    before = checks.outbox_ids(engine)
    urn = "01FT0000526"
    client = checks.cps(stack)
    checks.new_case(client, urn, victims=1)
    agencies = [BatchAgency(checks.cps(stack), urn, f"killed-{n}") for n in range(2)]
    killed: list[int] = []
    for agency in agencies:
        agency.run(interval=0.0)
    try:
        for round_ in range(MAX_ROUNDS):
            if round_ >= ROUNDS and any(agency.answers["connection error"] for agency in agencies):
                break
            time.sleep(1.0)
            workers = stack.web_workers()
            assert len(workers) == 2, "gunicorn has its two web processes"
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            killed += workers
            wait_until(partial(_new_web_processes, stack, set(killed)), timeout=60)
        time.sleep(1.0)
    finally:
        threads = [threading.Thread(target=agency.finish) for agency in agencies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    checks.drain(engine, before, timeout=90)

    accepted = [event_id for agency in agencies for event_id in agency.accepted]
    answers: dict[str, int] = {}
    for agency in agencies:
        for answer, count in agency.answers.items():
            answers[answer] = answers.get(answer, 0) + count
    assert answers.get("connection error", 0) > 0, f"a kill landed mid-request: {answers}"
    stored = checks.stored_updates(engine, accepted)
    assert set(stored) == set(accepted) and set(stored.values()) == {1}, "every accepted update, once"
    counts = checks.delivery_counts(engine, stack, before)
    assert counts["lost"] == 0 and counts["doubled"] == 0 and counts["unknown_sends"] == 0, counts

    fault_report["web_process_killed"] = {
        "web_processes_killed": len(killed),
        "api_answers": answers,
        "updates_accepted": len(accepted),
        "pages_503_seconds": 0.0,
        **counts,
    }
