"""The rules and words of a delegation: the scopes a victim can grant (with plain-English hints), the
end date (default 6 months, in the future, at most 2 years), and the status labels.

Every way in (the victim's question pages, an officer's form, the demo data) uses these, so a delegation
is never stored with scopes or dates the rest of the service does not expect.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from portal.models.delegations import (
    CHANGE_PREFERENCES,
    RECEIVE_COPIES,
    SCOPES,
    SEE_PREFERENCES,
    SEE_UPDATES,
    SEND_MESSAGES,
    SOURCE_OFFICER_BY_PHONE,
    SOURCE_OFFICER_IN_PERSON,
    SOURCE_VICTIM_ONLINE,
    SOURCES,
)
from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months

__all__ = [
    "CHANGE_PREFERENCES",
    "RECEIVE_COPIES",
    "SCOPES",
    "SEE_PREFERENCES",
    "SEE_UPDATES",
    "SEND_MESSAGES",
    "SOURCES",
    "SOURCE_OFFICER_BY_PHONE",
    "SOURCE_OFFICER_IN_PERSON",
    "SOURCE_VICTIM_ONLINE",
    "InvalidDelegation",
]

LONDON = ZoneInfo("Europe/London")
DEFAULT_MONTHS = 6
MAX_YEARS = 2

# Statuses, worked out from the timestamps (services/delegations.py `status_of`).
PENDING = "pending"
ACTIVE = "active"
NOT_STARTED = "not-started"
DECLINED = "declined"
REVOKED = "revoked"
STEPPED_BACK = "stepped-back"
SUSPENDED = "suspended"
EXPIRED = "expired"
LIVE_STATUSES = (PENDING, NOT_STARTED, ACTIVE)

# What the victim reads when choosing (question "What can they do?").
SCOPE_LABELS = {
    SEE_UPDATES: _l("See the updates about your case"),
    SEE_PREFERENCES: _l("See your contact preferences and needs"),
    CHANGE_PREFERENCES: _l("Change what you need, and how often you hear from us, for you"),
    RECEIVE_COPIES: _l("Get a copy of our messages to you"),
    SEND_MESSAGES: _l("Send messages for me"),
}
SCOPE_HINTS = {
    SEE_UPDATES: _l("Every update from the police, the CPS, Witness Care and the Probation Service."),
    SEE_PREFERENCES: _l(
        "How, where and when it is safe to contact you, including your contact details, and what you need."
    ),
    CHANGE_PREFERENCES: _l(
        "For example an interpreter, help at court, or which updates you hear about. Only you can change "
        "how, where and when we contact you."
    ),
    RECEIVE_COPIES: _l(
        "A short message to them when there is news. It only says there is an update, never what it is about."
    ),
    SEND_MESSAGES: _l(
        "Write to the people working on your case for you, and read their replies. Each message says who wrote it."
    ),
}
# What the support worker reads ("You can").
WORKER_SCOPE_LABELS = {
    SEE_UPDATES: _l("See the updates about their case"),
    SEE_PREFERENCES: _l("See their contact preferences and needs"),
    CHANGE_PREFERENCES: _l("Change what they need, and how often they hear from us"),
    RECEIVE_COPIES: _l("Get a short message when there is news for them"),
    SEND_MESSAGES: _l("Send messages for them"),
}
STATUS_LABELS = {
    PENDING: _l("Waiting for them to accept"),
    NOT_STARTED: _l("Not started yet"),
    ACTIVE: _l("Can help you now"),
    DECLINED: _l("Did not accept"),
    REVOKED: _l("Stopped by you"),
    STEPPED_BACK: _l("Stepped back"),
    SUSPENDED: _l("Stopped by an officer"),
    EXPIRED: _l("Ended"),
}
STATUS_TAG_CLASSES = {
    PENDING: "govuk-tag--blue",
    NOT_STARTED: "govuk-tag--blue",
    ACTIVE: "govuk-tag--green",
    DECLINED: "govuk-tag--grey",
    REVOKED: "govuk-tag--grey",
    STEPPED_BACK: "govuk-tag--grey",
    SUSPENDED: "govuk-tag--orange",
    EXPIRED: "govuk-tag--grey",
}
SOURCE_LABELS = {
    SOURCE_VICTIM_ONLINE: _l("You, online"),
    SOURCE_OFFICER_BY_PHONE: _l("A witness care officer, when you told them by phone"),
    SOURCE_OFFICER_IN_PERSON: _l("A witness care officer, when you told them in person"),
}

# The preference answers a support worker may change for the victim. How, where and when we contact the
# victim (channels, safety, contact details, safe times) stay with the victim: changing them needs the
# victim's own password (SECURITY.md 5), and a worker's account must never be a way to redirect messages.
WORKER_CHANGEABLE_KEYS: tuple[str, ...] = (
    "frequency",
    "opted_out",
    "language",
    "interpreter_needed",
    "interpreter_language",
    "accessibility",
    "advocate_name",
    "support_referral",
    "special_measures",
    "pre_trial_visit",
    "wants_vps",
    "vcs_opt_in",
)

SCOPES_REQUIRED = _l("Select what they can do")
CHANGE_NEEDS_SEE = _l("To let them change your preferences and needs, also let them see them")
DATE_MISSING = _l("Enter the date their help ends")
DATE_NOT_REAL = _l("The date their help ends must be a real date")
DATE_IN_PAST = _l("The date their help ends must be in the future")


class InvalidDelegation(ValueError):
    """Answers that cannot make a delegation. `errors` maps a field ("email", "organisation", "scopes",
    "ends_on", "source", "consent_note", "reason") to its GOV.UK message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = dict(errors)


def today_in_london(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def default_end_date(now: datetime | None = None) -> date:
    return add_months(today_in_london(now), DEFAULT_MONTHS)


def latest_end_date(now: datetime | None = None) -> date:
    return add_months(today_in_london(now), 12 * MAX_YEARS)


def ends_at_for(last_day: date) -> datetime:
    """Help lasts to the end of the last day chosen (UK time): it ends at the next midnight."""
    return datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=LONDON).astimezone(UTC)


def last_day_of(ends_at: datetime) -> date:
    """The last whole day of help, for showing `ends_at` as the date the victim chose."""
    return (ends_at.astimezone(LONDON) - timedelta(microseconds=1)).date()


def check_end_date(last_day: date | None, now: datetime | None = None) -> date:
    """In the future (tomorrow at the earliest) and no more than 2 years away. InvalidDelegation if not."""
    if last_day is None:
        raise InvalidDelegation({"ends_on": str(DATE_MISSING)})
    today = today_in_london(now)
    if last_day <= today:
        raise InvalidDelegation({"ends_on": str(DATE_IN_PAST)})
    latest = latest_end_date(now)
    if last_day > latest:
        raise InvalidDelegation(
            {
                "ends_on": str(
                    _l(
                        "The date their help ends must be on or before %(date)s",
                        date=format_date(latest),  # "14 March 2027", in Welsh "14 Mawrth 2027"
                    )
                )
            }
        )
    return last_day


def parse_date_parts(day: str | None, month: str | None, year: str | None) -> date:
    """A date from the three boxes of a GOV.UK date input, or InvalidDelegation with the GOV.UK message."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == 3:
        raise InvalidDelegation({"ends_on": str(DATE_MISSING)})
    if missing:
        raise InvalidDelegation(
            {
                "ends_on": str(
                    _l("The date their help ends must include a %(part)s", part=" and ".join(missing))
                )
            }
        )
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        raise InvalidDelegation({"ends_on": str(DATE_NOT_REAL)})
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise InvalidDelegation({"ends_on": str(DATE_NOT_REAL)}) from None


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes, in their usual order; at least one; changing preferences needs seeing them."""
    chosen = set(scopes)
    if not chosen or chosen - set(SCOPES):
        raise InvalidDelegation({"scopes": str(SCOPES_REQUIRED)})
    if CHANGE_PREFERENCES in chosen and SEE_PREFERENCES not in chosen:
        raise InvalidDelegation({"scopes": str(CHANGE_NEEDS_SEE)})
    return [scope for scope in SCOPES if scope in chosen]
