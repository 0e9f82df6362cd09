"""The retention schedule: how long each kind of record is kept, one setting each (README, "Retention").

| what | kept | setting (default) |
| --- | --- | --- |
| a case's information (offence, updates' details and messages, named contacts, agency references, the victims' requests about it, its secure messages with their files and internal notes, hearing reminders, the notes of contacts recorded) and, once every case of theirs has gone, the victim's own (name, contact details, preferences and their history, account) | N years after the case closed | RETENTION_CASE_YEARS (6) |
| security codes (sign-in and contact confirmation) | N days after they expired | RETENTION_SIGN_IN_CODE_DAYS (7) |
| password reset links and invitations | N days after they expired, were used or cancelled | RETENTION_TOKEN_DAYS (30) |
| files attached to a message never sent | N days after they were uploaded | RETENTION_TOKEN_DAYS (30) |
| counts of refused agency API calls (audit rows with occurrences) | N days | RETENTION_API_REFUSAL_DAYS (90) |
| the audit trail and erasure records | N years | RETENTION_AUDIT_YEARS (7) |
| the text and recipient of messages sent (the communications log keeps channel, purpose, status and times) | N days after the message reached a final status | RETENTION_COMMUNICATIONS_DAYS (365) |

**When a case is closed.** Agencies do not send a "closed" status, so the portal works it out from the
updates: a case is closed when the newest update it has (by when it happened, corrections left out) ends
the justice process with nothing more owed to the victim: `investigation-closed`,
`suspect-released-no-further-action`, `out-of-court-resolution`, `cps-no-charge-decision`,
`case-discontinued`, `no-evidence-offered`, `appeal-outcome`, a `verdict` of not guilty, or a `sentence`
that does not make the victim eligible for the Victim Contact Scheme. It closed when the agency had that
update (`received_at`). Any later update reopens it. A case whose `closed_at` is set is closed from then.
A case still in the Victim Contact Scheme (probation and release updates) is never closed by this rule:
those victims are owed news for as long as the sentence runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

#: Updates that end a case outright.
ENDING_EVENT_TYPES = frozenset(
    {
        "investigation-closed",
        "suspect-released-no-further-action",
        "out-of-court-resolution",
        "cps-no-charge-decision",
        "case-discontinued",
        "no-evidence-offered",
        "appeal-outcome",
    }
)

#: Each period: its setting, the unit, and the default (config.py reads the same defaults).
PERIODS: dict[str, tuple[str, str, int]] = {
    "cases": ("RETENTION_CASE_YEARS", "years", 6),
    "sign_in_codes": ("RETENTION_SIGN_IN_CODE_DAYS", "days", 7),
    "tokens": ("RETENTION_TOKEN_DAYS", "days", 30),
    "api_refusals": ("RETENTION_API_REFUSAL_DAYS", "days", 90),
    "audit": ("RETENTION_AUDIT_YEARS", "years", 7),
    "communications": ("RETENTION_COMMUNICATIONS_DAYS", "days", 365),
}
DEFAULT_BATCH_SIZE = 500


def ends_case(event_type: str, details: Mapping[str, Any] | None) -> bool:
    """Whether an update of this type (with these details) ends the case (see above)."""
    details = details or {}
    if event_type in ENDING_EVENT_TYPES:
        return True
    if event_type == "verdict":
        return details.get("guilty") is False
    if event_type == "sentence":
        return details.get("vcs_eligible") is not True
    return False


def years_before(moment: datetime, years: int) -> datetime:
    """The same date and time `years` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Cutoffs:
    """For one run: records older than each of these have expired."""

    cases_closed_before: datetime
    codes_expired_before: datetime
    tokens_ended_before: datetime
    api_refusals_before: datetime
    audit_before: datetime
    messages_final_before: datetime
    batch_size: int


class ScheduleProblem(ValueError):
    """A retention setting is not a whole number of at least 1."""


def _whole(config: Mapping[str, Any], name: str, default: int) -> int:
    value = config.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScheduleProblem(f"{name} must be a whole number of at least 1, not {value!r}")
    return value


def cutoffs(config: Mapping[str, Any], now: datetime) -> Cutoffs:
    """The moments before which each kind of record has expired, from the settings. Raises
    ScheduleProblem for a setting that is not a whole number of at least 1."""
    moments: dict[str, datetime] = {}
    for key, (name, unit, default) in PERIODS.items():
        amount = _whole(config, name, default)
        moments[key] = years_before(now, amount) if unit == "years" else now - timedelta(days=amount)
    return Cutoffs(
        cases_closed_before=moments["cases"],
        codes_expired_before=moments["sign_in_codes"],
        tokens_ended_before=moments["tokens"],
        api_refusals_before=moments["api_refusals"],
        audit_before=moments["audit"],
        messages_final_before=moments["communications"],
        batch_size=_whole(config, "RETENTION_BATCH_SIZE", DEFAULT_BATCH_SIZE),
    )
