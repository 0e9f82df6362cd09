"""What operators see of delivery: `/_status` gives the worker's last heartbeat (a stopped worker shows
within a minute: workers beat every 10 seconds, and 30 seconds without one is "stopped") and the oldest
message waiting; `/metrics` gives the same, the backlog and Notify's failures by kind."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications import heartbeat, outbox
from notifications.client import NotifyStatus
from notifications.outbox import OutboundMessage, enqueue
from notifications.worker import Worker
from portal.extensions import db


def _message(session: object, **values: object) -> OutboundMessage:
    message = enqueue(session, channel="sms", recipient="07700900123", body="An update")  # type: ignore[arg-type]
    for name, value in values.items():
        setattr(message, name, value)
    return message


def _metric(client: FlaskClient, line_start: str) -> float:
    body = client.get("/metrics").get_data(as_text=True)
    [line] = [line for line in body.splitlines() if line.startswith(line_start + " ")]
    return float(line.rsplit(" ", 1)[1])


def test_status_shows_a_stopped_worker_and_the_oldest_waiting_message(
    app: Flask, client: FlaskClient
) -> None:
    never = client.get("/_status")
    assert never.status_code == 200
    assert never.get_json()["status"] == "degraded"
    assert never.get_json()["worker"] == {
        "status": "stopped",
        "last_heartbeat": None,
        "seconds_since_heartbeat": None,
    }
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        heartbeat.beat(session, "web-test:1", now=now - timedelta(seconds=5), started_at=now)
        _message(session, created_at=now - timedelta(minutes=5))
        _message(session, created_at=now - timedelta(minutes=1))
        # Not waiting: its safe time has not come; and one Notify has accepted.
        _message(session, created_at=now - timedelta(hours=2), not_before=now + timedelta(hours=1))
        _message(session, created_at=now - timedelta(hours=3), status=outbox.SENT)
    running = client.get("/_status").get_json()
    assert running["status"] == "ok"
    assert running["worker"]["status"] == "running"
    assert 4 <= running["worker"]["seconds_since_heartbeat"] < 30
    assert running["outbox"]["waiting"] == 2
    assert 295 <= running["outbox"]["oldest_waiting_seconds"] < 330

    with app.app_context(), db.job() as session:  # the worker's last beat was 31 seconds ago
        heartbeat.beat(session, "web-test:1", now=now - timedelta(seconds=31), started_at=now)
    stopped = client.get("/_status").get_json()
    assert stopped["status"] == "degraded" and stopped["worker"]["status"] == "stopped"


class _NothingToSend:
    def send(self, message: object) -> str:
        raise AssertionError("nothing is queued")

    def find_by_reference(self, reference: str) -> None:
        raise AssertionError("nothing is queued")

    def get_status(self, notify_id: str) -> NotifyStatus:
        raise AssertionError("nothing is queued")


def test_a_running_worker_writes_its_heartbeat(app: Flask, client: FlaskClient) -> None:
    factory = app.extensions["database"].session_factory
    worker = Worker(factory, _NothingToSend(), idle_seconds=0.05, heartbeat_seconds=0.2)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        beats: list[datetime] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(set(beats)) < 2:
            with factory() as session:
                beats += session.scalars(select(heartbeat.WorkerHeartbeat.beat_at)).all()
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert len(set(beats)) >= 2, "the worker beats again while it runs"
    with factory() as session:
        [row] = session.scalars(select(heartbeat.WorkerHeartbeat)).all()
    assert row.worker == heartbeat.process_name()
    status = client.get("/_status").get_json()
    assert status["status"] == "ok" and status["worker"]["status"] == "running"


def test_metrics_give_backlog_heartbeat_age_and_notify_failures(app: Flask, client: FlaskClient) -> None:
    assert _metric(client, "portal_worker_heartbeat_age_seconds") == float("inf")
    assert _metric(client, "portal_outbox_waiting_messages") == 0
    assert _metric(client, "portal_outbox_oldest_waiting_seconds") == 0
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        heartbeat.beat(session, "metrics-test:1", now=now - timedelta(seconds=90), started_at=now)
        _message(session, created_at=now - timedelta(minutes=10))
        _message(session, attempts=2, failure_reason="503 Notify is down")
        _message(session, attempts=3, failure_reason="429 Exceeded rate limit")
        _message(session, attempts=1, failure_reason="429 Exceeded rate limit")
        _message(session, status=outbox.FAILED, failure_reason="Notify rejected it (400): bad")
        _message(session, status=outbox.FAILED, failure_reason="gave up: 503")
        _message(session, status=outbox.PERMANENT_FAILURE)
        _message(session, status=outbox.TEMPORARY_FAILURE)
        # A final failure two hours old no longer counts.
        _message(session, status=outbox.PERMANENT_FAILURE, updated_at=now - timedelta(hours=2))
    assert 89 <= _metric(client, "portal_worker_heartbeat_age_seconds") < 120
    assert _metric(client, "portal_outbox_waiting_messages") == 5  # the four queued, the temporary failure
    assert 599 <= _metric(client, "portal_outbox_oldest_waiting_seconds") < 640
    failures = {
        kind: _metric(client, f'portal_notify_failures{{kind="{kind}"}}')
        for kind in (
            "unavailable",
            "rate-limited",
            "rejected",
            "gave-up",
            "permanent-failure",
            "temporary-failure",
        )
    }
    assert failures == {
        "unavailable": 1,
        "rate-limited": 2,
        "rejected": 1,
        "gave-up": 1,
        "permanent-failure": 1,
        "temporary-failure": 1,
    }
    assert _metric(client, 'portal_notify_failures{kind="technical-failure"}') == 0
