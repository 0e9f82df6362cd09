"""The real processes the fault tests break, on loopback: a PostgreSQL cluster of the tests' own (initdb and
pg_ctl, so it can really be stopped and started), a Redis server of their own, and the portal as the
Procfile runs it: gunicorn with gunicorn.conf.py (two sync workers), the worker (`flask --app portal
worker`) and the Notify sandbox (`python -m notifications.sandbox`, Notify's rate limit of 3,000 a minute,
receipts sent back to the portal).

Each process logs to its own file under the stack's folder; every process is stopped by the id it was
started with.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.processes import BIN, Service, free_port, wait_for_http
from portal.config import PROJECT_ROOT, SANDBOX_API_KEY

CALLBACK_TOKEN = "fault-tests-callback-token"
SECRET_KEY = "fault-tests-secret-key-" + "0" * 24


def _pg_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    if not versions:
        raise RuntimeError("the fault tests need PostgreSQL's initdb and pg_ctl (Debian: postgresql)")
    return Path(versions[-1]).parent


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>, fsync off, trust authentication."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        argv = [str(self.bin / program), *args]
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off -k {self.root} -c max_connections=100"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        """Stop it as an operator restarting it would: fast shutdown, every connection cut."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A Redis of the tests' own on 127.0.0.1:<free port>, no persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        program = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)
        self.process = None


def _start(name: str, argv: list[str], env: dict[str, str], log_dir: Path, port: int | None) -> Service:
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as handle:
        process = subprocess.Popen(
            argv, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Service(name, process, log_path, port)


@dataclass
class Stack:
    """gunicorn, the worker and the sandbox on one database (and, if given, one Redis)."""

    database_url: str
    log_dir: Path
    redis_url: str = ""
    web_processes: int = 2
    receipts: bool = True  # the sandbox sends delivery receipts back to the portal
    services: dict[str, Service] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.web_port = free_port()
        self.sandbox_port = free_port()
        self.env = self._env()

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self.sandbox_port}"

    def _env(self) -> dict[str, str]:
        inherited = ("NOTIFY_", "PORTAL_", "DATABASE_", "REDIS_", "SECRET_", "DEMO_", "PROXY_", "LOG_")
        env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
        env.update(
            {
                "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
                "PYTHONPATH": str(PROJECT_ROOT),
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": SECRET_KEY,
                "NOTIFY_CALLBACK_TOKEN": CALLBACK_TOKEN,
                "NOTIFY_BASE_URL": self.sandbox_url,
                "PORTAL_BASE_URL": self.web_url,
                "WEB_CONCURRENCY": str(self.web_processes),
                "LOG_FORMAT": "json",
            }
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env

    def start(self) -> Stack:
        """The three processes side by side (each spends seconds importing): the sandbox and gunicorn, the
        worker once the sandbox answers (so it never meets a Notify not there yet), then gunicorn answering
        and the worker's heartbeat in /_status."""
        self.services["sandbox"] = self._launch_sandbox()
        self.services["web"] = self._launch_web()
        wait_for_http(self.services["sandbox"], "/_sandbox/faults", timeout=30)
        self.services["worker"] = self._launch_worker()
        wait_for_http(self.services["web"], "/_status", timeout=60)
        self._wait_for_worker()
        return self

    def _launch_sandbox(self) -> Service:
        argv = [
            sys.executable,
            "-m",
            "notifications.sandbox",
            "--port",
            str(self.sandbox_port),
            "--api-key",
            SANDBOX_API_KEY,
            "--callback-token",
            CALLBACK_TOKEN,
            "--callback-delay",
            "0.05",
            "--callback-retries",
            "40",
            "--callback-retry-delay",
            "0.5",
        ]
        if self.receipts:
            argv += ["--callback-url", f"{self.web_url}/notifications/receipts"]
        return _start("sandbox", argv, self.env, self.log_dir, self.sandbox_port)

    def _launch_web(self) -> Service:
        argv = [
            str(BIN / "gunicorn"),
            "--config",
            str(PROJECT_ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--access-logfile",
            "-",
            "portal:create_app()",
        ]
        return _start("web", argv, self.env, self.log_dir, self.web_port)

    def _launch_worker(self) -> Service:
        argv = [str(BIN / "flask"), "--app", "portal", "worker"]
        return _start("worker", argv, self.env, self.log_dir, None)

    def _wait_for_worker(self) -> None:
        """Until the worker's heartbeat shows in /_status."""
        service = self.services["worker"]

        def running() -> bool:
            if service.process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{service.log_tail()}")
            status = requests.get(f"{self.web_url}/_status", timeout=10).json()
            return bool(status["worker"]["status"] == "running")

        wait_until(running, timeout=60, interval=0.2)

    def stop(self) -> None:
        """SIGTERM to the worker, gunicorn and the sandbox, in that order and without waiting in between, so
        that they finish side by side; then each is waited for, and killed if still there after 10 seconds."""
        running = [
            self.services[name]
            for name in ("worker", "web", "sandbox")
            if name in self.services and self.services[name].process.poll() is None
        ]
        for service in running:
            service.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for service in running:
            try:
                service.process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait(5)

    def web_workers(self) -> list[int]:
        """The pids of gunicorn's worker processes (the master's children)."""
        master = self.services["web"].process.pid
        children: list[int] = []
        for task in os.listdir(f"/proc/{master}/task"):
            with open(f"/proc/{master}/task/{task}/children") as handle:
                children += [int(pid) for pid in handle.read().split()]
        return children

    # -- the sandbox ------------------------------------------------------------------------------------

    def inbox(self) -> list[dict[str, Any]]:
        response = requests.get(f"{self.sandbox_url}/_sandbox/notifications", timeout=10)
        response.raise_for_status()
        return list(response.json())

    def sends_by_reference(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.inbox():
            counts[item["reference"]] = counts.get(item["reference"], 0) + 1
        return counts

    def notify_faults(self, **settings: Any) -> None:
        requests.post(f"{self.sandbox_url}/_sandbox/faults", json=settings, timeout=10).raise_for_status()

    def log_lines(self, name: str) -> list[str]:
        return self.services[name].log_path.read_text(errors="replace").splitlines()


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> float:
    """Seconds until `condition()` held; raises AssertionError after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout}s")
        time.sleep(interval)
    return time.monotonic() - started
