"""`make bench`: the portal under load, with baselines measured in the same run.

`python -m bench` creates its own database (PostgreSQL: a fresh `bench_<pid>` database, dropped at the
end; SQLite: a temporary file), applies the real migrations, seeds a realistic volume, serves the portal
with gunicorn as in production, and measures it with wrk on loopback (see README, "Benchmarks").
The presets below are the volumes and how long each measurement runs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    victims: int
    cases: int
    updates: int
    #: Police forces (and so witness care units) the cases are spread over.
    forces: int
    #: Share of updates that have an old, delivered message in the outbox (the communications log).
    history_share: float
    #: Seconds of each load window, after `warmup` seconds of the same load that are not counted.
    window: float
    warmup: float
    #: Each measurement is repeated this many times; the report gives the median.
    repeats: int
    #: Messages released to the workers per dispatch run.
    dispatch_messages: int
    #: Updates sent one by one for "API call to message accepted".
    latency_updates: int
    #: Seconds of the mixed scenario (bench/mixed.py): every kind of user at once.
    mixed_seconds: float = 120.0


PRESETS: dict[str, Preset] = {
    # PostgreSQL, the production engine: the volume the issue asks for.
    "default": Preset("default", 10_000, 12_000, 300_000, 43, 0.5, 6.0, 2.0, 3, 600, 200),
    # SQLite, the embedded single-machine set-up: a fifth of the volume.
    "sqlite": Preset("sqlite", 2_000, 2_400, 60_000, 10, 0.5, 5.0, 2.0, 3, 400, 200, mixed_seconds=60.0),
    # A quick run while developing.
    "small": Preset("small", 300, 360, 9_000, 4, 0.5, 3.0, 1.0, 3, 200, 60, mixed_seconds=30.0),
}

#: The victim whose timeline is measured: 3 cases, the measured one with this many updates.
TIMELINE_UPDATES = 150
OTHER_CASE_UPDATES = 10
#: A victim with one small case: the query counts compare its pages with the big victim's.
SMALL_CASE_UPDATES = 5
