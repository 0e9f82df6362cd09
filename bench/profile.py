"""`--profile`: where a server's time goes under load, sampled with py-spy from outside the processes.

One extra window per measurement (not counted in the figures) is recorded with `py-spy record
--subprocesses` on the gunicorn master; the folded stacks are kept next to the results (open them in
speedscope or flamegraph.pl) and summarised: the share of samples in which each function is on the stack
(inclusive) and at its top (self).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.processes import BIN, Service

_FRAME = re.compile(r"^(?P<func>.*) \((?P<path>[^():]+)(?::\d+)?\)$")
_PREFIXES = (r".*/site-packages/", r".*/work/main/", r".*/lib/python3\.\d+/")


def _name(frame: str) -> str | None:
    """'render (/x/site-packages/jinja2/environment.py:1275)' -> 'render (jinja2/environment.py)'."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return None  # process and thread labels
    path = match.group("path")
    for prefix in _PREFIXES:
        path = re.sub(prefix, "", path)
    return f"{match.group('func')} ({path})"


#: A sample counts for the first of these found from the top of its stack down (the code doing the work,
#: or the library it called).
CATEGORIES = (
    ("database (SQLAlchemy, psycopg)", re.compile(r"^(sqlalchemy|psycopg)/")),
    ("templates (Jinja, markupsafe)", re.compile(r"^(jinja2|markupsafe|govuk_frontend_jinja)/|^templates/")),
    ("translations (Flask-Babel)", re.compile(r"^(flask_babel|babel)/")),
    ("JSON Schema validation", re.compile(r"^(jsonschema|referencing|rpds)")),
    ("JWT and secrets", re.compile(r"^(jwt|cryptography)/")),
    ("rate limits (Flask-Limiter, Redis)", re.compile(r"^(flask_limiter|limits|redis)/")),
    ("portal code", re.compile(r"^portal/")),
    ("notifications code", re.compile(r"^notifications/")),
    (
        "Flask, Werkzeug, Flask-Login, Flask-WTF",
        re.compile(r"^(flask|werkzeug|flask_login|flask_wtf|wtforms)/"),
    ),
    ("gunicorn (reading and writing requests)", re.compile(r"^gunicorn/")),
)


def _category(names: list[str]) -> str:
    for name in reversed(names):
        path = name[name.rfind("(") + 1 : -1]
        for label, pattern in CATEGORIES:
            if pattern.search(path):
                return label
    return "other (standard library)"


def summarise(raw: Path, top: int = 15) -> dict[str, Any]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        names = [name for name in (_name(frame) for frame in stack.split(";")) if name]
        if not names:
            continue
        total += count
        for name in set(names):
            if "(portal/" in name or "(notifications/" in name:
                inclusive[name] += count
        own[names[-1]] += count
        categories[_category(names)] += count

    def share(counter: Counter[str]) -> list[dict[str, Any]]:
        return [
            {"function": name, "percent": round(100 * count / total, 1)}
            for name, count in counter.most_common(top)
        ]

    return {
        "samples": total,
        "categories": share(categories),
        # Our own functions by the share of samples in which they are on the stack.
        "portal_inclusive": share(inclusive),
        "self": share(own),
        "folded_stacks": str(raw),
    }


@contextmanager
def recording(service: Service, seconds: float, out: Path) -> Iterator[dict[str, Any]]:
    """Sample `service` and its worker processes while the body runs (for about `seconds`)."""
    argv = [
        str(BIN / "py-spy"),
        "record",
        "--pid",
        str(service.process.pid),
        "--subprocesses",
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        "100",
        "--format",
        "raw",
        "--nonblocking",
        "--output",
        str(out),
    ]
    summary: dict[str, Any] = {}
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield summary
    finally:
        _, errors = process.communicate(timeout=seconds + 60)
        if process.returncode == 0 and out.exists():
            summary.update(summarise(out))
        else:
            summary["error"] = errors.decode(errors="replace")[-500:]
