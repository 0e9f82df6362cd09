"""The retention schedule's rules: when a case counts as closed, how periods are counted, the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.services.retention.schedule import (
    cutoffs,
    ends_case,
    years_before,
)

pytestmark = pytest.mark.usefixtures("babel_app_context")


@pytest.mark.parametrize(
    ("event_type", "details", "ends"),
    [
        ("case-discontinued", {}, True),
        ("suspect-released-no-further-action", {}, True),
        ("appeal-outcome", {}, True),
        ("verdict", {"guilty": False}, True),
        ("verdict", {"guilty": True}, False),
        ("verdict", {}, False),  # not known: the case goes on
        ("sentence", {"vcs_eligible": False}, True),
        ("sentence", {}, True),
        ("sentence", {"vcs_eligible": True}, False),  # the Victim Contact Scheme: news owed for years
        ("hearing-scheduled", {}, False),
        ("offender-released", {}, False),
    ],
)
def test_which_updates_close_a_case(event_type: str, details: dict, ends: bool) -> None:
    assert ends_case(event_type, details) is ends


def test_years_are_calendar_years_and_29_february_becomes_the_28th() -> None:
    assert years_before(datetime(2030, 6, 1, 12, tzinfo=UTC), 6) == datetime(2024, 6, 1, 12, tzinfo=UTC)
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_each_period_is_its_setting() -> None:
    now = datetime(2030, 6, 1, tzinfo=UTC)
    limits = cutoffs({"RETENTION_SIGN_IN_CODE_DAYS": 3, "RETENTION_CASE_YEARS": 2}, now)
    assert limits.codes_expired_before == now - timedelta(days=3)
    assert limits.cases_closed_before == datetime(2028, 6, 1, tzinfo=UTC)
    assert limits.audit_before == datetime(2023, 6, 1, tzinfo=UTC)  # the default, 7 years
    assert limits.batch_size == 500


@pytest.mark.parametrize("value", [0, -1])
def test_the_portal_refuses_to_start_with_a_bad_retention_setting(value: int) -> None:
    from portal.config import SettingsError, check_settings

    with pytest.raises(SettingsError, match="RETENTION_CASE_YEARS"):
        check_settings({"PORTAL_ENV": "development", "PROXY_HOPS": 0, "RETENTION_CASE_YEARS": value})
    check_settings({"PORTAL_ENV": "development", "PROXY_HOPS": 0, "RETENTION_CASE_YEARS": 6})
