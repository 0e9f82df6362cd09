"""Logging for every process (web, worker, sandbox, commands): one line an event, JSON by default
(`LOG_FORMAT=json`) or readable text (`LOG_FORMAT=text`, what `make run` uses).

Each line carries the time, level, logger, the process kind (`web`, `worker`, `sandbox`, `cli`), the pid
and, within a request, its request id (the `X-Request-Id` the error pages show). Messages have already
been through the redaction every log record gets (`portal/services/common/redaction.py`: no passwords,
codes, tokens, email addresses or phone numbers), and the portal's log calls give ids and counts, never
personal details. gunicorn's own loggers (its errors and, when asked for, its access log) use the same
handler (gunicorn.conf.py).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import IO, Any

FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(process_kind)s %(request_id)s %(name)s %(message)s"
_HANDLER_NAME = "portal"
_state = {"kind": os.environ.get("PORTAL_PROCESS_KIND", "cli")}


def set_process_kind(kind: str) -> None:
    """Name this process in every line from now on (web, worker, sandbox, cli)."""
    _state["kind"] = kind


def _request_id() -> str:
    try:
        from flask import g, has_request_context
    except ImportError:  # pragma: no cover - flask is always installed with the portal
        return "-"
    if has_request_context():
        return str(g.get("request_id") or "-")
    return "-"


class ContextFilter(logging.Filter):
    """Adds `process_kind` and `request_id` to every record the handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id()
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            request_id = str(record.args.get("{x-request-id}o") or request_id)  # the response's header
        record.__dict__["process_kind"] = _state["kind"]
        record.__dict__["request_id"] = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, process kind, pid, request id (and the
    traceback of an exception, already redacted)."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process_kind": getattr(record, "process_kind", _state["kind"]),
            "pid": record.process,
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            event["exception"] = record.exc_text
        return json.dumps(event, ensure_ascii=False, default=str)


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ContextFilter())
    if log_format == "text":
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    else:
        handler.setFormatter(JsonFormatter())
    return handler


def configure(
    log_format: str | None = None, *, kind: str | None = None, stream: IO[str] | None = None
) -> None:
    """Send every log record of this process through one handler in `log_format` (default: LOG_FORMAT,
    else json), at INFO. Calling it again replaces the handler (and may rename the process kind)."""
    if kind is not None:
        set_process_kind(kind)
    chosen = (log_format or os.environ.get("LOG_FORMAT") or "json").strip().lower()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    root.addHandler(make_handler(chosen, stream))
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin, each start


def adopt_gunicorn_loggers(log_format: str | None = None) -> None:
    """Give gunicorn's own loggers (its errors, its access log) our format, filter and process kind
    ("web"). Called by gunicorn.conf.py's logger once gunicorn has set up its handlers; workers inherit them."""
    configure(log_format, kind="web")
    chosen = (log_format or os.environ.get("LOG_FORMAT") or "json").strip().lower()
    for name in ("gunicorn.error", "gunicorn.access"):
        for handler in logging.getLogger(name).handlers:
            formatter = make_handler(chosen).formatter
            if formatter is not None:
                handler.setFormatter(formatter)
            handler.addFilter(ContextFilter())
