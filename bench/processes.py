"""The processes the benchmark runs, as production runs them: gunicorn (the portal and the baseline),
the notifications worker (`flask --app portal worker`) and the Notify sandbox.

Each is started with its own log file and stopped with SIGTERM (then SIGKILL after a grace period), by
the id it was started with. CPU time is read from /proc for the process and its children, so the report
can give the server's CPU per request, which a noisy shared machine disturbs less than throughput.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from portal.config import PROJECT_ROOT

BIN = Path(sys.executable).parent
USER_AGENT = "victims-portal-bench/1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    port: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and all its descendants still running, and of those reaped."""
        return _tree_cpu(self.process.pid)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _children(pid: int) -> list[int]:
    result = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                result += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return result


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process and of its children it has reaped."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime (fields 14-17 of stat; here offset by the two fields before ")").
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def _tree_cpu(pid: int) -> float:
    return process_cpu(pid) + sum(_tree_cpu(child) for child in _children(pid))


def _start(name: str, argv: list[str], env: dict[str, str], log_dir: Path, port: int | None) -> Service:
    log_path = log_dir / f"{name}.log"
    handle = log_path.open("ab")
    process = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()
    return Service(name, process, log_path, port)


def wait_for_http(service: Service, path: str = "/", timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited:\n{service.log_tail()}")
        try:
            requests.get(service.url + path, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{service.name} did not answer within {timeout}s:\n{service.log_tail()}")


def gunicorn(
    name: str, app: str, env: dict[str, str], log_dir: Path, *, workers: int = 2, port: int | None = None
) -> Service:
    """gunicorn as the Procfile runs it: the project's gunicorn.conf.py (sync workers), `workers`
    processes, an access log."""
    port = port or free_port()
    argv = [
        str(BIN / "gunicorn"),
        "--config",
        str(PROJECT_ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        str(log_dir / f"{name}.access.log"),
        app,
    ]
    service = _start(name, argv, env, log_dir, port)
    wait_for_http(service, "/_status" if app.startswith("portal") else "/")
    return service


def sandbox(env: dict[str, str], log_dir: Path, *, callback_url: str, callback_token: str) -> Service:
    """The Notify sandbox with Notify's behaviour but its rate limit raised far above what we send, so the
    measured rate is ours (the workers' own token bucket is raised the same way: see worker())."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "notifications.sandbox",
        "--port",
        str(port),
        "--callback-url",
        callback_url,
        "--callback-token",
        callback_token,
        "--rate-limit",
        "10000000",
    ]
    service = _start("sandbox", argv, env, log_dir, port)
    wait_for_http(service, "/_sandbox/faults")
    return service


def worker(index: int, env: dict[str, str], log_dir: Path, *, rate_per_minute: float) -> Service:
    argv = [str(BIN / "flask"), "--app", "portal", "worker", "--rate", str(rate_per_minute)]
    return _start(f"worker{index}", argv, env, log_dir, None)


def stop_all(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()
