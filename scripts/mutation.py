"""Mutation testing of the rules a victim's safety and rights depend on (`make mutation`).

mutmut changes one thing at a time in a module (`<` to `<=`, `and` to `or`, a value to None, an argument
left out, ...) and runs the tests that reach the changed function; a change no test notices "survives".
mutmut reads its settings from ./pyproject.toml and works in ./mutants, one selection of tests per run,
so each module below gets a work folder of its own, mutants/<module>/, with links to the code and tests
and a pyproject.toml whose [tool.mutmut] section mutates that module only and runs only the test files
listed for it (the tests that reach it). mutmut then runs, for each mutant, only the tests it saw
calling the mutated function. SQLite only: PostgreSQL test ids are deselected (`--postgresql` keeps
them for the outbox claims, whose `FOR UPDATE SKIP LOCKED` path only PostgreSQL runs).

Results are kept between runs (mutmut re-tests only functions that changed); `--fresh` starts again.

For each module it prints the score (mutants killed / mutants made) and every survivor, sorted into:
- allowed: listed in mutation_allowlist.txt with the reason it cannot or need not be killed (equivalent);
- text only: the mutant changes only the words of a message (e.g. an error text to "XX...XX");
- to kill: a change in behaviour that no test notices.
The adjusted score leaves allowed and text-only survivors out. Each survivor is shown with its
fingerprint, so an allow-list line is `<mutant name> <fingerprint> <reason>`; an entry whose
fingerprint no longer matches (the code changed) is reported as stale and no longer counts.

    .venv/bin/python scripts/mutation.py                 # every module
    .venv/bin/python scripts/mutation.py access rules    # some of them
    .venv/bin/python scripts/mutation.py --report        # the last results again, without running
    .venv/bin/python scripts/mutation.py --survivors dispatch  # every mutant not killed yet, again

`--survivors` is for tests added to files already listed: mutmut keeps every verdict while the list of
test files stays the same (a killed mutant stays killed when tests are added) and finds the new tests,
but tests a mutant again only when asked to by name; this names every mutant not killed yet (survivors,
and those a stopped run never tested). Adding a file to a module's list makes mutmut forget every
verdict of that module and test them all again.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
ALLOWLIST = ROOT / "mutation_allowlist.txt"
TARGET = 90.0
#: What the tests need beside the code: linked into each work folder, copied by mutmut.
LINKED = ("portal", "notifications", "tests", "templates", "static", "migrations", "alembic.ini")
SQLITE_ONLY = ["-k", "not postgresql", "-m", "not postgres_only and not browser"]


@dataclass(frozen=True)
class Module:
    name: str
    path: str
    tests: tuple[str, ...]
    note: str = ""


MODULES = (
    Module(
        "deadlines",
        "portal/services/vocabulary/deadlines.py",
        (
            "tests/vocabulary/test_deadlines.py",
            "tests/vocabulary/test_mutants_deadlines.py",
            "tests/vocabulary/test_code_rights.py",
            "tests/cases/test_timeliness.py",
            "tests/cases/test_timeliness_report.py",
            "tests/cases/test_rights_dates_on_timeline.py",
            "tests/messaging/test_letter_arrival.py",
            "tests/messaging/test_rights_dates_in_messages.py",
        ),
    ),
    Module(
        "access",
        "portal/services/common/access.py",
        (
            "tests/common/test_access_rules.py",
            "tests/common/test_mutants_access.py",
            "tests/delegation/test_mutants_delegation.py",
            "tests/delegation/test_access_mutants.py",
            "tests/accessible_formats/test_tasks.py",
            "tests/accounts/test_admin_audit_pseudonyms.py",
            "tests/cases/test_officer_message_scope.py",
        ),
    ),
    Module(
        "rules",
        "portal/services/preferences/rules.py",
        (
            "tests/preferences/test_service.py",
            "tests/preferences/test_mutants_rules.py",
            "tests/preferences/test_real_shaped_numbers.py",
            "tests/preferences/test_urgent_any_time.py",
            "tests/preferences/test_length_limits.py",
        ),
    ),
    Module(
        "dispatch",
        "portal/services/messaging/dispatch.py",
        (
            "tests/messaging/test_dispatch_rules.py",
            "tests/messaging/test_mutants_dispatch.py",
            "tests/messaging/test_urgent_events.py",
            "tests/messaging/test_delivery.py",
            "tests/messaging/test_letters_every_purpose.py",
            "tests/messaging/test_dispatch_wording.py",
            "tests/accessible_formats/test_tasks.py",
        ),
    ),
    Module(
        "claims",
        "notifications/claims.py",
        (
            "tests/notifications/test_outbox_worker.py",
            "tests/notifications/test_mutants_outbox.py",
        ),
        note="SQLite runs the compare-and-set claim; `--postgresql` adds the FOR UPDATE SKIP LOCKED one",
    ),
    Module(
        "transitions",
        "notifications/transitions.py",
        (
            "tests/notifications/test_outbox_worker.py",
            "tests/notifications/test_delivery_receipts.py",
            "tests/notifications/test_mutants_outbox.py",
        ),
    ),
    Module(
        "requests",
        "portal/services/requests/lifecycle.py",
        (
            "tests/requests/test_lifecycle.py",
            "tests/requests/test_outcome_update.py",
            "tests/requests/test_api.py",
            "tests/requests/test_views.py",
        ),
    ),
    Module(
        "request_access",
        "portal/services/common/request_access.py",
        (
            "tests/requests/test_views.py",
            "tests/requests/test_api.py",
            "tests/requests/test_api_document.py",
            "tests/requests/test_officer.py",
            "tests/requests/test_officer_timeliness.py",
            "tests/requests/test_statement_access.py",
            "tests/requests/test_polish.py",
            "tests/common/test_every_route_with_an_id.py",
            "tests/common/test_mutants_request_access.py",
        ),
    ),
    Module(
        "message_access",
        "portal/services/common/message_access.py",
        (
            "tests/secure_messages/test_victim_access.py",
            "tests/secure_messages/test_support_messages.py",
            "tests/secure_messages/test_threads.py",
            "tests/secure_messages/test_inbox.py",
            "tests/secure_messages/test_api.py",
            "tests/secure_messages/test_attachments_downloads.py",
            "tests/secure_messages/test_report.py",
            "tests/cases/test_officer_message_scope.py",
            "tests/common/test_every_route_with_an_id.py",
            "tests/common/test_mutants_message_access.py",
        ),
    ),
    Module(
        "hearing_reminders",
        "portal/services/cases/hearing_reminders.py",
        (
            "tests/cases/test_hearing_reminders.py",
            "tests/cases/test_hearing_reminders_properties.py",
            "tests/cases/test_mutants_hearing_reminders.py",
        ),
    ),
    Module(
        "clash",
        "portal/services/court_needs/clash.py",
        (
            "tests/court_needs/test_clash.py",
            "tests/court_needs/test_officer.py",
            "tests/court_needs/test_mutants_clash.py",
        ),
    ),
)
BY_NAME = {module.name: module for module in MODULES}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def prepare(module: Module, *, postgresql: bool) -> Path:
    """mutants/<module>/: links to what the tests need, and a pyproject.toml for this module."""
    folder = WORK / module.name
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    tests = [test for test in module.tests if (ROOT / test).exists()]
    pytest_args = ["-p", "no:cacheprovider"] + ([] if postgresql else SQLITE_ONLY)
    settings = "\n".join(
        [
            "",
            "[tool.mutmut]",
            f"source_paths = {_toml_list(['portal', 'notifications'])}",
            f"only_mutate = {_toml_list([module.path])}",
            f"also_copy = {_toml_list(['templates', 'static', 'migrations', 'alembic.ini'])}",
            f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
            f"pytest_add_cli_args = {_toml_list(pytest_args)}",
            'on_dependency_change = "ignore"',
            "use_git_change_detection = false",
            "",
        ]
    )
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + settings
    target = folder / "pyproject.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return folder


def run_mutmut(folder: Path, max_children: int, names: list[str] | None = None) -> int:
    """mutmut on the module's mutants not yet tested (or, with `names`, on those mutants again)."""
    mutmut = Path(sys.executable).parent / "mutmut"
    command = [str(mutmut), "run", "--max-children", str(max_children), *(names or [])]
    return subprocess.call(command, cwd=folder)  # noqa: S603


def survivor_names(module: Module, folder: Path) -> list[str]:
    """The mutants no test has killed yet: survivors, those no test reached, and those a stopped run never
    tested (as mutmut last left them: a function changed since is mutated again by a plain run)."""
    from mutmut.stats import status_by_exit_code

    meta = folder / "mutants" / (module.path + ".meta")
    if not meta.exists():
        return []
    exit_codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
    return sorted(name for name, code in exit_codes.items() if status_by_exit_code[code] not in KILLED)


# --- Reading the results -------------------------------------------------------------------------


@dataclass
class Survivor:
    name: str
    status: str
    diff: str
    fingerprint: str
    kind: str = "to kill"  # allowed | text only | to kill
    reason: str = ""


@dataclass
class Result:
    module: Module
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[Survivor] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        return sum(n for status, n in self.counts.items() if status in KILLED)

    def score(self) -> float:
        return 100.0 * self.killed / self.total if self.total else 0.0

    def adjusted(self) -> float:
        excused = sum(1 for s in self.survivors if s.kind != "to kill")
        counted = self.total - excused
        return 100.0 * self.killed / counted if counted else 100.0


KILLED = {"killed", "timeout", "caught by type check"}
#: mutmut's status of a mutant a stopped run never tested: counted, and the score marked partial.
NOT_RUN = "not checked"


def _load_allowlist() -> dict[str, tuple[str, str]]:
    entries: dict[str, tuple[str, str]] = {}
    if not ALLOWLIST.exists():
        return entries
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, fingerprint, reason = [*line.split(maxsplit=2), "", ""][:3]
        entries[name] = (fingerprint, reason)
    return entries


def _diff(folder: Path, name: str) -> str:
    mutmut = Path(sys.executable).parent / "mutmut"
    shown = subprocess.run(  # noqa: S603 - our own mutmut, a name mutmut gave
        [str(mutmut), "show", name], cwd=folder, capture_output=True, text=True, check=False
    ).stdout
    return "\n".join(
        line
        for line in shown.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()
    )


def _tokens(source: str) -> list[tuple[int, str]] | None:
    try:
        return [
            (token.type, token.string)
            for token in tokenize.generate_tokens(io.StringIO(source.strip() + "\n").readline)
            if token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def only_text(diff: str) -> bool:
    """Whether the mutant changes nothing but the words inside string literals (one line each way)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    if len(removed) != 1 or len(added) != 1:
        return False
    before, after = _tokens(removed[0]), _tokens(added[0])
    if before is None or after is None or len(before) != len(after):
        return False
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    return bool(changed) and all(
        b[0] == a[0] == tokenize.STRING and _is_text(b[1]) and _is_text(a[1]) for b, a in changed
    )


def _is_text(literal: str) -> bool:
    """A plain string literal that reads as words (not an f-string, which holds code, nor a key)."""
    prefix = literal[: len(literal) - len(literal.lstrip("rRbBuU"))]
    body = literal[len(prefix) :].strip("'\"")
    return "f" not in prefix.lower() and " " in body.replace("XX", "").strip()


def read_results(module: Module, folder: Path, allowlist: dict[str, tuple[str, str]]) -> Result:
    from mutmut.stats import status_by_exit_code

    result = Result(module)
    meta = folder / "mutants" / (module.path + ".meta")
    if not meta.exists():
        return result
    exit_codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
    for name, code in sorted(exit_codes.items()):
        status = status_by_exit_code[code]
        result.counts[status] = result.counts.get(status, 0) + 1
        if status in KILLED or status == NOT_RUN:
            continue
        diff = _diff(folder, name)
        fingerprint = hashlib.sha256(diff.encode()).hexdigest()[:8]
        survivor = Survivor(name, status, diff, fingerprint)
        allowed = allowlist.get(name)
        if allowed is not None and allowed[0] == fingerprint:
            survivor.kind, survivor.reason = "allowed", allowed[1]
        else:
            if allowed is not None:
                result.stale.append(name)
            if only_text(diff):
                survivor.kind = "text only"
        result.survivors.append(survivor)
    return result


def _report_survivors(result: Result) -> None:
    for kind in ("to kill", "text only", "allowed"):
        chosen = [s for s in result.survivors if s.kind == kind]
        if not chosen:
            continue
        print(f"    -- {kind} ({len(chosen)})")
        for survivor in chosen:
            extra = f": {survivor.reason}" if survivor.reason else ""
            print(f"    {survivor.name} {survivor.fingerprint} [{survivor.status}]{extra}")
            if kind != "allowed":
                for line in survivor.diff.splitlines():
                    print(f"        {line}")
    for name in result.stale:
        print(f"    stale allow-list entry (the mutant changed): {name}")


def report(results: list[Result]) -> None:
    for result in results:
        module = result.module
        print(f"\n=== {module.name}: {module.path} ===")
        if module.note:
            print(f"    ({module.note})")
        if not result.total:
            print("    no results yet")
            continue
        counts = ", ".join(f"{n} {status}" for status, n in sorted(result.counts.items()))
        print(f"    {result.killed}/{result.total} killed ({counts})")
        if result.counts.get(NOT_RUN):
            tested = result.total - result.counts[NOT_RUN]
            print(
                f"    partial: {tested} of {result.total} mutants tested, "
                f"{100.0 * result.killed / tested if tested else 0.0:.1f}% of those killed"
            )
        _report_survivors(result)
    print(
        f"\nmodule             score   adjusted  (target {TARGET:.0f}%: killed / mutants; adjusted leaves out"
    )
    print("                                     allowed and text-only survivors)")
    for result in results:
        if not result.total:
            print(f"{result.module.name:<17}  -")
            continue
        mark = "" if result.adjusted() >= TARGET else "  below target"
        if result.counts.get(NOT_RUN):
            mark += f"  partial: {result.counts[NOT_RUN]} not tested"
        print(f"{result.module.name:<17} {result.score():5.1f}%   {result.adjusted():5.1f}%{mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(BY_NAME)} (default: every one)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--report", action="store_true", help="print the last results without running")
    parser.add_argument(
        "--survivors", action="store_true", help="test every mutant not killed yet again (after new tests)"
    )
    parser.add_argument("--postgresql", action="store_true", help="keep the PostgreSQL test ids too")
    parser.add_argument("--fail-under", type=float, default=0.0, help="exit 1 if an adjusted score is lower")
    args = parser.parse_args(argv)
    unknown = [name for name in args.modules if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}: choose from {', '.join(BY_NAME)}")
    chosen = [BY_NAME[name] for name in args.modules] or list(MODULES)
    allowlist = _load_allowlist()
    results = []
    for module in chosen:
        if args.fresh and (WORK / module.name).exists():
            shutil.rmtree(WORK / module.name)
        folder = prepare(module, postgresql=args.postgresql)
        if not args.report:
            started = time.monotonic()
            print(f"\n### mutating {module.path} ({len(module.tests)} test files)", flush=True)
            names = survivor_names(module, folder) if args.survivors else None
            if names == []:
                print(f"### {module.name}: no survivors to test again", flush=True)
                results.append(read_results(module, folder, allowlist))
                continue
            code = run_mutmut(folder, args.max_children, names)
            print(
                f"### {module.name}: mutmut exited {code} after {time.monotonic() - started:.0f}s", flush=True
            )
            if code != 0:
                return code
        results.append(read_results(module, folder, allowlist))
    report(results)
    low = [r.module.name for r in results if r.total and r.adjusted() < args.fail_under]
    return 1 if low else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
