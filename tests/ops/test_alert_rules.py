"""ops/alerts.yml: Prometheus alerting rules, each tested on sample values by ops/alerts_test.yml with
`promtool test rules` (Debian's `prometheus` package, which `make test` installs), and every metric and
label value they use is one GET /metrics really gives."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from portal.config import PROJECT_ROOT

OPS = PROJECT_ROOT / "ops"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail("promtool is missing: `make test` installs it (Debian's prometheus package)")
    return found


def _rules() -> list[dict[str, object]]:
    document = yaml.safe_load((OPS / "alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_the_rules_are_valid_and_pass_their_tests_on_sample_values() -> None:
    promtool = _promtool()
    checked = subprocess.run(
        [promtool, "check", "rules", "alerts.yml"], cwd=OPS, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        [promtool, "test", "rules", "alerts_test.yml"], cwd=OPS, capture_output=True, text=True, check=False
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_every_rule_has_a_test_that_shows_it_firing() -> None:
    tests = yaml.safe_load((OPS / "alerts_test.yml").read_text())["tests"]
    firing = {
        case["alertname"] for test in tests for case in test["alert_rule_test"] if case.get("exp_alerts")
    }
    assert {rule["alert"] for rule in _rules()} == firing


def test_the_rules_use_only_what_metrics_gives(app: Flask, client: FlaskClient) -> None:
    client.get("/sign-in")  # so that a request counter exists
    body = client.get("/metrics").get_data(as_text=True)
    exposed = {line.split("{")[0].split(" ")[0] for line in body.splitlines() if line and line[0] != "#"}
    kinds = set(re.findall(r'portal_notify_failures\{kind="([^"]+)"\}', body))
    for rule in _rules():
        expr = str(rule["expr"])
        for name in re.findall(r"\bportal_[a-z_]+", expr):
            assert name in exposed, f"{rule['alert']}: {name} is not in /metrics"
        for alternatives in re.findall(r'kind=~?"([^"]+)"', expr):
            for kind in alternatives.split("|"):
                assert kind in kinds, f"{rule['alert']}: no portal_notify_failures{{kind={kind!r}}}"
