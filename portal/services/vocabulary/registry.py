"""The registry of event types, their Code timescales, configurable overrides and details validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from portal.services.vocabulary.court import COURT_TYPES
from portal.services.vocabulary.investigation import INVESTIGATION_TYPES
from portal.services.vocabulary.model import EventType, UnknownEventType
from portal.services.vocabulary.outcome import OUTCOME_TYPES
from portal.services.vocabulary.probation import PROBATION_TYPES
from portal.services.vocabulary.prosecution import PROSECUTION_TYPES
from portal.services.vocabulary.release import RELEASE_TYPES
from portal.services.vocabulary.safety import SAFETY_TYPES

EVENT_TYPES: dict[str, EventType] = {
    event.code: event
    for event in (
        *INVESTIGATION_TYPES,
        *PROSECUTION_TYPES,
        *COURT_TYPES,
        *SAFETY_TYPES,
        *OUTCOME_TYPES,
        *PROBATION_TYPES,
        *RELEASE_TYPES,
    )
}

#: Longest timescale an override may set: about a year of working days.
MAX_OVERRIDE_DAYS = 250

_OVERRIDE_ITEM = re.compile(r"^(?P<code>[a-z][a-z-]*[a-z])=(?P<standard>\d+)/(?P<enhanced>\d+)$")


def get_event_type(code: str) -> EventType:
    """The event type for ``code``; raises :class:`UnknownEventType` (a LookupError) if there is none."""
    try:
        return EVENT_TYPES[code]
    except KeyError:
        raise UnknownEventType(code) from None


def _check_override(code: str, standard: int, enhanced: int) -> None:
    event = EVENT_TYPES.get(code)
    if event is None:
        raise ValueError(f"Cannot override {code!r}: there is no such event type.")
    if not event.unconfirmed:
        raise ValueError(
            f"Cannot override {code!r}: its timescale is set by the Victims' Code, not our reading of it. "
            "Only unconfirmed timescales can be configured."
        )
    for label, days in (("standard", standard), ("enhanced", enhanced)):
        if not 1 <= days <= MAX_OVERRIDE_DAYS:
            raise ValueError(
                f"Cannot override {code!r}: the {label} timescale must be between 1 and "
                f"{MAX_OVERRIDE_DAYS} working days, not {days}."
            )
    if enhanced > standard:
        raise ValueError(
            f"Cannot override {code!r}: the enhanced timescale ({enhanced}) must not be longer than the "
            f"standard one ({standard})."
        )


def timescale_days(
    event: EventType, enhanced: bool, overrides: Mapping[str, tuple[int, int]] | None = None
) -> int | None:
    """Working days the Code allows for telling the victim, or None when there is no timescale.

    ``overrides`` maps an event code to ``(standard, enhanced)`` days; only unconfirmed timescales may be
    overridden (ValueError otherwise), so a configuration mistake cannot quietly weaken the Code.
    """
    if overrides and event.code in overrides:
        standard, enhanced_days = overrides[event.code]
        _check_override(event.code, standard, enhanced_days)
        return enhanced_days if enhanced else standard
    return event.enhanced_days if enhanced else event.standard_days


def parse_overrides(text: str) -> dict[str, tuple[int, int]]:
    """Parse ``"suspect-charged=5/1,appeal-lodged=5/2"`` into ``{code: (standard, enhanced)}``.

    Blank text means no overrides. Raises ValueError with a message naming the faulty item if the syntax
    is wrong, the type is unknown or confirmed, a code appears twice, or the days are out of range.
    """
    overrides: dict[str, tuple[int, int]] = {}
    for raw in text.split(","):
        item = raw.strip().replace(" ", "")
        if not item:
            continue
        match = _OVERRIDE_ITEM.match(item)
        if match is None:
            raise ValueError(
                f"Cannot read the timescale override {raw.strip()!r}: write it as "
                "'event-type=standard/enhanced', for example 'suspect-charged=5/1'."
            )
        code = match["code"]
        standard, enhanced = int(match["standard"]), int(match["enhanced"])
        if code in overrides:
            raise ValueError(f"The timescale for {code!r} is overridden more than once.")
        _check_override(code, standard, enhanced)
        overrides[code] = (standard, enhanced)
    return overrides


_FORMATS = FormatChecker()


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with an offset (jsonschema only checks it when an extra package is installed)."""
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$", value):
        return False
    return datetime.fromisoformat(value).tzinfo is not None


def validate_details(code: str, details: Mapping[str, Any]) -> None:
    """Check an agency's details against the event type's schema.

    Raises :class:`UnknownEventType` or ValueError whose message lists every problem, in a form fit to
    return to the agency's system (it names fields, never echoes their values).
    """
    event = get_event_type(code)
    validator = Draft202012Validator(event.details_schema, format_checker=_FORMATS)
    problems = []
    for error in sorted(validator.iter_errors(dict(details)), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path) or "details"
        if error.validator == "additionalProperties":
            unknown = sorted(set(details) - set(event.details_schema["properties"]))
            problems.append(f"{code} does not accept: {', '.join(unknown)}")
        elif error.validator == "required":
            problems.append(f"{code} needs {error.message.split(' ')[0]}")
        else:
            problems.append(f"{where}: {error.validator} {error.validator_value!r} not met")
    if problems:
        raise ValueError("; ".join(problems))
