"""Logs are one JSON object a line (or readable text with LOG_FORMAT=text), each with the process kind and
the request id, and no personal data (the redaction every record gets)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from portal import logs


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    yield stream
    for handler in [h for h in root.handlers if h.get_name() == "portal"]:
        root.removeHandler(handler)
    root.setLevel(level)
    logs.set_process_kind("cli")


def _log_in_a_request(app: Flask) -> None:
    with app.test_request_context("/cases", headers={"X-Request-Id": "req-123"}):
        app.preprocess_request()
        logging.getLogger("portal.example").info("told %d victim(s); wrote to %s", 2, "sam@example.com")
    logging.getLogger("portal.example").warning("outside any request")


def test_json_lines_carry_the_process_kind_and_request_id(app: Flask, captured: io.StringIO) -> None:
    logs.configure("json", kind="worker", stream=captured)
    _log_in_a_request(app)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    ours = [line for line in lines if line["logger"] == "portal.example"]
    assert len(ours) == 2
    first, second = ours
    assert first["message"] == "told 2 victim(s); wrote to [redacted]"
    assert first["request_id"] == "req-123" and second["request_id"] == "-"
    assert {line["process_kind"] for line in ours} == {"worker"}
    assert first["level"] == "info" and second["level"] == "warning"
    assert set(first) == {"time", "level", "logger", "message", "process_kind", "pid", "request_id"}
    assert "example.com" not in captured.getvalue()


def test_text_lines_for_make_run(app: Flask, captured: io.StringIO) -> None:
    logs.configure("text", kind="web", stream=captured)
    _log_in_a_request(app)
    [line] = [line for line in captured.getvalue().splitlines() if "told 2" in line]
    assert " INFO web req-123 portal.example told 2 victim(s); wrote to [redacted]" in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_configuring_again_replaces_the_handler(captured: io.StringIO) -> None:
    logs.configure("json", stream=captured)
    logs.configure("json", stream=captured)
    assert len([h for h in logging.getLogger().handlers if h.get_name() == "portal"]) == 1
