"""Redis (the shared rate-limit counters) stopped, then started again. Rate limits fall back to each web
process counting in its own memory (README, "Settings"): sign-in still works, and the limits still hold
(an account's wrong passwords are still stopped, by that process's count); when Redis is back the
counters go back to it. One web process here, so the in-memory count is the whole count."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import redis
import requests
from flask import Flask

from portal.services.demo_data import DEMO_CASE_URN
from tests.faults import checks
from tests.faults.stack import RedisServer, Stack, wait_until

pytestmark = pytest.mark.faults
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _wrong_password(base: str, email: str) -> int:
    http = requests.Session()
    page = http.get(f"{base}/sign-in", timeout=10).text
    token = CSRF.search(page)
    assert token is not None
    answer = http.post(
        f"{base}/sign-in",
        data={"csrf_token": token.group(1), "email": email, "password": "not-the-password-at-all"},
        allow_redirects=False,
        timeout=10,
    )
    return answer.status_code


def test_redis_down_rate_limits_fall_back_and_sign_in_works(
    portal_app: Flask, make_stack: Any, fault_report: dict[str, dict[str, Any]]
) -> None:
    server = RedisServer()
    try:
        counters = redis.Redis.from_url(server.url)
        stack: Stack = make_stack(redis_url=server.url, web_processes=1)
        checks.signed_in_victim(portal_app, stack.web_url)
        assert counters.dbsize() > 0, "with Redis up the counters are in Redis"
        counters.close()

        server.stop()
        down_at = time.monotonic()
        victim = checks.signed_in_victim(portal_app, stack.web_url)
        assert victim.get(f"{stack.web_url}/cases/{DEMO_CASE_URN}", timeout=10).status_code == 200
        # The per-account limit (10 a minute) still stops the 11th wrong password for one address.
        answers = [_wrong_password(stack.web_url, "someone.else@demo.example") for _ in range(11)]
        assert answers == [200] * 10 + [429], answers
        down_seconds = time.monotonic() - down_at

        server.start()  # empty, as a restarted Redis without persistence is
        counters = redis.Redis.from_url(server.url)
        recovered = wait_until(
            lambda: (
                _wrong_password(stack.web_url, "a.third.person@demo.example") > 0 and counters.dbsize() > 0
            ),
            timeout=60,
            interval=1.0,
        )
        counters.close()
        assert stack.services["web"].process.poll() is None
        assert not any('"level": "error"' in line for line in stack.log_lines("web")), "no request failed"
    finally:
        server.stop()

    fault_report["redis_down"] = {
        "redis_down_seconds": round(down_seconds, 2),
        "pages_503_seconds": 0.0,
        "sign_in_while_down": "worked",
        "limits_while_down": "each web process counts in its own memory (10 wrong passwords, then 429)",
        "back_in_redis_seconds_after_restart": round(recovered, 2),
        "lost": 0,
        "doubled": 0,
    }
