"""`python -m bench` (`make bench`): see bench/__init__.py and README, "Benchmarks"."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import PRESETS
from bench.report import summarise, table
from bench.run import PHASES, BackendRun

RESULTS = Path(__file__).resolve().parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--db", choices=("both", "postgresql", "sqlite"), default="both", help="which backends (default both)"
    )
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="volume and durations for every backend (default: 'default' on PostgreSQL, 'sqlite' on SQLite)",
    )
    parser.add_argument(
        "--only",
        default=",".join(sorted(PHASES)),
        help="comma-separated phases to run: timeline, api, dispatch, mixed (default all; dispatch uses the "
        "messages the api phase leaves queued)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also sample the portal with py-spy during one extra window of each load (not counted)",
    )
    return parser


def _commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    kinds = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    phases = frozenset(part.strip() for part in args.only.split(",") if part.strip())
    if not phases <= PHASES:
        raise SystemExit(f"--only takes some of: {', '.join(sorted(PHASES))}")
    started = time.perf_counter()
    results: dict[str, object] = {
        "started_at": datetime.now(UTC).isoformat(),
        "commit": _commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg": os.getloadavg()},
        "backends": {},
    }
    backends: dict[str, object] = {}
    results["backends"] = backends
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    profile_prefix = RESULTS / stamp if args.profile else None
    with tempfile.TemporaryDirectory(prefix="bench_logs_") as logs:
        for kind in kinds:
            preset = PRESETS[args.preset or ("default" if kind == "postgresql" else "sqlite")]
            log_dir = Path(logs) / kind
            log_dir.mkdir()
            try:
                backend = BackendRun(kind, preset, log_dir, phases, profile_prefix).run()
            except Exception:
                for log in sorted(log_dir.glob("*.log")):
                    if not log.name.endswith(".access.log"):
                        print(f"--- {log.name} (last lines)", file=sys.stderr)
                        print("\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
                raise
            backend["summary"] = summarise(backend)
            backends[kind] = backend
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["loadavg_end"] = os.getloadavg()  # type: ignore[index]
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    print(
        f"\nWhole run {results['seconds']} s. Results: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
