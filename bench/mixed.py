"""The mixed scenario: every kind of user at once, driven by locust in headless mode
(bench/locustfile.py; who the people are: bench/mixed_people.py), against the portal's web processes, two
notification workers and the Notify sandbox on one database.

Victims read their cases (most of the traffic; a few sign in, read and sign out over and over), officers
work the review queue and the timeliness report, support workers read their clients' cases, the agencies
send single updates and batches, the workers send what that queues to the sandbox (at Notify's 3,000 a
minute, shared between the two) and the sandbox sends delivery receipts back. Reported: each endpoint's
requests, failures, p50 and p95 (locust's CSV statistics); the outbox's backlog every few seconds and how
long it takes to empty after the load stops; the messages queued, sent and delivered; the cores each kind
of process used; each process's memory (RSS) at the end.

Messages left queued by earlier phases are parked first (as the dispatch phase does), so the backlog is
this scenario's own. The portal is restarted for it with `PROXY_HOPS=1`, as it runs behind a load
balancer, so that each simulated person has an address of their own (`X-Forwarded-For`) and the
per-address sign-in limits see many people, not one.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, or_, select

from bench import Preset, dispatch, processes
from bench.cpu import CpuMeter
from bench.mixed_people import fixture
from bench.processes import Service
from bench.seed import BenchData
from notifications.outbox import OutboundMessage

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
#: Users started a second at the beginning.
SPAWN_RATE = 10
WORKERS = 2
#: Notify's limit for one key, 3,000 a minute, shared by the workers as production runs them.
WORKER_RATE_PER_MINUTE = 3000 / WORKERS
BACKLOG_EVERY = 5.0
DRAIN_TIMEOUT = 180.0
WAITING = ("queued", "sending")


def backlog(engine: Engine) -> dict[str, float]:
    """Messages due and not yet accepted by Notify (parked ones are not due), and the oldest one's wait."""
    now = datetime.now(UTC)
    with engine.connect() as conn:
        count, oldest = conn.execute(
            select(func.count(), func.min(OutboundMessage.created_at)).where(
                OutboundMessage.status.in_(WAITING),
                or_(OutboundMessage.not_before.is_(None), OutboundMessage.not_before <= now),
            )
        ).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return {
        "waiting": int(count or 0),
        "oldest_s": round((now - oldest).total_seconds(), 1) if oldest is not None else 0.0,
    }


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    result: list[int] = []
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/children") as handle:
                result += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return sorted(result)


def memory(portal: Service, workers: list[Service], sandbox: Service) -> dict[str, float | None]:
    """RSS in MiB of every process serving the scenario."""

    def mib(pid: int) -> float | None:
        kib = rss_kib(pid)
        return round(kib / 1024, 1) if kib is not None else None

    result = {"portal master": mib(portal.process.pid)}
    for index, child in enumerate(children(portal.process.pid), start=1):
        result[f"portal web {index}"] = mib(child)
    for worker in workers:
        result[worker.name] = mib(worker.process.pid)
    result["sandbox"] = mib(sandbox.process.pid)
    return result


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def read_stats(prefix: Path) -> dict[str, Any]:
    """locust's `<prefix>_stats.csv` (one row per endpoint and an "Aggregated" row) and failures."""
    endpoints, total = [], {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = {
                "type": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(_number(row["Requests/s"]) or 0.0, 2),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                endpoints.append(entry)
    failures = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            failures = [
                {
                    "method": row["Method"],
                    "name": row["Name"],
                    "error": row["Error"],
                    "count": int(row["Occurrences"]),
                }
                for row in csv.DictReader(handle)
            ]
    return {"endpoints": endpoints, "total": total, "failures": failures}


def _receipts(engine: Engine, since: datetime, timeout: float = 30.0) -> dict[str, int]:
    """The messages queued since `since` by status, once every one sent has had its delivery receipt
    (or after `timeout` seconds: those still "sent" are the receipts not yet arrived)."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            states = {
                str(status): int(count)
                for status, count in conn.execute(
                    select(OutboundMessage.status, func.count())
                    .where(OutboundMessage.created_at >= since)
                    .group_by(OutboundMessage.status)
                )
            }
        if not states.get("sent") or time.monotonic() > deadline:
            return states
        time.sleep(0.5)


def _start_locust(argv: list[str], env: dict[str, str], log_dir: Path) -> Service:
    log_path = log_dir / "locust.log"
    with log_path.open("ab") as handle:
        process = subprocess.Popen(
            argv,
            cwd=processes.PROJECT_ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Service("locust", process, log_path)


def measure(
    *,
    preset: Preset,
    url: str,
    portal: Service,
    sandbox: Service,
    env: dict[str, str],
    engine: Engine,
    data: BenchData,
    log_dir: Path,
    services: list[Service],
    web_workers: int,
    database_pids: Callable[[], list[int]] | None,
) -> dict[str, Any]:
    """Run the scenario for `preset.mixed_seconds`. Leaves the restarted portal in `services`; stops its
    workers."""
    parked = dispatch.park_queued(engine)
    portal.stop()
    services.remove(portal)
    portal = processes.gunicorn(
        "portal-mixed",
        "portal:create_app()",
        {**env, "PROXY_HOPS": "1"},
        log_dir,
        port=portal.port,
        workers=web_workers,
    )
    services.append(portal)
    workers = []
    for index in range(1, WORKERS + 1):
        worker = processes.worker(index, env, log_dir, rate_per_minute=WORKER_RATE_PER_MINUTE)
        worker.name = f"worker {index}"
        workers.append(worker)
        services.append(worker)
    people = fixture(engine, data, preset, portal, sandbox, url)
    fixture_path = log_dir / "mixed_fixture.json"
    fixture_path.write_text(json.dumps(people))
    prefix = log_dir / "locust"
    users = sum(people["users"].values())
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(SPAWN_RATE),
        "--run-time",
        f"{round(preset.mixed_seconds)}s",
        "--stop-timeout",
        "10",
        "--host",
        portal.url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    started_at = datetime.now(UTC)
    before = {
        "portal": portal.cpu_seconds(),
        "workers": sum(w.cpu_seconds() for w in workers),
        "sandbox": sandbox.cpu_seconds(),
    }
    series: list[dict[str, float]] = []
    with CpuMeter(None, database_pids) as meter:
        locust = _start_locust(argv, {**env, "BENCH_MIXED_FIXTURE": str(fixture_path)}, log_dir)
        started = time.monotonic()
        deadline = started + preset.mixed_seconds + 120.0
        while locust.process.poll() is None:
            if time.monotonic() > deadline:
                locust.stop()
                raise RuntimeError(f"locust did not finish:\n{locust.log_tail()}")
            series.append({"t": round(time.monotonic() - started, 1), **backlog(engine)})
            with contextlib.suppress(subprocess.TimeoutExpired):
                locust.process.wait(BACKLOG_EVERY)
        load_seconds = time.monotonic() - started
    after = {
        "portal": portal.cpu_seconds(),
        "workers": sum(w.cpu_seconds() for w in workers),
        "sandbox": sandbox.cpu_seconds(),
    }
    if locust.process.returncode not in (0, 1):  # 1: the run had failures, which are reported
        raise RuntimeError(f"locust exited with {locust.process.returncode}:\n{locust.log_tail()}")
    end = backlog(engine)
    series.append({"t": round(load_seconds, 1), **end})
    drain_started = time.monotonic()
    drained = None
    while time.monotonic() - drain_started < DRAIN_TIMEOUT:
        if backlog(engine)["waiting"] == 0:
            drained = round(time.monotonic() - drain_started, 1)
            break
        time.sleep(0.5)
    states = _receipts(engine, started_at)
    rss = memory(portal, workers, sandbox)
    for worker in workers:
        worker.stop()
        services.remove(worker)
    stats = read_stats(prefix)
    usage = meter.usage
    assert usage is not None
    # Cores each used on average during the load (locust's own CPU counts once it has exited).
    seconds = {name: after[name] - before[name] for name in before}
    seconds.update(database=usage.database, locust=usage.loadgen)
    seconds["others"] = max(usage.machine - sum(seconds.values()), 0.0)
    cpu = {name: round(value / usage.wall, 2) for name, value in seconds.items()}
    cpu["machine"] = round(usage.machine / usage.wall, 2)
    return {
        "seconds": preset.mixed_seconds,
        # From starting locust to its exit: its start-up, the run, and the users' last requests.
        "wall_seconds": round(load_seconds, 1),
        "users": people["users"],
        "web_processes": web_workers,
        "worker_processes": WORKERS,
        "worker_rate_per_minute": WORKER_RATE_PER_MINUTE,
        "parked_before": parked,
        **stats,
        "errors": sum(row["failures"] for row in stats["endpoints"]),
        "locust_log_tail": locust.log_tail(30) if locust.process.returncode else "",
        "backlog": {
            "every_s": BACKLOG_EVERY,
            "series": series,
            "max": max(point["waiting"] for point in series),
            "max_oldest_s": max(point["oldest_s"] for point in series),
            "end": end["waiting"],
            "drained_after_s": drained,
        },
        "messages": states,
        "cores": cpu,
        "rss_mib": rss,
    }
