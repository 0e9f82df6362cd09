"""A web vulnerability scan of the running portal with Wapiti (`make scan`).

Serves the portal as `make run` does (gunicorn with gunicorn.conf.py, the notifications worker and the
Notify sandbox, each on a free loopback port) on a fresh SQLite database with the demo data, then runs
Wapiti three times against it: signed in as the demo victim (over HTTP, the security code read from the
sandbox inbox), signed in as the demo witness care officer (the demo authenticator app's code), and
signed out. Wapiti sends the session cookie and the User-Agent the session is tied to. Each scan is
bounded in time and kept to the portal's own address. The reports (JSON and HTML) and the processes'
logs go to instance/scan/.

Every finding (vulnerability, anomaly or additional information) must match an entry of
scripts/scan_reviewed.toml, which says why it is accepted. The scan fails on any other, on any 5xx in the
portal's access log, and on a signed-in scan that lost its session or never reached its pages (it would
otherwise pass by seeing little).

    .venv/bin/python -m scripts.scan                 # the three scans, 10 to 12 minutes
    .venv/bin/python -m scripts.scan --minutes 1     # quicker, shallower scans
    .venv/bin/python -m scripts.scan --review-only   # judge the last reports again, without scanning
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import requests

from bench import processes, signin
from bench.processes import Service

ROOT = processes.PROJECT_ROOT
SCAN_DIR = ROOT / "instance" / "scan"
WAPITI = ROOT / ".scan-venv" / "bin" / "wapiti"
REVIEWED = ROOT / "scripts" / "scan_reviewed.toml"
BIN = Path(sys.executable).parent

VICTIM_EMAIL = "victim@demo.example"
# Wapiti's modules that apply to this portal and need nothing outside this machine. Left out: ssrf, xxe
# and log4shell (they need Wapiti's endpoint on the internet), wapp, nikto and cms (their databases are
# downloaded), ssl and https_redirect (TLS ends at the load balancer, not here), brute_login_form (the
# sign-in lockout stops it, and it would lock the demo accounts), timesql (slow; SQLite has no sleep),
# buster, ldap, shellshock, spring4shell, takeover, upload, wp_enum (nothing here for them).
MODULES = (
    "backup,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,sql,xss"
)
# Forms that end the scanner's own session, or lock the account it scans with (wrong passwords count
# towards the lockout, which signs the victim out). The signed-out scan attacks the sign-in form instead.
SIGNED_IN_EXCLUDED = (
    "/sign-out*",
    "/account/sign-out-everywhere*",
    "/account/password*",
    "/account/confirm-password*",
    "/account/your-information*",
    "/account/security-codes*",
)
# Wapiti reaches out to its own servers for some modules (and resolves their names when it starts):
# point every such endpoint at this machine's discard port instead.
LOCAL_ENDPOINTS = ["--endpoint", "http://127.0.0.1:9/", "--dns-endpoint", "localhost", "--no-bugreport"]
# Pages each signed-in scan starts from and must reach; the first must still open after the scan.
SIGNED_IN_PAGES = {
    "victim": ("/cases", "/preferences", "/account"),
    "officer": ("/staff", "/staff/find-case", "/staff/review", "/staff/timeliness"),
}
OFFICER_EMAIL = "officer@demo.example"
SIGNED_OUT_STARTS = ("/sign-in", "/password-reset", "/staying-safe-online", "/api/v1/docs", "/_status")
SEVERITY = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}


@dataclass(frozen=True)
class Finding:
    scan: str
    kind: str  # vulnerability, anomaly or additional
    category: str
    module: str
    method: str
    path: str
    parameter: str
    info: str
    level: int

    def line(self) -> str:
        where = f"{self.method} {self.path}" + (f" [{self.parameter}]" if self.parameter else "")
        return f"[{self.scan}] {SEVERITY.get(self.level, self.level)} {self.category}: {where}: {self.info}"


def log(message: str) -> None:
    print(f"scan: {message}", flush=True)


# --- The portal -----------------------------------------------------------------------------------


def _outside_env() -> dict[str, str]:
    """This environment without the portal's and Notify's settings: the scan makes its own."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("NOTIFY_", "PORTAL_"))}


def portal_env(database: Path, port: int, sandbox_url: str, callback_token: str) -> dict[str, str]:
    env = _outside_env()
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": secrets.token_hex(32),
            "NOTIFY_BASE_URL": sandbox_url,
            "NOTIFY_CALLBACK_TOKEN": callback_token,
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            "METRICS_TOKEN": secrets.token_hex(16),
            "WEB_CONCURRENCY": "2",
            "REDIS_URL": "",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def flask(env: dict[str, str], *args: str) -> None:
    argv = [str(BIN / "flask"), "--app", "portal", *args]
    with (SCAN_DIR / "logs" / "flask.log").open("a") as output:
        subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603


def start_portal(services: list[Service]) -> tuple[Service, Service]:
    """A fresh database with the demo data; the sandbox, the portal and a worker. Returns portal, sandbox."""
    database = SCAN_DIR / "portal.sqlite3"
    database.unlink(missing_ok=True)
    logs = SCAN_DIR / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    port = processes.free_port()
    callback_token = secrets.token_hex(16)
    sandbox = processes.sandbox(
        _outside_env(),
        logs,
        callback_url=f"http://127.0.0.1:{port}/notifications/receipts",
        callback_token=callback_token,
    )
    services.append(sandbox)
    env = portal_env(database, port, sandbox.url, callback_token)
    flask(env, "db-upgrade")
    flask(env, "seed")
    services.append(processes.gunicorn("portal", "portal:create_app()", env, logs, port=port, workers=2))
    services.append(processes.worker(1, env, logs, rate_per_minute=3000))
    return services[1], sandbox


def sign_in_officer(base_url: str, password: str) -> requests.Session:
    """The demo witness care officer, signed in over HTTP with the demo authenticator app's code."""
    session = signin.new_session()
    page = session.get(f"{base_url}/sign-in", timeout=30)
    form = {"csrf_token": signin.csrf_token(page.text), "email": OFFICER_EMAIL, "password": password}
    session.post(f"{base_url}/sign-in", data=form, timeout=30)
    page = session.get(f"{base_url}/sign-in/security-code", timeout=30)
    secret = os.environ.get("DEMO_TOTP_SECRET", "DEMOONLYDEMOONLYDEMOONLYDEMOONLY")
    code = pyotp.TOTP(secret).now()
    session.post(
        f"{base_url}/sign-in/security-code",
        data={"csrf_token": signin.csrf_token(page.text), "code": code},
        timeout=30,
    )
    return session


def signed_in_status(base_url: str, cookie: str, path: str) -> int:
    """The status of `path` (a page only a signed-in user sees) with the session cookie: 200 while the
    session lasts, a redirect to sign in once it has ended."""
    response = requests.get(
        f"{base_url}{path}",
        headers={"Cookie": cookie, "User-Agent": processes.USER_AGENT},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


# --- Wapiti ---------------------------------------------------------------------------------------


def wapiti(name: str, base_url: str, seconds: int, extra: list[str]) -> Path:
    """One scan: crawl and attack, a JSON report, then the HTML report of the same session (no attacks).
    Returns the JSON report's path."""
    session = SCAN_DIR / "wapiti-session" / name
    shutil.rmtree(session, ignore_errors=True)
    session.mkdir(parents=True)
    report = SCAN_DIR / f"{name}.json"
    report.unlink(missing_ok=True)
    shutil.rmtree(SCAN_DIR / name, ignore_errors=True)
    common = [
        str(WAPITI),
        "--url",
        f"{base_url}/",
        "--scope",
        "folder",
        "--store-session",
        str(session),
        "--store-config",
        str(session),
        "--user-agent",
        processes.USER_AGENT,
        *LOCAL_ENDPOINTS,
        "--verbose",
        "0",
        "--detailed-report",
        "1",
        *extra,
    ]
    scan = [
        *common,
        "--flush-session",
        "--module",
        MODULES,
        "--max-scan-time",
        str(seconds),
        "--max-attack-time",
        str(max(30, seconds // 6)),
        "--tasks",
        "4",
        "--timeout",
        "20",
        "--format",
        "json",
        "--output",
        str(report),
    ]
    log(f"{name}: Wapiti for at most {seconds} s")
    with (SCAN_DIR / "logs" / f"wapiti-{name}.log").open("w") as output:
        subprocess.run(scan, cwd=SCAN_DIR, stdout=output, stderr=subprocess.STDOUT, check=True)  # noqa: S603
        html = [*common, "--skip-crawl", "--module", "", "--format", "html", "--output", str(SCAN_DIR / name)]
        subprocess.run(html, cwd=SCAN_DIR, stdout=output, stderr=subprocess.STDOUT, check=True)  # noqa: S603
    return report


def signed_in_scan(name: str, base_url: str, cookie: str, seconds: int) -> list[str]:
    """One scan with a signed-in session. Returns problems with the scan itself (not findings)."""
    pages = SIGNED_IN_PAGES[name]
    excluded = [arg for path in SIGNED_IN_EXCLUDED for arg in ("--exclude", f"{base_url}{path}")]
    starts = [arg for path in pages for arg in ("--start", f"{base_url}{path}")]
    report = wapiti(name, base_url, seconds, ["--cookie-value", cookie, *starts, *excluded])
    crawled = crawled_paths(json.loads(report.read_text()))
    problems = []
    missing = [path for path in pages if path not in crawled]
    if missing:
        problems.append(f"the {name} scan never reached {', '.join(missing)}")
    status = signed_in_status(base_url, cookie, pages[0])
    if status in (301, 302, 303, 307):
        problems.append(
            f"the {name} scan lost its session (the audit in the scan's database says how, e.g. a "
            "lockout after wrong passwords): exclude the form that ended it (SIGNED_IN_EXCLUDED)"
        )
    elif status != 200:
        problems.append(f"after the {name} scan {pages[0]} answered {status} with its session")
    return problems


def run_scans(minutes: float) -> list[str]:
    """The three scans against a portal of their own. Returns problems with the scans (not findings)."""
    problems: list[str] = []
    services: list[Service] = []
    seconds = int(minutes * 60)
    try:
        portal, sandbox = start_portal(services)
        log(f"portal at {portal.url}, logs in {SCAN_DIR / 'logs'}")
        password = os.environ.get("DEMO_PASSWORD", "demo-only-password")
        # Both sign in first: the scans' own attempts on the sign-in form soon meet its per-IP limit.
        victim = signin.cookie_header(signin.sign_in(portal.url, sandbox.url, VICTIM_EMAIL, password))
        officer = signin.cookie_header(sign_in_officer(portal.url, password))
        if signed_in_status(portal.url, officer, SIGNED_IN_PAGES["officer"][0]) != 200:
            raise RuntimeError("the demo officer could not sign in")
        problems += signed_in_scan("victim", portal.url, victim, seconds)
        problems += signed_in_scan("officer", portal.url, officer, seconds)
        starts = [arg for path in SIGNED_OUT_STARTS for arg in ("--start", f"{portal.url}{path}")]
        wapiti("signed-out", portal.url, seconds, starts)
    finally:
        processes.stop_all(services)
    return problems


# --- Findings and the reviewed list ---------------------------------------------------------------


def crawled_paths(report: dict[str, Any]) -> set[str]:
    paths = set()
    for url in report.get("infos", {}).get("crawled_pages", []):
        text = url.get("request", {}).get("url", "") if isinstance(url, dict) else str(url)
        path = "/" + text.split("://", 1)[-1].split("/", 1)[-1]
        paths.add(path.split("?", 1)[0])
    return paths


def findings(scan: str, report: dict[str, Any]) -> list[Finding]:
    found = []
    for kind, section in (
        ("vulnerability", "vulnerabilities"),
        ("anomaly", "anomalies"),
        ("additional", "additionals"),
    ):
        for category, items in report.get(section, {}).items():
            for item in items:
                found.append(
                    Finding(
                        scan=scan,
                        kind=kind,
                        category=category,
                        module=str(item.get("module", "")),
                        method=str(item.get("method", "")),
                        path=str(item.get("path", "")),
                        parameter=str(item.get("parameter") or ""),
                        info=" ".join(str(item.get("info", "")).split()),
                        level=int(item.get("level") or 0),
                    )
                )
    return found


def load_reviewed(path: Path = REVIEWED) -> list[dict[str, Any]]:
    entries = tomllib.loads(path.read_text())["accepted"]
    for entry in entries:
        if not entry.get("category") or not entry.get("why"):
            raise SystemExit(f"{path}: every accepted finding needs a category and a why: {entry}")
    return list(entries)


def _fits(value: str, patterns: str | list[str]) -> bool:
    """Whether `value` matches the glob pattern, or one of the list of them."""
    return any(
        fnmatch.fnmatchcase(value, pattern)
        for pattern in ([patterns] if isinstance(patterns, str) else patterns)
    )


def matches(entry: dict[str, Any], finding: Finding) -> bool:
    return entry["category"] == finding.category and all(
        _fits(getattr(finding, key), entry.get(key, "*")) for key in ("path", "info", "parameter", "scan")
    )


def review(found: list[Finding], reviewed: list[dict[str, Any]]) -> tuple[list[Finding], list[str]]:
    """Findings that no entry accepts, and what each entry accepted (for the summary)."""
    unexplained = []
    used: dict[int, int] = {}
    for finding in found:
        hits = [index for index, entry in enumerate(reviewed) if matches(entry, finding)]
        if not hits:
            unexplained.append(finding)
        for index in hits[:1]:
            used[index] = used.get(index, 0) + 1
    summary = [
        f"{used.get(index, 0):4d} x {entry['category']}: {' '.join(entry['why'].split()).split('. ')[0]}."
        for index, entry in enumerate(reviewed)
    ]
    return unexplained, summary


ACCESS_LINE = re.compile(r"\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*)(?: HTTP/[\d.]+\"?)? (5\d\d)\b")


def server_errors(access_log: Path) -> list[Finding]:
    """Every 5xx the portal answered during the scans, from its access log: Wapiti reports a server error
    only when one of its attacks causes it, not when a page it crawls fails."""
    seen: dict[tuple[str, str, str], int] = {}
    lines = access_log.read_text(errors="replace").splitlines() if access_log.exists() else []
    for line in lines:
        match = ACCESS_LINE.search(line)
        if match:
            key = (match.group(1), match.group(2).split("?", 1)[0], match.group(3))
            seen[key] = seen.get(key, 0) + 1
    return [
        Finding(
            scan="portal log",
            kind="anomaly",
            category="Server error",
            module="access log",
            method=method,
            path=path,
            parameter="",
            info=f"answered {status} {count} time(s): the traceback is in {access_log.parent / 'portal.log'}",
            level=2,
        )
        for (method, path, status), count in sorted(seen.items())
    ]


def report_and_judge(problems: list[str]) -> int:
    found: list[Finding] = server_errors(SCAN_DIR / "logs" / "portal.access.log")
    for scan in (*SIGNED_IN_PAGES, "signed-out"):
        path = SCAN_DIR / f"{scan}.json"
        if not path.exists():
            problems.append(f"no report {path}")
            continue
        report = json.loads(path.read_text())
        found += findings(scan, report)
        log(f"{scan}: {len(crawled_paths(report))} pages crawled; report {path} and {SCAN_DIR / scan}/")
    unexplained, summary = review(found, load_reviewed())
    log(f"{len(found)} findings, {len(found) - len(unexplained)} on the reviewed list ({REVIEWED.name}):")
    for line in summary:
        print(line)
    for problem in problems:
        log(f"PROBLEM: {problem}")
    if unexplained:
        log(f"{len(unexplained)} findings not on the reviewed list: fix each, or add it with why")
        for finding in sorted(set(unexplained), key=Finding.line):
            print(f"  {finding.line()}")
    return 1 if unexplained or problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.scan", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="time limit of each of the three scans")
    parser.add_argument("--review-only", action="store_true", help="judge the last reports, no scan")
    args = parser.parse_args()
    if not WAPITI.exists():
        raise SystemExit(f"{WAPITI} is missing: run `make scan`, which installs it")
    SCAN_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    problems = [] if args.review_only else run_scans(args.minutes)
    status = report_and_judge(problems)
    log(f"{'passed' if status == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
