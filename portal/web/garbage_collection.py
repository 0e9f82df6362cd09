"""Python's garbage collector in a web process: tuned once the process has loaded the portal.

The cyclic collector's full (oldest generation) collection walks every object that survived earlier
collections. A web process holds the app, its templates, translations and the per-process caches (worded
timeline entries, rendered fragments, statements): there a full collection cost about 120 ms, paid by
whichever request set it off, and an officer's report, which reads tens of thousands of rows, set off
several (`python -m bench.report_pages` counted 7 in 20 requests, 0.85 s of the CPU between them).
Two settings, applied once each web process has loaded the app (`gunicorn.conf.py`, `post_worker_init`):

- Everything alive at that moment is moved out of the collector's sight (`gc.freeze()`): the app lives as
  long as the process. Those objects are still freed as usual when nothing refers to them; only a
  reference cycle among them would stay, which a process that keeps its app for life does not have to
  clean. Full collections then walk only what requests and caches added since: about 12 ms.
- The youngest generation is collected after `YOUNG_THRESHOLD` new container objects rather than 700:
  most of a request's objects are freed by reference counting when the request ends, and with fewer
  collections fewer of them are promoted to the older generations while still alive, so full
  collections come rarely (none in the same 20 requests).
"""

from __future__ import annotations

import gc

#: New container objects (lists, dicts, instances...) between collections of the youngest generation.
YOUNG_THRESHOLD = 10_000


def settle_after_start() -> None:
    """Collect what starting up left, freeze the rest and raise the youngest generation's threshold.
    For a process that has just loaded the app and will keep it (a gunicorn worker)."""
    _, middle, oldest = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)
