"""Load through wrk (Debian's `wrk`, installed by `make bench`): a C load generator, so on a 2-core machine
it takes little CPU from the servers it measures, and the portal and the baseline are driven the same way.

`run()` drives fixed requests (a page, with a session cookie); `run_file()` sends prepared requests one
line each (`METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY`), so every agency API call has its own JWT and event id.
The Lua `done` hook prints one JSON line with the counts and latency percentiles (wrk measures in µs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.cpu import CpuMeter, cores
from bench.processes import USER_AGENT, Service

REPORT_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  local sent, available = 0, 0
  for _, t in ipairs(threads or {}) do
    sent = sent + (t:get("counter") or 0)
    available = available + (t:get("available") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "sent": %d, "available": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    sent, available))
end
"""

FILE_LUA = r"""
threads = {}
local lines = {}
counter = 0
available = 0
setup = function(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
init = function(args)
  local path, count = args[1], tonumber(args[2])
  local i = 0
  for line in io.lines(path) do
    if i % count == tid then table.insert(lines, line) end
    i = i + 1
  end
  available = #lines
end
request = function()
  counter = counter + 1
  local line = lines[((counter - 1) % #lines) + 1]
  local method, path, token, body = line:match("^(%S+)\t(%S+)\t(%S+)\t(.*)$")
  return wrk.format(method, path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "USER_AGENT",
  }, body)
end
""".replace("USER_AGENT", USER_AGENT)


@dataclass(frozen=True)
class LoadResult:
    requests: int
    ok: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    errors: dict[str, int]
    #: CPU per request: the server's processes, the database's backends (PostgreSQL), wrk.
    server_cpu_ms_per_request: float | None
    db_cpu_ms_per_request: float | None
    loadgen_cpu_ms_per_request: float | None
    #: How busy the machine was meanwhile, in cores, and how much of that was nobody of ours.
    machine_busy_cores: float
    others_cores: float
    #: Requests a second the machine's cores would serve at this CPU per request if the server and the
    #: database had them to themselves: an estimate, for comparing runs on a busy machine.
    cpu_bound_rps: float | None
    loadavg: float
    exhausted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(
            "wrk is not installed: run `make bench` (it installs Debian's wrk), or apt-get install wrk"
        )
    return path


def _script(body: str, directory: Path, name: str) -> Path:
    path = directory / name
    path.write_text(body + REPORT_LUA)
    return path


def _wrk(
    argv_tail: list[str],
    *,
    server: Service | None,
    connections: int,
    seconds: float,
    threads: int,
    database_pids: Callable[[], list[int]] | None,
) -> LoadResult:
    threads = max(1, min(threads, connections))
    argv = [
        wrk_path(),
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        *argv_tail,
    ]
    loadavg = os.getloadavg()[0]
    with CpuMeter(server, database_pids) as meter:
        completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    usage = meter.usage
    assert usage is not None
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stdout}\n{completed.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = {key: int(raw[key]) for key in ("connect", "read", "write", "status", "timeout") if raw[key]}
    duration = raw["duration_us"] / 1e6
    ok = max(raw["requests"] - raw["status"], 0)
    count = raw["requests"]

    def per_request(seconds: float) -> float | None:
        return round(seconds * 1000 / count, 2) if count else None

    server_ms, db_ms = per_request(usage.server), per_request(usage.database)
    busy = (server_ms or 0.0) + (db_ms or 0.0)
    return LoadResult(
        requests=count,
        ok=ok,
        seconds=round(duration, 2),
        rps=round(ok / duration, 1) if duration else 0.0,
        p50_ms=round(raw["p50_us"] / 1000, 1),
        p95_ms=round(raw["p95_us"] / 1000, 1),
        p99_ms=round(raw["p99_us"] / 1000, 1),
        mean_ms=round(raw["mean_us"] / 1000, 1),
        errors=errors,
        server_cpu_ms_per_request=server_ms,
        db_cpu_ms_per_request=db_ms,
        loadgen_cpu_ms_per_request=per_request(usage.loadgen),
        machine_busy_cores=round(usage.machine / usage.wall, 2),
        others_cores=round(usage.others / usage.wall, 2),
        cpu_bound_rps=round(cores() * 1000 / busy, 1) if busy else None,
        loadavg=round(loadavg, 2),
        exhausted=bool(raw["available"]) and raw["sent"] > raw["available"],
    )


def run(
    url: str,
    *,
    server: Service | None,
    connections: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    threads: int = 2,
    database_pids: Callable[[], list[int]] | None = None,
) -> LoadResult:
    """GET `url` from `connections` connections, back to back, for `seconds`."""
    with tempfile.TemporaryDirectory(prefix="bench_wrk_") as directory:
        script = _script("", Path(directory), "report.lua")
        tail = ["-s", str(script), "-H", f"User-Agent: {USER_AGENT}"]
        for name, value in (headers or {}).items():
            tail += ["-H", f"{name}: {value}"]
        return _wrk(
            [*tail, url],
            server=server,
            connections=connections,
            seconds=seconds,
            threads=threads,
            database_pids=database_pids,
        )


def run_file(
    base_url: str,
    lines: list[str],
    *,
    server: Service | None,
    connections: int,
    seconds: float,
    threads: int = 2,
    database_pids: Callable[[], list[int]] | None = None,
) -> LoadResult:
    """Send the prepared requests in order (each wrk thread takes every n-th line)."""
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory(prefix="bench_wrk_") as directory:
        data = Path(directory) / "requests.tsv"
        data.write_text("\n".join(lines) + "\n")
        script = _script(FILE_LUA, Path(directory), "file.lua")
        tail = ["-s", str(script), base_url, "--", str(data), str(threads)]
        return _wrk(
            tail,
            server=server,
            connections=connections,
            seconds=seconds,
            threads=threads,
            database_pids=database_pids,
        )
