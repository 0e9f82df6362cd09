"""Turn a case update (event type + typed details) into the plain-English words a victim reads.

Dates and times are shown in GOV.UK style in London time: "14 March 2027", "10am", "2:30pm", "midday".
Optional details that are missing simply leave out the sentence that uses them; a placeholder such as
``{court_name}`` can never reach the victim (a missing *required* detail raises ValueError instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from string import Formatter
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.deadlines import LONDON, add_months, add_working_days, london_date
from portal.services.vocabulary.model import EventType, ReviewRight
from portal.services.vocabulary.registry import get_event_type

_MONTHS = (
    _l("January"),
    _l("February"),
    _l("March"),
    _l("April"),
    _l("May"),
    _l("June"),
    _l("July"),
    _l("August"),
    _l("September"),
    _l("October"),
    _l("November"),
    _l("December"),
)


@dataclass(frozen=True)
class RightWithDate:
    """A right the victim can act on, with its date worked out: "You can ask for a review until ...".

    ``name`` is the right's short name; ``until`` the last day to act on it, when it has one and it is
    known (a summary lists the rights still open with these dates)."""

    text: str
    name: str = ""
    until: date | None = None


@dataclass(frozen=True)
class Wording:
    """What the victim reads for one update. ``message`` is the agency's own free text, if any.

    ``what_this_means`` is also given in two parts for short formats (text messages, summaries):
    ``key_details``, the sentences carrying this update's own facts (dates, places, names, decisions),
    and ``background``, the general explanation. Together they hold the same sentences.
    """

    title: str
    what_this_means: str
    what_happens_next: str
    rights: list[RightWithDate]
    message: str | None = None
    key_details: tuple[str, ...] = ()
    background: tuple[str, ...] = ()


class MissingDetails(ValueError):
    """The details lack something the wording for this event type needs."""


def format_date(d: date) -> str:
    """GOV.UK date: "14 March 2027" (no leading zero, month in words, translated)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def format_time(t: datetime) -> str:
    """GOV.UK time: "10am", "2:30pm", "midday", "midnight"."""
    if t.hour == 12 and t.minute == 0:
        return gettext("midday")
    if t.hour == 0 and t.minute == 0:
        return gettext("midnight")
    hour = t.hour % 12 or 12
    clock = str(hour) if t.minute == 0 else f"{hour}:{t.minute:02d}"
    return gettext("%(clock)sam", clock=clock) if t.hour < 12 else gettext("%(clock)spm", clock=clock)


def _to_london(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # a naive time from an agency is read as London local time
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return _to_london(value).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _clean(value: str) -> str:
    return " ".join(value.split()).rstrip(".").strip()


def _values(event: EventType, details: Mapping[str, Any], occurred_at: datetime) -> dict[str, Any]:
    """Detail values ready to drop into sentences, plus derived ones (``{hearing_date}``...)."""
    occurred = occurred_at.astimezone(LONDON)
    values: dict[str, Any] = {
        "occurred_date": format_date(occurred.date()),
        "occurred_time": format_time(occurred),
    }
    properties = event.details_schema.get("properties", {})
    for key, value in details.items():
        spec = properties.get(key)
        if spec is None or value is None:
            continue  # unknown keys are never shown to the victim
        fmt = spec.get("format")
        if fmt == "date-time":
            moment = _to_london(value)
            stem = key[: -len("_at")] if key.endswith("_at") else key
            values[f"{stem}_date"] = format_date(moment.date())
            values[f"{stem}_time"] = format_time(moment)
            values[key] = f"{values[f'{stem}_date']}, {values[f'{stem}_time']}"
        elif fmt == "date":
            values[key] = format_date(_to_date(value))
        elif isinstance(value, list | tuple):
            items = [_clean(str(item)) for item in value if str(item).strip()]
            if items:
                values[key] = "; ".join(items)
        elif isinstance(value, str):
            if value.strip():
                values[key] = _clean(value)
        else:
            values[key] = value
    return values


class _Strict(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise MissingDetails(key)


def _fill(template: object, values: Mapping[str, Any], code: str) -> str:
    try:
        return str(template).format_map(_Strict(values))
    except MissingDetails as missing:
        raise MissingDetails(f"{code} needs the detail {missing.args[0]!r} to be worded") from None


def _extra_sentences(event: EventType, section: str, values: Mapping[str, Any]) -> list[str]:
    """The optional sentences of one section whose details are given, in order."""
    parts = []
    for sentence in event.sentences:
        if sentence.section != section or sentence.key not in values:
            continue
        if sentence.when is not None and values[sentence.key] != sentence.when:
            continue
        if sentence.when is None and isinstance(values[sentence.key], bool):
            continue
        parts.append(_fill(sentence.text, values, event.code))
    return parts


def _uses_fields(template: object) -> bool:
    return any(field for _, field, _, _ in Formatter().parse(str(template)))


def _right_text(
    right: ReviewRight, values: Mapping[str, Any], details: Mapping[str, Any], received: date
) -> str:
    parts = [str(right.description)]
    if right.deadline_text is not None:
        dates = {
            "by_months": format_date(add_months(received, right.months)) if right.months else "",
            "by_working_days": (
                format_date(add_working_days(received, right.working_days)) if right.working_days else ""
            ),
        }
        parts.append(str(right.deadline_text).format_map(_Strict(dates)))
    if right.deadline_detail and right.deadline_detail_text and right.deadline_detail in values:
        when = format_date(_to_date(details[right.deadline_detail]))
        parts.append(str(right.deadline_detail_text).format_map(_Strict({"by_detail": when})))
    return " ".join(parts)


def describe(
    event_code: str,
    details: Mapping[str, Any],
    *,
    occurred_at: datetime,
    received_at: datetime,
    message: str | None = None,
) -> Wording:
    """The words a victim reads for an update, in the current (or forced) locale.

    Dates of rights are worked out from ``received_at`` (when the agency had the information, the
    earliest the victim could be told), so the date shown is never later than the real one. Raises
    UnknownEventType, MissingDetails (a ValueError) when a required detail is absent, or ValueError for
    a detail that cannot be read (an invalid date).
    """
    for name, moment in (("occurred_at", occurred_at), ("received_at", received_at)):
        if moment.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    event = get_event_type(event_code)
    values = _values(event, details, occurred_at)
    base = _fill(event.what_this_means, values, event.code)
    extra = _extra_sentences(event, "means", values)
    key_details = ([base] if _uses_fields(event.what_this_means) else []) + extra
    background = [] if _uses_fields(event.what_this_means) else [base]
    then = " ".join(
        [_fill(event.what_happens_next, values, event.code), *_extra_sentences(event, "next", values)]
    )
    rights: list[RightWithDate] = []
    right = event.review_right
    if right is not None and (event.review_right_if is None or details.get(event.review_right_if) is True):
        rights.append(RightWithDate(_right_text(right, values, details, london_date(received_at))))
    cleaned = message.strip() if message else None
    return Wording(
        title=str(event.title),
        what_this_means=" ".join([base, *extra]),
        what_happens_next=then,
        rights=rights,
        message=cleaned or None,
        key_details=tuple(key_details),
        background=tuple(background),
    )
