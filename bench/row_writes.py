"""How many rows a table should have before `notifications.rows.insert_tables` writes them by COPY rather
than as INSERTs in psycopg's pipeline (`rows.FEW`).

    .venv/bin/python -m bench.row_writes [--repeats 400]

On a fresh PostgreSQL database of its own, writes n audit events (a time, text and a JSON detail, as the
API's and the pages' writes have) to one table, and to three (an update call writes its message, its
communication and its quality checks together), for each n, both ways, in alternating blocks, each write
in a transaction rolled back; prints this process's CPU, the database backend's CPU and the wall time of
the write alone (the BEGIN and ROLLBACK around it are the same either way). The pipeline sends every INSERT in one round
trip; a COPY takes two (the command, then the rows), so it pays off only once there are enough rows.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from bench.database import bench_database
from bench.processes import process_cpu
from notifications import rows as row_writes
from portal import create_app
from portal.extensions import db
from portal.models import AuditEvent

SIZES = (1, 2, 3, 4, 6, 8, 12, 16)
WAYS = {"pipeline": 10**9, "COPY": 0}  # rows.FEW for each way


def _rows(count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {
            "at": now,
            "actor_label": "Agency API: Example police",
            "action": "api.send_updates",
            "subject_victim_id": None,
            "request_id": f"bench-{index}",
            "detail": {"urn": "01AB0000001", "updates": 1, "status": 201, "event_ids": [f"E-{index}"]},
            "occurrences": 1,
        }
        for index in range(count)
    ]


def _block(session: Any, writes: list[Any], repeats: int, backend: int) -> tuple[float, float, float]:
    """This process's CPU, the backend's CPU and the wall time of one write, averaged over `repeats`
    (the backend's CPU is counted in clock ticks: only a total over many writes is worth reading)."""
    ours = theirs = wall = 0.0
    for _ in range(repeats):
        session.execute(text("SELECT 1"))  # the transaction begun, outside the measure
        started = (time.process_time(), process_cpu(backend), time.perf_counter())
        row_writes.insert_tables(session, writes)
        ours += time.process_time() - started[0]
        theirs += process_cpu(backend) - started[1]
        wall += time.perf_counter() - started[2]
        session.rollback()
    return ours / repeats, theirs / repeats, wall / repeats


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.row_writes", description=__doc__)
    parser.add_argument("--repeats", type=int, default=1000, help="writes in each measured block")
    parser.add_argument("--rounds", type=int, default=3, help="blocks of each way, alternating")
    args = parser.parse_args()
    table = AuditEvent.__table__
    kept_few = row_writes.FEW
    with bench_database("postgresql") as url:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        with app.app_context(), db.job() as session:
            backend = int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())
            session.rollback()
            print("microseconds a write (medians of the rounds): this process's CPU / the database's / wall")
            for tables in (1, 3):
                for count in SIZES:
                    writes = [(table, _rows(count))] * tables
                    found: dict[str, list[tuple[float, float, float]]] = {way: [] for way in WAYS}
                    for round_number in range(args.rounds + 1):
                        for way, few in WAYS.items():
                            row_writes.FEW = few
                            measured = _block(session, writes, args.repeats, backend)
                            if round_number:  # the first round warms up
                                found[way].append(measured)
                    line = [f"{tables} table(s) of {count:>2} rows:"]
                    for way, blocks in found.items():
                        ours, theirs, wall = (
                            statistics.median(values) * 1e6 for values in zip(*blocks, strict=True)
                        )
                        line.append(f"{way} {ours:5.0f} / {theirs:5.0f} / {wall:5.0f}")
                    print("  ".join(line), flush=True)
    row_writes.FEW = kept_few


if __name__ == "__main__":
    main()
