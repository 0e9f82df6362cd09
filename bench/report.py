"""The short table `make bench` prints, with the medians of the repeated runs against the targets."""

from __future__ import annotations

import os
import statistics
from typing import Any

CORES = os.cpu_count() or 1

#: Issue 20's targets (PostgreSQL, default volume); SQLite's own where they differ (BACKEND_TARGETS).
TARGETS = {
    "timeline_ratio": 0.12,
    "timeline_cpu_ms": 3.5,
    "timeline_p95_ms": 100.0,
    "api_single_per_s": 300.0,
    "api_batch_per_s": 3000.0,
    "dispatch_one_worker_per_s": 50.0,  # Notify's 3,000 a minute
    "latency_p95_s": 2.0,
}
BACKEND_TARGETS = {"sqlite": {"api_batch_per_s": 2000.0}}
DISPATCH_CPU = (
    "worker_cpu_ms_per_message",
    "sandbox_cpu_ms_per_message",
    "portal_cpu_ms_per_message",
    "db_cpu_ms_per_message",
)
LOWER_IS_BETTER = frozenset({"timeline_p95_ms", "timeline_cpu_ms", "latency_p95_s"})


#: The mixed scenario's endpoints whose p50 and p95 a run's summary gives (so `bench.compare` shows them).
MIXED_ENDPOINTS = {
    "timeline": "GET /cases/<urn>",
    "cases": "GET /cases",
    "api_single": "POST /api/v1/cases/<urn>/updates (single)",
    "api_batch": "POST /api/v1/cases/<urn>/updates (batch of 100)",
    "client_case": "GET /support/clients/<victim_id>/cases/<urn>",
    "review": "GET /staff/review",
    "timeliness": "GET /staff/timeliness",
}


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [run[key] for run in runs if run.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(backend: dict[str, Any]) -> dict[str, Any]:
    """Medians (of the repeats) of every headline figure, and whether each target is met."""
    summary: dict[str, Any] = {}
    timeline = backend.get("timeline")
    if timeline:
        portal, baseline = timeline["portal"], timeline["baseline"]
        summary["timeline_rps"] = _median(portal, "rps")
        summary["timeline_p50_ms"] = _median(portal, "p50_ms")
        summary["timeline_p95_ms"] = _median(portal, "p95_ms")
        summary["timeline_cpu_ms"] = _median(portal, "server_cpu_ms_per_request")
        summary["timeline_db_cpu_ms"] = _median(portal, "db_cpu_ms_per_request")
        summary["timeline_cpu_bound_rps"] = _median(portal, "cpu_bound_rps")
        summary["baseline_rps"] = _median(baseline, "rps")
        summary["baseline_p95_ms"] = _median(baseline, "p95_ms")
        summary["baseline_cpu_ms"] = _median(baseline, "server_cpu_ms_per_request")
        summary["baseline_cpu_bound_rps"] = _median(baseline, "cpu_bound_rps")
        ratios = [p["rps"] / b["rps"] for p, b in zip(portal, baseline, strict=True) if b["rps"]]
        summary["timeline_ratio"] = round(statistics.median(ratios), 3) if ratios else None
        summary["others_cores"] = _median(portal + baseline, "others_cores")
    for name in ("api_single", "api_batch"):
        section = backend.get(name)
        if section:
            summary[f"{name}_per_s"] = _median(section["runs"], "updates_per_s")
            summary[f"{name}_p50_ms"] = _median(section["runs"], "p50_ms")
            summary[f"{name}_p95_ms"] = _median(section["runs"], "p95_ms")
            summary[f"{name}_cpu_ms"] = _median(section["runs"], "server_cpu_ms_per_request")
            summary[f"{name}_db_cpu_ms"] = _median(section["runs"], "db_cpu_ms_per_request")
            cpu_bound = _median(section["runs"], "cpu_bound_rps")
            summary[f"{name}_cpu_bound_per_s"] = cpu_bound * section["batch_size"] if cpu_bound else None
            summary[f"{name}_others_cores"] = _median(section["runs"], "others_cores")
    dispatch = backend.get("dispatch")
    if dispatch:
        summary["dispatch_one_worker_per_s"] = _median(dispatch["workers_1"], "messages_per_s")
        summary["dispatch_two_workers_per_s"] = _median(dispatch["workers_2"], "messages_per_s")
        summary["dispatch_cpu_ms"] = _median(dispatch["workers_1"], "worker_cpu_ms_per_message")
        summary["dispatch_total_cpu_ms"] = _median(
            [
                {"total": sum(run.get(key) or 0.0 for key in DISPATCH_CPU)}
                for run in dispatch["workers_1"]
                if run.get("messages")
            ],
            "total",
        )
        summary["latency_p50_s"] = dispatch["latency"]["p50_s"]
        summary["latency_p95_s"] = dispatch["latency"]["p95_s"]
        summary["exactly_once"] = dispatch["exactly_once"]["ok"]
    mixed = backend.get("mixed")
    if mixed:
        summary["mixed_requests"] = (mixed.get("total") or {}).get("requests")
        summary["mixed_errors"] = mixed["errors"]
        summary["mixed_backlog_max"] = mixed["backlog"]["max"]
        summary["mixed_backlog_end"] = mixed["backlog"]["end"]
        endpoints = {f"{e['type']} {e['name']}": e for e in mixed.get("endpoints") or []}
        for short, endpoint in MIXED_ENDPOINTS.items():
            found = endpoints.get(endpoint)
            if found:
                summary[f"mixed_{short}_p50_ms"] = found["p50_ms"]
                summary[f"mixed_{short}_p95_ms"] = found["p95_ms"]
    counts = backend.get("query_counts") or []
    summary["query_counts_constant"] = all(page["constant"] for page in counts) if counts else None
    met = {}
    for key, target in (TARGETS | BACKEND_TARGETS.get(str(backend.get("backend")), {})).items():
        value = summary.get(key)
        if value is None:
            continue
        met[key] = value <= target if key in LOWER_IS_BETTER else value >= target
    summary["targets_met"] = met
    return summary


def _fmt(value: Any, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value}{unit}"


def _mark(summary: dict[str, Any], key: str) -> str:
    met = summary["targets_met"].get(key)
    return "" if met is None else ("  ok" if met else "  MISSED")


def table(results: dict[str, Any]) -> str:
    lines = []
    for kind, backend in results["backends"].items():
        s = backend["summary"]
        preset = backend["preset"]
        seed = backend.get("seed", {})
        lines.append(
            f"\n{kind} ({preset['name']}: {preset['victims']:,} victims, {preset['cases']:,} cases, "
            f"{preset['updates']:,} updates; seeded in {_fmt(seed.get('seconds'), ' s')}; "
            f"median of {preset['repeats']} runs)"
        )
        lines.append(
            f"  Timeline, 150 updates, 20 conns  {_fmt(s.get('timeline_rps'), ' req/s', 1):>13}"
            f"  p50 {_fmt(s.get('timeline_p50_ms'), ' ms', 1)}  p95 {_fmt(s.get('timeline_p95_ms'), ' ms', 1)}"
            f"{_mark(s, 'timeline_p95_ms')}"
        )
        lines.append(
            f"  Baseline, same bytes             {_fmt(s.get('baseline_rps'), ' req/s', 1):>13}"
            f"  p95 {_fmt(s.get('baseline_p95_ms'), ' ms', 1)}"
        )
        ratio = s.get("timeline_ratio")
        lines.append(
            f"  Timeline / baseline              {_fmt(ratio * 100 if ratio is not None else None, '%', 1):>13}"
            f"  (target >= {TARGETS['timeline_ratio'] * 100:.0f}%){_mark(s, 'timeline_ratio')}"
        )
        lines.append(
            f"    CPU per request: timeline {_fmt(s.get('timeline_cpu_ms'), ' ms', 1)} + database "
            f"{_fmt(s.get('timeline_db_cpu_ms'), ' ms', 1)}, baseline {_fmt(s.get('baseline_cpu_ms'), ' ms', 2)}"
            f"; alone on {CORES} cores ~{_fmt(s.get('timeline_cpu_bound_rps'), ' req/s')}"
            f" vs ~{_fmt(s.get('baseline_cpu_bound_rps'), ' req/s')}"
            f"  (target <= {TARGETS['timeline_cpu_ms']} ms){_mark(s, 'timeline_cpu_ms')}"
        )
        for name, label, key in (
            ("api_single", "API, single updates, 8 conns  ", "api_single_per_s"),
            ("api_batch", "API, batches of 100, 4 conns  ", "api_batch_per_s"),
        ):
            lines.append(
                f"  {label}   {_fmt(s.get(key), ' upd/s', 0):>13}  p50 {_fmt(s.get(name + '_p50_ms'), ' ms', 1)}"
                f"  p95 {_fmt(s.get(name + '_p95_ms'), ' ms', 1)}{_mark(s, key)}"
                f"  (CPU-bound estimate ~{_fmt(s.get(name + '_cpu_bound_per_s'), '/s')})"
            )
        lines.append(
            f"  Dispatch, 1 worker / 2 workers   {_fmt(s.get('dispatch_one_worker_per_s'), ' msg/s', 1):>13}"
            f"  / {_fmt(s.get('dispatch_two_workers_per_s'), ' msg/s', 1)}"
            f"  (target >= 50/s on one){_mark(s, 'dispatch_one_worker_per_s')}"
            f"  CPU {_fmt(s.get('dispatch_total_cpu_ms'), ' ms/msg', 1)} (worker {_fmt(s.get('dispatch_cpu_ms'), ' ms', 1)})"
        )
        lines.append(
            f"  API call to message accepted     p50 {_fmt(s.get('latency_p50_s'), ' s', 2)}"
            f"  p95 {_fmt(s.get('latency_p95_s'), ' s', 2)}{_mark(s, 'latency_p95_s')}"
        )
        once = (backend.get("dispatch") or {}).get("exactly_once") or {}
        scaled = (backend.get("dispatch") or {}).get("scaling_out") or {}
        if once:
            lines.append(
                f"  Scaling out: {scaled.get('web_processes')} web + {scaled.get('worker_processes')} worker processes, "
                f"one database: {once['sandbox_messages']:,} messages sent, {once['unique_references']:,} unique, "
                f"{once['outbox_rows_sent']:,} outbox rows sent -> exactly once: {'yes' if once['ok'] else 'NO'}"
            )
        lines.append(
            "  Others' load on the machine meanwhile (cores): "
            f"timeline {_fmt(s.get('others_cores'), '', 2)}, API single {_fmt(s.get('api_single_others_cores'), '', 2)}"
            f", API batch {_fmt(s.get('api_batch_others_cores'), '', 2)}"
        )
        for name, label in (
            ("timeline", "timeline"),
            ("api_single", "API single"),
            ("api_batch", "API batch"),
        ):
            sampled = (backend.get(name) or {}).get("profile") or {}
            if sampled.get("categories"):
                heaviest = ", ".join(
                    f"{row['function']} {row['percent']}%" for row in sampled["categories"][:6]
                )
                lines.append(f"  Profile, {label} (py-spy): {heaviest}")
        counts = ", ".join(
            f"{page['page']} {page['few_updates']}/{page['many_updates']}"
            for page in backend.get("query_counts", [])
        )
        lines.append(f"  SQL statements (5 / 150 updates): {counts}")
        if backend.get("mixed"):
            lines += _mixed_lines(backend["mixed"])
    return "\n".join(lines)


def _mixed_lines(mixed: dict[str, Any]) -> list[str]:
    """The mixed scenario: each endpoint, the outbox's backlog, cores and memory by process."""
    users = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in mixed["users"].items())
    lines = [
        f"  Mixed scenario, {mixed['seconds']:.0f} s, {mixed['web_processes']} web + "
        f"{mixed['worker_processes']} worker processes ({users}): "
        f"{(mixed.get('total') or {}).get('requests', 0):,} requests, {mixed['errors']} errors"
        + ("" if mixed["errors"] == 0 else "  ERRORS"),
        f"    {'endpoint':<58} {'requests':>8} {'errors':>6} {'p50':>8} {'p95':>8}",
    ]
    for row in mixed["endpoints"]:
        lines.append(
            f"    {(row['type'] + ' ' + row['name'])[:58]:<58} {row['requests']:>8,} {row['failures']:>6}"
            f" {_fmt(row['p50_ms'], ' ms'):>8} {_fmt(row['p95_ms'], ' ms'):>8}"
        )
    for failure in mixed.get("failures", [])[:5]:
        lines.append(
            f"    failed: {failure['method']} {failure['name']} x{failure['count']}: {failure['error'][:80]}"
        )
    backlog, messages = mixed["backlog"], mixed.get("messages", {})
    lines.append(
        f"    Outbox backlog (every {backlog['every_s']:.0f} s): max {backlog['max']} (oldest waiting "
        f"{backlog['max_oldest_s']} s), {backlog['end']} at the end, empty {_fmt(backlog['drained_after_s'], ' s', 1)}"
        f" later; messages queued meanwhile: {sum(messages.values()):,} "
        f"({', '.join(f'{count:,} {status}' for status, count in sorted(messages.items()))})"
    )
    lines.append(
        "    Cores used: " + ", ".join(f"{name} {value:.2f}" for name, value in mixed["cores"].items())
    )
    lines.append(
        "    RSS at the end (MiB): "
        + ", ".join(f"{name} {_fmt(value, '', 0)}" for name, value in mixed["rss_mib"].items())
    )
    return lines
