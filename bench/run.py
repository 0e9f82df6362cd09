"""One backend's benchmark, start to finish: database, seed, query counts, then the servers under load."""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench import (
    TIMELINE_UPDATES,
    Preset,
    api_load,
    dispatch,
    load,
    mixed,
    processes,
    profile,
    query_counts,
    signin,
)
from bench.database import bench_database
from bench.processes import Service
from bench.seed import BenchData, seed
from portal import create_app
from portal.models import CaseUpdate

TIMELINE_CONNECTIONS = 20
API_SINGLE_CONNECTIONS = 8
API_BATCH_CONNECTIONS = 4
API_BATCH_SIZE = 100
#: The workers' own token bucket, raised with the sandbox's limit: the run measures how fast they can go.
WORKER_RATE_PER_MINUTE = 600_000
PHASES = frozenset({"timeline", "api", "dispatch", "mixed"})
#: gunicorn sync worker processes for the portal and the baseline: gunicorn.conf.py's default, two per core.
WEB_WORKERS = 2 * (os.cpu_count() or 1)


def _redis_url() -> str:
    configured = os.environ.get("BENCH_REDIS_URL")
    if configured is not None:
        return "" if configured == "none" else configured
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/15"
    except OSError:
        return ""


def _database_pids(engine: Engine) -> Callable[[], list[int]] | None:
    """PostgreSQL: the backends serving this database (their CPU is the database's share of the work)."""
    if engine.dialect.name != "postgresql":
        return None

    def pids() -> list[int]:
        with engine.connect() as conn:
            return list(
                conn.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            )

    return pids


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class BackendRun:
    def __init__(
        self,
        kind: str,
        preset: Preset,
        log_dir: Path,
        phases: frozenset[str] = PHASES,
        profile_prefix: Path | None = None,
    ) -> None:
        self.kind = kind
        self.phases = phases
        self.profile_prefix = profile_prefix
        self.preset = preset
        self.log_dir = log_dir
        self.secret_key = secrets.token_hex(32)
        self.callback_token = secrets.token_hex(16)
        self.services: list[Service] = []
        self.result: dict[str, Any] = {"backend": kind, "preset": asdict(preset)}
        self.database_pids: Callable[[], list[int]] | None = None

    def env(self, url: str, portal_port: int, sandbox_url: str, redis_url: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("NOTIFY_")}
        env.update(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": self.secret_key,
                "NOTIFY_BASE_URL": sandbox_url,
                "NOTIFY_CALLBACK_TOKEN": self.callback_token,
                "PORTAL_BASE_URL": f"http://127.0.0.1:{portal_port}",
                # A policy per agency client (3,000 a minute by default), not the capacity being measured.
                "API_RATE_LIMIT": "10000000/minute",
                "REDIS_URL": redis_url,
                "PYTHONPATH": str(processes.PROJECT_ROOT),
            }
        )
        return env

    def run(self) -> dict[str, Any]:
        with bench_database(self.kind) as url:
            app = create_app(
                {
                    "DATABASE_URL": url,
                    "SECRET_KEY": self.secret_key,
                    "NOTIFY_CALLBACK_TOKEN": self.callback_token,
                }
            )
            engine = app.extensions["database"].engine
            self.database_pids = _database_pids(engine)
            try:
                _log(f"{self.kind}: seeding {self.preset.name}")
                data = seed(app, self.preset)
                self.result["seed"] = {"seconds": round(data.seconds, 1), "rows": data.counts}
                _log(f"{self.kind}: seeded in {data.seconds:.0f}s; counting SQL statements per page")
                since = datetime.now(UTC)
                self.result["query_counts"] = query_counts.measure(app, data)
                self._under_load(url, data, engine, since)
            finally:
                processes.stop_all(self.services)
                engine.dispose()
        return self.result

    def _under_load(self, url: str, data: BenchData, engine: Any, since: datetime) -> None:
        portal_port = processes.free_port()
        redis_url = _redis_url()
        self.result["redis"] = bool(redis_url)
        sandbox = processes.sandbox(
            dict(os.environ),
            self.log_dir,
            callback_url=f"http://127.0.0.1:{portal_port}/notifications/receipts",
            callback_token=self.callback_token,
        )
        self.services.append(sandbox)
        env = self.env(url, portal_port, sandbox.url, redis_url)
        portal = processes.gunicorn(
            "portal", "portal:create_app()", env, self.log_dir, port=portal_port, workers=WEB_WORKERS
        )
        self.services.append(portal)

        _log(f"{self.kind}: signing the victim in (security code through a worker and the sandbox)")
        first_worker = processes.worker(1, env, self.log_dir, rate_per_minute=WORKER_RATE_PER_MINUTE)
        self.services.append(first_worker)
        dispatch.wait_outbox_empty(engine, timeout=60)  # the codes of the in-process sign-ins above
        session = signin.sign_in(portal.url, sandbox.url, data.victim_email, data.password)
        first_worker.stop()
        self.services.remove(first_worker)

        if "timeline" in self.phases:
            self.result["timeline"] = self._timeline(portal, data, session, env)
        if "api" in self.phases:
            self._api(portal, data, engine)
        if "dispatch" in self.phases:
            self.result["dispatch"] = self._dispatch(portal, sandbox, env, engine, data, since)
        if "mixed" in self.phases:  # last: it restarts the portal
            _log(f"{self.kind}: mixed scenario, {self.preset.mixed_seconds:.0f} s (locust)")
            self.result["mixed"] = mixed.measure(
                preset=self.preset,
                url=url,
                portal=portal,
                sandbox=sandbox,
                env=env,
                engine=engine,
                data=data,
                log_dir=self.log_dir,
                services=self.services,
                web_workers=WEB_WORKERS,
                database_pids=self.database_pids,
            )

    def _api(self, portal: Service, data: BenchData, engine: Any) -> None:
        _log(f"{self.kind}: agency API")

        def count_updates(tag: str) -> int:
            with engine.connect() as conn:
                return int(
                    conn.scalar(select(func.count()).where(CaseUpdate.agency_event_id.like(f"%{tag}-%"))) or 0
                )

        common: dict[str, Any] = {
            "warmup": self.preset.warmup,
            "repeats": self.preset.repeats,
            "database_pids": self.database_pids,
        }
        self.result["api_single"] = api_load.measure(
            portal,
            data,
            batch_size=1,
            connections=API_SINGLE_CONNECTIONS,
            count_updates=count_updates,
            expected_rps=300,
            window=self.preset.window,
            profile_to=self._profile_path("api_single"),
            **common,
        )
        self.result["api_batch"] = api_load.measure(
            portal,
            data,
            batch_size=API_BATCH_SIZE,
            connections=API_BATCH_CONNECTIONS,
            count_updates=count_updates,
            expected_rps=20,
            # A batch request takes a good part of a second: a longer window so that enough complete.
            window=1.5 * self.preset.window,
            profile_to=self._profile_path("api_batch"),
            **common,
        )

    def _profile_path(self, phase: str) -> Path | None:
        if self.profile_prefix is None:
            return None
        return self.profile_prefix.with_name(f"{self.profile_prefix.name}-{self.kind}-{phase}.folded")

    def _timeline(
        self, portal: Service, data: BenchData, session: Any, env: dict[str, str]
    ) -> dict[str, Any]:
        path = f"/cases/{data.timeline_urn}"
        page = session.get(portal.url + path, timeout=30)
        # The first page of 20; the source filter counts the case's updates: "Everyone (150)".
        if page.status_code != 200 or f"({TIMELINE_UPDATES})" not in page.text:
            raise RuntimeError(
                f"the timeline page was not that of the case with {TIMELINE_UPDATES} updates ({page.status_code})"
            )
        body = session.get(portal.url + path, timeout=30).content
        baseline_page = self.log_dir / "baseline_page.html"
        baseline_page.write_bytes(body)
        baseline = processes.gunicorn(
            "baseline",
            "bench.baseline_app:create_app()",
            {**env, "BENCH_BASELINE_PAGE": str(baseline_page)},
            self.log_dir,
            workers=WEB_WORKERS,
        )
        self.services.append(baseline)
        cookie = signin.cookie_header(session)
        _log(
            f"{self.kind}: timeline page ({len(body)} bytes) and baseline, {TIMELINE_CONNECTIONS} connections"
        )

        def portal_run(seconds: float) -> load.LoadResult:
            return load.run(
                portal.url + path,
                server=portal,
                connections=TIMELINE_CONNECTIONS,
                seconds=seconds,
                headers={"Cookie": cookie},
                database_pids=self.database_pids,
            )

        def baseline_run(seconds: float) -> load.LoadResult:
            return load.run(
                baseline.url + path, server=baseline, connections=TIMELINE_CONNECTIONS, seconds=seconds
            )

        runs: dict[str, list[dict[str, Any]]] = {"portal": [], "baseline": []}
        portal_run(self.preset.warmup)
        baseline_run(self.preset.warmup)
        for _ in range(self.preset.repeats):  # interleaved, so both see the same noise
            for name, runner in (("portal", portal_run), ("baseline", baseline_run)):
                result = runner(self.preset.window)
                if result.errors:
                    raise RuntimeError(f"{name} answered with errors under load: {result.errors}")
                runs[name].append(result.as_dict())
        baseline.stop()
        self.services.remove(baseline)
        extra: dict[str, Any] = {}
        profile_to = self._profile_path("timeline")
        if profile_to is not None:  # one more window, sampled with py-spy, not counted above
            with profile.recording(portal, self.preset.window, profile_to) as summary:
                portal_run(self.preset.window)
            extra["profile"] = summary
        return {
            "bytes": len(body),
            "connections": TIMELINE_CONNECTIONS,
            "path": "/cases/<urn>",
            **runs,
            **extra,
        }

    def _dispatch(
        self,
        portal: Service,
        sandbox: Service,
        env: dict[str, str],
        engine: Any,
        data: BenchData,
        since: datetime,
    ) -> dict[str, Any]:
        parked = dispatch.park_queued(engine)
        needed = 2 * self.preset.repeats * self.preset.dispatch_messages
        if parked < needed:  # without the API phase (--only dispatch): queue them through the API now
            dispatch.queue_through_api(portal, data, needed - parked)
            parked += dispatch.park_queued(engine) - parked
        result: dict[str, Any] = {"parked_messages": parked}
        workers: list[Service] = []

        def start_workers(count: int) -> None:
            while len(workers) < count:
                new = processes.worker(
                    len(workers) + 1, env, self.log_dir, rate_per_minute=WORKER_RATE_PER_MINUTE
                )
                workers.append(new)
                self.services.append(new)
            time.sleep(2.0)  # let them import and reach their loop

        for count in (1, 2):
            start_workers(count)
            _log(f"{self.kind}: dispatch with {count} worker(s)")
            result[f"workers_{count}"] = [
                dispatch.dispatch_run(
                    engine,
                    sandbox,
                    workers,
                    self.preset.dispatch_messages,
                    portal=portal,
                    database_pids=self.database_pids,
                )
                for _ in range(self.preset.repeats)
            ]
        _log(f"{self.kind}: API call to message accepted, {self.preset.latency_updates} updates, 2 workers")
        result["scaling_out"] = {
            "web_processes": WEB_WORKERS,
            "worker_processes": len(workers),
            "database": self.kind,
        }
        result["latency"] = dispatch.latency(
            portal, sandbox, engine, data, updates=self.preset.latency_updates, per_second=20.0
        )
        for worker in workers:
            worker.stop()
            self.services.remove(worker)
        time.sleep(1.0)
        result["exactly_once"] = dispatch.exactly_once(engine, sandbox, since)
        return result
