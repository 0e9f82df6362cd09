"""A token bucket that keeps one worker under Notify's rate limit (3,000 requests a minute per key).

Notify counts every API request, lookups included, per key across all processes: with N workers sharing
a key, give each `rate_per_minute / N`. A 429 that still slips through is retried like any other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`rate_per_minute` tokens a minute, at most `burst` saved up. Thread-safe."""

    def __init__(
        self,
        rate_per_minute: float,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be positive")
        self.rate_per_second = rate_per_minute / 60.0
        # Any 60 s window sees at most rate_per_minute + burst requests; keep the burst small.
        self.capacity = max(1.0, burst if burst is not None else rate_per_minute / 600.0)
        self._clock = clock
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def try_acquire(self) -> float:
        """Take a token if one is there and return 0; otherwise return the seconds until one will be."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate_per_second)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate_per_second

    def acquire(self, stop: threading.Event | None = None) -> bool:
        """Block until a token is taken (True), or until `stop` is set (False)."""
        while True:
            wait = self.try_acquire()
            if wait <= 0:
                return True
            if stop is not None:
                if stop.wait(min(wait, 1.0)):
                    return False
            else:
                time.sleep(min(wait, 1.0))
