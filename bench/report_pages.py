"""The officer's reports in one process: CPU, statements and database time of each request.

    .venv/bin/python -m bench.report_pages [--preset default] [--runs 9] [--profile]

Seeds a PostgreSQL database of its own with the preset's volume (bench/seed.py; `default`: 300,000
updates over 43 forces), signs in as the officer of force 01 through the real pages (password and
authenticator app) and asks for each report page `--runs` times after one request not counted. Prints the
median CPU (this process: the page's Python), the statements and the database's time per request;
`--profile` adds the cProfile summary of one more request of each (REPORT_PAGES_SORT=tottime: by the time
spent in each function itself). The garbage collector's share is counted too (bench/collector.py). CPU is
measured, not wall time, so a busy machine changes the figures less; compare runs on the same machine,
never across machines.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

import pyotp

from bench import PRESETS, collector
from bench.database import bench_database, time_statements
from bench.seed import seed
from portal import create_app, migrate

PAGES = ("/staff/timeliness", "/staff/quality", "/staff/review")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_pages", description=__doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with bench_database("postgresql") as url:
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
        started = time.perf_counter()
        data = seed(app, PRESETS[args.preset])
        print(f"seeded the {args.preset} volume in {time.perf_counter() - started:.0f} s")
        client = app.test_client()
        client.post("/sign-in", data={"email": data.officer_email, "password": data.password})
        signed_in = client.post("/sign-in/security-code", data={"code": pyotp.TOTP(data.totp_secret).now()})
        assert signed_in.status_code == 302, "the officer could not sign in"
        seconds = time_statements(app)
        print(collector.set_as_a_web_process())

        for page in PAGES:
            assert client.get(page).status_code == 200, page
            cpu, statements, database = [], [], []
            collected = collector.CollectorTime()
            for _ in range(args.runs):
                seconds.clear()
                before = time.process_time()
                with collected.counting():
                    client.get(page)
                cpu.append(time.process_time() - before)
                statements.append(len(seconds))
                database.append(sum(seconds))
            print(
                f"{page}: median CPU {statistics.median(cpu) * 1000:.0f} ms, "
                f"{statistics.median(statements):.0f} statements, "
                f"database {statistics.median(database) * 1000:.0f} ms (median of {args.runs}); "
                + collected.summary(args.runs)
            )
            if args.profile:
                profile = cProfile.Profile()
                profile.runcall(client.get, page)
                order = os.environ.get("REPORT_PAGES_SORT", "cumulative")
                pstats.Stats(profile).sort_stats(order).print_stats(25)


if __name__ == "__main__":
    main()
