"""Dispatch: messages a second from the outbox to the Notify sandbox with one and with two worker
processes; the time from an API call to its message being accepted by the sandbox; and a check that every
message was sent exactly once.

The API benchmark leaves thousands of queued messages. They are set aside first (`not_before` far in the
future: not due, so no worker claims them), then released a fixed number at a time, so each dispatch run
measures the same amount of work. The rate of a run is taken from the sandbox's own `created_at` of the
messages it accepted (first to last), not from our polling.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import Engine, func, select, update

from bench.api_load import RequestMaker
from bench.cpu import CpuMeter
from bench.processes import Service
from bench.seed import BenchData
from notifications.outbox import OutboundMessage
from portal.models import Communication

PARKED_UNTIL = datetime(2999, 1, 1, tzinfo=UTC)
SENT_STATES = ("sent", "delivered")


def park_queued(engine: Engine) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            update(OutboundMessage).where(OutboundMessage.status == "queued").values(not_before=PARKED_UNTIL)
        )
        return int(result.rowcount or 0)


def queue_through_api(portal: Service, data: BenchData, count: int) -> None:
    """About `count` more messages in the outbox, from updates sent in batches through the agency API."""
    maker = RequestMaker(data, f"backlog-{int(time.time())}")
    http = requests.Session()
    for index in range((count + 99) // 100):
        _agency, urn, token, body = maker.request(index, 100)
        response = http.post(
            f"{portal.url}/api/v1/cases/{urn}/updates",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        if response.status_code != 201:
            raise RuntimeError(f"could not queue messages through the API: {response.status_code}")


def release(engine: Engine, count: int) -> list[str]:
    """Make `count` parked messages due now, oldest first; returns their ids."""
    with engine.begin() as conn:
        ids = list(
            conn.scalars(
                select(OutboundMessage.id)
                .where(OutboundMessage.status == "queued", OutboundMessage.not_before == PARKED_UNTIL)
                .order_by(OutboundMessage.created_at, OutboundMessage.id)
                .limit(count)
            )
        )
        for start in range(0, len(ids), 500):
            conn.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id.in_(ids[start : start + 500]))
                .values(not_before=None)
            )
    return ids


def wait_sent(engine: Engine, ids: list[str], timeout: float) -> float:
    """Seconds until every message in `ids` has been accepted by Notify (status sent or delivered)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        done = 0
        with engine.connect() as conn:
            for start in range(0, len(ids), 500):
                done += (
                    conn.scalar(
                        select(func.count()).where(
                            OutboundMessage.id.in_(ids[start : start + 500]),
                            OutboundMessage.status.in_(SENT_STATES),
                        )
                    )
                    or 0
                )
        if done >= len(ids):
            return time.monotonic() - started
        time.sleep(0.25)
    raise RuntimeError(f"messages were not all sent within {timeout}s")


def wait_outbox_empty(engine: Engine, timeout: float) -> None:
    """Until nothing is waiting to be sent (or being sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.scalar(
                select(func.count()).where(OutboundMessage.status.in_(("queued", "sending")))
            )
        if not waiting:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the outbox still had messages waiting after {timeout}s")


def inbox(sandbox: Service) -> list[dict[str, Any]]:
    return list(requests.get(f"{sandbox.url}/_sandbox/notifications", timeout=60).json())


def _when(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["created_at"]).replace("Z", "+00:00"))


def dispatch_run(
    engine: Engine,
    sandbox: Service,
    workers: list[Service],
    count: int,
    *,
    portal: Service,
    database_pids: Callable[[], list[int]] | None = None,
) -> dict[str, Any]:
    """Release `count` messages and wait until the workers have sent them all."""
    ids = release(engine, count)
    before = {
        "workers": sum(w.cpu_seconds() for w in workers),
        "sandbox": sandbox.cpu_seconds(),
        "portal": portal.cpu_seconds(),
    }
    with CpuMeter(None, database_pids) as meter:
        wall = wait_sent(engine, ids, timeout=max(120.0, count / 5))
    after = {
        "workers": sum(w.cpu_seconds() for w in workers),
        "sandbox": sandbox.cpu_seconds(),
        "portal": portal.cpu_seconds(),
    }
    usage = meter.usage
    assert usage is not None
    wanted = set(ids)
    times = sorted(_when(item) for item in inbox(sandbox) if item.get("reference") in wanted)
    span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0

    def per_message(seconds: float) -> float:
        return round(seconds * 1000 / max(len(ids), 1), 2)

    return {
        "messages": len(ids),
        "accepted_by_sandbox": len(times),
        "seconds": round(span, 2),
        "messages_per_s": round((len(times) - 1) / span, 1) if span else None,
        "wall_seconds_incl_idle_poll": round(wall, 2),
        "worker_cpu_ms_per_message": per_message(after["workers"] - before["workers"]),
        "sandbox_cpu_ms_per_message": per_message(after["sandbox"] - before["sandbox"]),
        # The portal's share: the delivery receipts the sandbox sends back while the run goes on.
        "portal_cpu_ms_per_message": per_message(after["portal"] - before["portal"]),
        "db_cpu_ms_per_message": per_message(usage.database),
        "machine_busy_cores": round(usage.machine / usage.wall, 2),
    }


def latency(
    portal: Service, sandbox: Service, engine: Engine, data: BenchData, *, updates: int, per_second: float
) -> dict[str, Any]:
    """Send `updates` single updates at a steady pace; for each, the time from the start of the API call
    to the sandbox accepting the message (every message it caused; all go to victims who are safe now)."""
    maker = RequestMaker(data, f"latency-{int(time.time())}")
    http = requests.Session()
    called: dict[str, datetime] = {}
    failures = 0
    interval = 1.0 / per_second
    next_at = time.monotonic()
    for index in range(updates):
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += interval
        _agency, urn, token, body = maker.request(index, 1)
        started = datetime.now(UTC)
        response = http.post(
            f"{portal.url}/api/v1/cases/{urn}/updates",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if response.status_code == 201:
            called[response.json()["id"]] = started
        else:
            failures += 1
    with engine.connect() as conn:
        rows = conn.execute(
            select(Communication.update_id, Communication.outbound_message_id, OutboundMessage.created_at)
            .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
            .where(Communication.update_id.in_(list(called)))
        ).all()
    message_of = {message_id: update_id for update_id, message_id, _ in rows}
    queued_at = {message_id: created for _, message_id, created in rows}
    wait_sent(engine, list(message_of), timeout=120)
    delays, in_api, in_outbox = [], [], []
    for item in inbox(sandbox):
        reference = item.get("reference")
        if reference in message_of:
            start = called[message_of[reference]]
            delays.append((_when(item) - start).total_seconds())
            in_api.append((queued_at[reference] - start).total_seconds())
            in_outbox.append((_when(item) - queued_at[reference]).total_seconds())
    return {
        "updates": updates,
        "api_failures": failures,
        "messages": len(delays),
        **_percentiles("", delays),
        # Where the time goes: from the call to the row in the outbox (the API request), and from there
        # to the sandbox accepting it (the workers' polling, claiming and sending).
        **_percentiles("api_", in_api),
        **_percentiles("outbox_", in_outbox),
        "pace_per_s": per_second,
    }


def _percentiles(prefix: str, values: list[float]) -> dict[str, float | None]:
    ordered = sorted(values)
    if not ordered:
        return {f"{prefix}p50_s": None, f"{prefix}p95_s": None, f"{prefix}max_s": None}
    return {
        f"{prefix}p50_s": round(statistics.median(ordered), 3),
        f"{prefix}p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        f"{prefix}max_s": round(ordered[-1], 3),
    }


def exactly_once(engine: Engine, sandbox: Service, since: datetime) -> dict[str, Any]:
    """Every message the sandbox accepted was sent once: its references are unique, and they are exactly
    the outbox rows of this run that Notify accepted, each with the Notify id the sandbox gave it."""
    items = inbox(sandbox)
    references = [item.get("reference") for item in items]
    unique = set(references)
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboundMessage.id, OutboundMessage.notify_id, OutboundMessage.status).where(
                OutboundMessage.created_at >= since - timedelta(seconds=1),
                OutboundMessage.notify_id.is_not(None),
            )
        ).all()
    outbox_ids = {row.id for row in rows}
    notify_ids = {row.id: row.notify_id for row in rows}
    sandbox_ids = {item.get("reference"): item["id"] for item in items}
    mismatched = [ref for ref in unique & outbox_ids if notify_ids[ref] != sandbox_ids[ref]]
    return {
        "sandbox_messages": len(references),
        "unique_references": len(unique),
        "outbox_rows_sent": len(outbox_ids),
        "duplicates": len(references) - len(unique),
        "sent_but_not_in_outbox": len(unique - outbox_ids),
        "in_outbox_but_not_sent": len(outbox_ids - unique),
        "notify_id_mismatches": len(mismatched),
        "ok": len(references) == len(unique) and unique == outbox_ids and not mismatched,
    }
