"""Before and after, side by side: `python -m bench` run in turn on another commit and on this working copy.

    .venv/bin/python -m bench.compare REV [--pairs 3] [--db postgresql] [--only timeline,api]

A machine shared with others, or one whose own speed drifts, changes a figure more from one hour to the
next than most changes to the code do (on 1 December 2026 the same code gave 318 single agency updates a
second in one run and 216 to 248 within the next hour). Runs taken in turn, `--pairs` times, see the same
drift; each pair is compared, and the medians of the pairs. Which side runs first alternates from pair to
pair (a run can leave the machine slower for the next one).

REV is checked out into a temporary git worktree (removed at the end), given this copy's compiled Welsh
catalogue and front-end assets (neither is in git), and run with this copy's Python environment: a REV
whose pinned packages (requirements.lock) differ is refused, as its figures would not be its own. Each
run's results stay in bench/results/ of the copy that ran it; the table is printed and written to
bench/results/<time>-compare.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
#: Not in git, needed to serve the portal: copied into the other commit's worktree.
UNTRACKED = ("portal/translations/cy/LC_MESSAGES/messages.mo", "static")
_RESULTS_LINE = re.compile(r"Results: (\S+\.json)\s*$", re.MULTILINE)


def _git(*args: str, cwd: Path = PROJECT_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """REV checked out in a temporary worktree, with this copy's untracked files the portal needs."""
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    try:
        pinned: str | None = _git("show", f"{commit}:requirements.lock")
    except subprocess.CalledProcessError:
        pinned = None
    if pinned != (PROJECT_ROOT / "requirements.lock").read_text().strip():
        raise SystemExit(f"{rev} pins other packages (requirements.lock): its figures would not be its own")
    place = Path(tempfile.mkdtemp(prefix="bench_compare_")) / "before"
    _git("worktree", "add", "--detach", str(place), commit)
    try:
        for name in UNTRACKED:
            source, target = PROJECT_ROOT / name, place / name
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            elif source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        yield place
    finally:
        _git("worktree", "remove", "--force", str(place))
        shutil.rmtree(place.parent, ignore_errors=True)


def _run(copy: Path, bench_args: Sequence[str]) -> dict[str, Any]:
    """One `python -m bench` in `copy`; its results."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", *bench_args], cwd=copy, capture_output=True, text=True, check=False
    )
    found = _RESULTS_LINE.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"python -m bench failed in {copy}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    results: dict[str, Any] = json.loads((copy / found.group(1)).read_text())
    return results


def figures(results: Mapping[str, Any]) -> dict[str, float]:
    """The numbers of a run's summaries, named `<backend> <measure>` (targets and flags left out). Each is
    summarised again by this copy's `bench.report` from the run's own figures, so that both sides are
    summarised by the same rules (REV's may give fewer measures: the mixed scenario's endpoints, say)."""
    found: dict[str, float] = {}
    for backend, run in results["backends"].items():
        summary = {**run["summary"], **report.summarise(run)}
        for name, value in summary.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                found[f"{backend} {name}"] = float(value)
    return found


def pair_table(pairs: Sequence[tuple[Mapping[str, float], Mapping[str, float]]]) -> list[dict[str, Any]]:
    """For each measure every pair has on both sides: each pair's before and after, their medians and the
    median of the pairs' ratios (after / before)."""
    names = [name for name in pairs[0][0] if all(name in b and name in a for b, a in pairs)]
    rows = []
    for name in names:
        before = [b[name] for b, _ in pairs]
        after = [a[name] for _, a in pairs]
        ratios = [a / b for b, a in zip(before, after, strict=True) if b]
        rows.append(
            {
                "measure": name,
                "pairs": list(zip(before, after, strict=True)),
                "before": statistics.median(before),
                "after": statistics.median(after),
                "ratio": statistics.median(ratios) if ratios else None,
            }
        )
    return rows


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def printed(rows: Sequence[Mapping[str, Any]]) -> str:
    lines = [f"{'measure':44} {'before':>9} {'after':>9} {'after/before':>12}  each pair, before / after"]
    for row in rows:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        pairs = ", ".join(f"{_number(b)} / {_number(a)}" for b, a in row["pairs"])
        lines.append(
            f"{row['measure']:44} {_number(row['before']):>9} {_number(row['after']):>9} {ratio:>12}  {pairs}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("rev", help="the commit to compare this working copy with (before)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--db", choices=("both", "postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--only", default="timeline,api", help="the phases, as for python -m bench")
    args = parser.parse_args(argv)
    bench_args = ["--db", args.db, "--only", args.only]
    pairs = []
    with worktree(args.rev) as before_copy:
        for number in range(1, args.pairs + 1):
            # Which runs first alternates: a run can leave the machine slower for the next (the database
            # cleaning up after the last one), which would otherwise always count against "after".
            before_first = number % 2 == 1
            print(
                f"pair {number} of {args.pairs}: "
                + (f"{args.rev}, then this copy" if before_first else f"this copy, then {args.rev}"),
                flush=True,
            )
            if before_first:
                before = figures(_run(before_copy, bench_args))
                after = figures(_run(PROJECT_ROOT, bench_args))
            else:
                after = figures(_run(PROJECT_ROOT, bench_args))
                before = figures(_run(before_copy, bench_args))
            pairs.append((before, after))
    rows = pair_table(pairs)
    print(printed(rows))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-compare.json"
    path.write_text(json.dumps({"before": args.rev, "args": bench_args, "rows": rows}, indent=2))
    print(f"\nWritten to {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
