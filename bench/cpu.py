"""Where the CPU went during a measurement window, read from /proc.

On a 2-core machine shared with other work, requests per second move with everything else that runs;
CPU time per request moves much less. Each window records the CPU used by the server's processes, by the
database's backends (PostgreSQL; SQLite works inside the server), by the load generator, and by the whole
machine, so the report can show both what was measured and how busy the machine was meanwhile.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.processes import CLOCK_TICKS, Service, process_cpu


def machine_busy_seconds() -> float:
    """CPU seconds the machine has spent not idle since boot, over all cores."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Usage:
    wall: float
    server: float
    database: float
    loadgen: float
    machine: float

    @property
    def others(self) -> float:
        """CPU seconds used by everything else on the machine (other people's work, our polling)."""
        return max(self.machine - self.server - self.database - self.loadgen, 0.0)


class CpuMeter:
    def __init__(self, server: Service | None, database_pids: Callable[[], list[int]] | None = None) -> None:
        self.server = server
        self.database_pids = database_pids
        self.usage: Usage | None = None

    def _database(self, pids: list[int]) -> dict[int, float]:
        return {pid: process_cpu(pid) for pid in pids}

    def __enter__(self) -> CpuMeter:
        self._pids = self.database_pids() if self.database_pids else []
        self._start = (
            time.monotonic(),
            self.server.cpu_seconds() if self.server else 0.0,
            self._database(self._pids),
            children_seconds(),
            machine_busy_seconds(),
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        wall0, server0, database0, children0, machine0 = self._start
        pids = set(self._pids) | set(self.database_pids() if self.database_pids else [])
        database1 = self._database(sorted(pids))
        self.usage = Usage(
            wall=time.monotonic() - wall0,
            server=(self.server.cpu_seconds() if self.server else 0.0) - server0,
            database=sum(database1[pid] - database0.get(pid, 0.0) for pid in database1),
            loadgen=children_seconds() - children0,
            machine=machine_busy_seconds() - machine0,
        )


def cores() -> int:
    return os.cpu_count() or 1
