"""`python -m bench.compare` reads each run's figures and sets them side by side: the medians of each side
and of the pairs' ratios, only for measures every run has, never flags or targets; and it refuses a commit
whose pinned packages differ, since this copy's environment would run it."""

from __future__ import annotations

import pytest

from bench import compare


def _run(single: float, timeline: float | None = None) -> dict:
    summary: dict[str, object] = {"api_single_per_s": single, "query_counts_constant": True}
    if timeline is not None:
        summary["timeline_cpu_ms"] = timeline
    summary["targets_met"] = {"api_single_per_s": False}
    return {"backends": {"postgresql": {"summary": summary}}}


def test_each_measure_with_its_pairs_medians_and_ratio() -> None:
    pairs = [
        (compare.figures(_run(216.0, 12.4)), compare.figures(_run(245.0, 11.9))),
        (compare.figures(_run(232.0, 12.8)), compare.figures(_run(241.0, 12.7))),
        (compare.figures(_run(248.0)), compare.figures(_run(253.0, 12.1))),
    ]
    rows = {row["measure"]: row for row in compare.pair_table(pairs)}
    assert set(rows) == {"postgresql api_single_per_s"}  # the timeline is missing from one run; flags never
    single = rows["postgresql api_single_per_s"]
    assert single["pairs"] == [(216.0, 245.0), (232.0, 241.0), (248.0, 253.0)]
    assert (single["before"], single["after"]) == (232.0, 245.0)
    assert single["ratio"] == pytest.approx(241.0 / 232.0)  # the median of the pairs' ratios
    assert "232 / 241" in compare.printed(list(rows.values()))


def test_a_commit_with_other_pinned_packages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, ...]] = []

    def git(*args: str, **_kwargs: object) -> str:
        asked.append(args)
        if args[0] == "show":
            return "flask==0.1"
        return "0123456789abcdef0123456789abcdef01234567"

    monkeypatch.setattr(compare, "_git", git)
    with pytest.raises(SystemExit, match="pins other packages"), compare.worktree("HEAD~5"):
        pass
    assert not any(args[0] == "worktree" for args in asked)  # refused before anything is checked out


def test_both_sides_are_summarised_by_this_copys_rules() -> None:
    """A run from an older commit, whose own summary lacks the mixed scenario's endpoints, still gives them
    from its figures."""
    run = {
        "summary": {"mixed_errors": 0},
        "mixed": {
            "errors": 0,
            "backlog": {"max": 10, "end": 0},
            "endpoints": [{"type": "GET", "name": "/cases/<urn>", "p50_ms": 20.0, "p95_ms": 61.0}],
        },
    }
    found = compare.figures({"backends": {"postgresql": run}})
    assert found["postgresql mixed_timeline_p50_ms"] == 20.0
    assert found["postgresql mixed_timeline_p95_ms"] == 61.0
