"""The two hot paths in one process: CPU, statements and database time of a victim's timeline view and of
an agency's update.

    .venv/bin/python -m bench.hot_paths [--preset small] [--runs 30] [--profile]

Seeds a PostgreSQL database of its own with the preset's volume (bench/seed.py), signs the measured victim
in through the real pages (password, then the security code from the outbox), and asks for the first page
of their 150-update case `--runs` times after warm-up requests that are not counted; then sends `--runs`
single updates and `--runs // 10` batches of 100 through the agency API (each with its own JWT and event
ids, as `make bench` does). Prints the median CPU of this process (the request's Python), the Python
function calls of one request (counted by cProfile: unlike CPU, the same however busy the machine is),
statements and the database's time per request; `--profile` adds where the time goes, sampled by py-spy
(samples holding the GIL) and by cProfile. HOT_PATHS_SQL=1 prints each statement, HOT_PATHS_CALLS=1 the
calls by library, HOT_PATHS_STATS=prefix writes the counted request's cProfile to prefix.<path> (for
pstats). CPU is measured, not wall time, so a busy machine changes the figures less; compare runs on the
same machine only. `make bench` measures the same paths under load in gunicorn; this is the quick loop
for working on them.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import re
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from bench import PRESETS, collector
from bench import profile as spy
from bench.api_load import RequestMaker
from bench.database import bench_database, time_statements
from bench.processes import BIN
from bench.seed import seed
from notifications.outbox import OutboundMessage
from portal import create_app, migrate
from portal.extensions import db


def _sampled(name: str, call: Callable[[], Any], runs: int) -> None:
    """py-spy on this process while `call` runs `runs` times: where the CPU goes, with little overhead."""
    out = Path(tempfile.mkdtemp()) / "stacks.txt"
    argv = [
        str(BIN / "py-spy"),
        "record",
        "--pid",
        str(os.getpid()),
        "--format",
        "raw",
        "--rate",
        "400",
        "--gil",
        "--output",
        str(out),
        "--nonblocking",
    ]
    recorder = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    for _ in range(runs):
        call()
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=60)
    summary = spy.summarise(out, top=30)
    print(f"{name}: {summary['samples']} samples holding the GIL (py-spy --gil), share of them:")
    for key in ("categories", "portal_inclusive", "self"):
        print(f"  {key}:")
        for line in summary[key]:
            print(f"    {line['percent']:5.1f}  {line['function']}")


def _measure(
    name: str, call: Callable[[], Any], runs: int, seconds: list[float], profile: bool, per: int = 1
) -> None:
    if profile:
        _sampled(name, call, runs * 3)
    cpu, statements, database = [], [], []
    collected = collector.CollectorTime()
    for _ in range(runs):
        seconds.clear()
        before = time.process_time()
        with collected.counting():
            call()
        cpu.append(time.process_time() - before)
        statements.append(len(seconds))
        database.append(sum(seconds))
    unit = "" if per == 1 else f" ({statistics.median(cpu) * 1000 / per:.2f} ms an update)"
    counter = cProfile.Profile()
    counter.runcall(call)
    calls = pstats.Stats(counter).total_calls  # type: ignore[attr-defined]
    if os.environ.get("HOT_PATHS_STATS"):  # the counted request's profile, for pstats (one file a path)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        counter.dump_stats(f"{os.environ['HOT_PATHS_STATS']}.{slug}")
    if os.environ.get("HOT_PATHS_CALLS"):  # where the calls are, by library or module
        by_package: dict[str, int] = {}
        for (path, _line, _func), (_cc, ncalls, *_rest) in pstats.Stats(counter).stats.items():  # type: ignore[attr-defined]
            key = re.sub(r".*/site-packages/|.*/work/[^/]+/", "", path)
            key = key if key.startswith(("portal", "templates")) else "/".join(key.split("/")[:2])
            by_package[key] = by_package.get(key, 0) + ncalls
        for key, count in sorted(by_package.items(), key=lambda kv: -kv[1])[:40]:
            print(f"    {count:7,}  {key}")
    print(
        f"{name}: median CPU {statistics.median(cpu) * 1000:.1f} ms{unit}, "
        f"{calls:,} Python function calls, {statistics.median(statements):.0f} statements, "
        f"database {statistics.median(database) * 1000:.1f} ms (median of {runs}); " + collected.summary(runs)
    )
    if profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(call)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(
            os.environ.get("HOT_PATHS_PROFILE", r"/(portal|notifications|templates)/"), 45
        )


def _security_code(app: Any, email: str) -> str:
    with app.app_context(), db.job() as session:
        body = session.scalars(
            select(OutboundMessage.body)
            .where(OutboundMessage.correlation.like("security-code:%"), OutboundMessage.recipient == email)
            .order_by(OutboundMessage.created_at.desc())
            .limit(1)
        ).first()
    assert body is not None, "no security code in the outbox"
    found = re.search(r"\b(\d{6})\b", body)
    assert found is not None
    return found.group(1)


def _sign_in(client: FlaskClient, app: Any, email: str, password: str) -> None:
    client.post("/sign-in", data={"email": email, "password": password})
    done = client.post("/sign-in/security-code", data={"code": _security_code(app, email)})
    assert done.status_code == 302, "the victim could not sign in"
    if "/exit-this-page-explained" in done.headers["Location"]:
        client.post("/exit-this-page-explained", data={})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hot_paths", description=__doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", default="timeline,api", help="timeline, api or both (comma-separated)")
    parser.add_argument(
        "--page", action="append", default=[], help="another page for the victim (repeatable)"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    with bench_database("postgresql") as url:
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
        app.config["RATELIMIT_ENABLED"] = False
        started = time.perf_counter()
        data = seed(app, PRESETS[args.preset])
        print(f"seeded the {args.preset} volume in {time.perf_counter() - started:.0f} s")
        seconds = time_statements(app, echo=bool(os.environ.get("HOT_PATHS_SQL")))  # each statement
        print(collector.set_as_a_web_process())

        if "timeline" in only:
            client = app.test_client()
            _sign_in(client, app, data.victim_email, data.password)
            page = f"/cases/{data.timeline_urn}"
            for _ in range(5):
                assert client.get(page).status_code == 200, page
            _measure(
                "timeline (150-update case, first page)",
                lambda: client.get(page),
                args.runs,
                seconds,
                args.profile,
            )
            for other in args.page:
                assert client.get(other).status_code == 200, other
                _measure(other, functools.partial(client.get, other), args.runs, seconds, args.profile)
        if "api" in only:
            api = app.test_client()
            maker = RequestMaker(data, "hot")
            index = iter(range(10**9))

            def send(batch_size: int) -> None:
                _agency, urn, token, body = maker.request(next(index), batch_size)
                answer = api.post(
                    f"/api/v1/cases/{urn}/updates", json=body, headers={"Authorization": f"Bearer {token}"}
                )
                assert answer.status_code in (200, 201), answer.get_data(as_text=True)[:500]

            for _ in range(200):  # every event type's validator made (one per type and process)
                send(1)
            _measure("API, a single update", lambda: send(1), args.runs, seconds, args.profile)
            _measure(
                "API, a batch of 100",
                lambda: send(100),
                max(3, args.runs // 10),
                seconds,
                args.profile,
                per=100,
            )


if __name__ == "__main__":
    main()
