"""GOV.UK Notify down for a while (the sandbox answers 500, then 503 to everything, for 5 seconds), then
back. The portal goes on answering; /metrics shows the backlog and its oldest message's age while it
lasts; once Notify is back the backlog drains within Notify's rate limit (no 429); every message is
delivered exactly once."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from tests.faults import checks
from tests.faults.stack import Stack

pytestmark = pytest.mark.faults
DOWN_SECONDS = 5.0


def _metric(base: str, name: str) -> float:
    body = requests.get(f"{base}/metrics", timeout=10).text
    found = re.search(rf"^{name} (\S+)$", body, re.M)
    assert found is not None, f"{name} not in /metrics"
    return float(found.group(1))


def test_notify_down_for_a_while(
    fault_engine: Engine, make_stack: Any, fault_report: dict[str, dict[str, Any]]
) -> None:
    stack: Stack = make_stack()
    engine = fault_engine
    before = checks.outbox_ids(engine)
    client = checks.cps(stack)
    urn = "01FT0000226"
    checks.new_case(client, urn, victims=2)
    stack.notify_faults(fail_next=[500, 500, 500], error_rate=1.0, status=503)
    down_at = time.monotonic()
    agency = checks.Agency(client, urn, "notify-down")
    backlog: list[float] = []
    oldest: list[float] = []
    n = 0
    while time.monotonic() - down_at < DOWN_SECONDS:
        agency.post(f"notify-down-{n}")
        n += 1
        backlog.append(_metric(stack.web_url, "portal_outbox_waiting_messages"))
        oldest.append(_metric(stack.web_url, "portal_outbox_oldest_waiting_seconds"))
    stack.notify_faults(error_rate=0.0)
    up_at = time.monotonic()
    checks.drain(engine, before, timeout=60)
    drain_seconds = time.monotonic() - up_at

    assert max(backlog) >= 2 and max(oldest) >= 1, (backlog, oldest)
    assert set(agency.answers) == {"201"}, "the portal kept answering"
    assert _metric(stack.web_url, "portal_outbox_waiting_messages") == 0
    assert _metric(stack.web_url, "portal_outbox_oldest_waiting_seconds") == 0
    counts = checks.delivery_counts(engine, stack, before)
    assert counts["lost"] == 0 and counts["doubled"] == 0 and counts["unknown_sends"] == 0, counts
    sandbox_log = stack.services["sandbox"].log_path.read_text()
    refused = len(re.findall(r'POST /v2/notifications/\w+ HTTP/1.1\S*" 50[03]', sandbox_log))
    assert refused >= 3, "the worker met Notify's errors"
    assert not re.search(r'POST /v2/notifications/\w+ HTTP/1.1\S*" 429', sandbox_log), "over the rate limit"

    fault_report["notify_down"] = {
        "notify_down_seconds": DOWN_SECONDS,
        "pages_503_seconds": 0.0,
        "api_answers": dict(agency.answers),
        "largest_backlog": max(backlog),
        "oldest_waiting_seconds_at_most": max(oldest),
        "sends_refused_by_notify": refused,
        "backlog_drain_seconds_after_notify_back": round(drain_seconds, 2),
        **counts,
    }
