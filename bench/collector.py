"""How much of a request's CPU went to Python's garbage collector: collections by generation and their CPU,
counted while a measured request runs (`python -m bench.report_pages`, `python -m bench.hot_paths`).

Both tools set the collector as a web process has it (`portal.web.garbage_collection.settle_after_start`,
which gunicorn.conf.py applies once a worker has loaded the portal) before they measure, after seeding and
signing in; `BENCH_GC=default` leaves Python's defaults, to compare.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from portal.web import garbage_collection


class CollectorTime:
    """Collections and their CPU (seconds) by generation, while `counting()`."""

    def __init__(self) -> None:
        self.collections = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._active = False
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if not self._active:
            return
        if phase == "start":
            self._started = time.process_time()
        else:
            self.collections[info["generation"]] += 1
            self.seconds[info["generation"]] += time.process_time() - self._started

    @contextmanager
    def counting(self) -> Iterator[None]:
        self._active = True
        try:
            yield
        finally:
            self._active = False

    def summary(self, requests: int) -> str:
        total = sum(self.seconds) * 1000 / max(requests, 1)
        return (
            f"garbage collector {total:.1f} ms a request "
            f"(collections by generation {'/'.join(map(str, self.collections))}, "
            f"full ones {self.seconds[2] * 1000:.0f} ms in all)"
        )


def set_as_a_web_process() -> str:
    """The collector as gunicorn's workers have it, unless BENCH_GC=default; says which."""
    if os.environ.get("BENCH_GC") == "default":
        return "Python's default collector settings (BENCH_GC=default)"
    garbage_collection.settle_after_start()
    return "collector as in a web process (frozen after start, young generation every 10,000)"
