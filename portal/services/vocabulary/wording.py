"""Turn a case update (event type + typed details) into the plain-English words a victim reads.

Dates and times are shown in GOV.UK style in London time: "14 March 2027", "10am", "2:30pm", "midday".
Optional details that are missing simply leave out the sentence that uses them; a placeholder such as
``{court_name}`` can never reach the victim (a missing *required* detail raises ValueError instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from string import Formatter
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.deadlines import LONDON, add_months, add_working_days, london_date
from portal.services.vocabulary.model import (
    CPS_VRR,
    CPS_VRR_NO_EVIDENCE,
    PAROLE_VPS,
    POLICE_VRR,
    TOLD,
    VPS,
    VPS_BEFORE_SENTENCE,
    EventType,
    OfferedRight,
    ReviewRight,
)
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

    ``name`` is the right's short name; ``until`` the last day to act on it (the later, ultimate limit when
    there are two, such as the CPS's 3 months), when it has one and it is known (a summary lists the rights
    still open with these dates). ``kind`` says what the victim can do about it in the portal
    (``right_kind``): "review" or "statement", or "" when the portal has no journey for it."""

    text: str
    name: str = ""
    until: date | None = None
    kind: str = ""


#: Rights the victim can act on through the portal, by the kind of request that acts on them.
REVIEW_RIGHTS: tuple[ReviewRight, ...] = (POLICE_VRR, CPS_VRR, CPS_VRR_NO_EVIDENCE)
STATEMENT_RIGHTS: tuple[ReviewRight, ...] = (VPS, VPS_BEFORE_SENTENCE, PAROLE_VPS)


def right_kind(right: ReviewRight) -> str:
    """The kind of request that acts on the right: "review" (a Victims' Right to Review), "statement" (a
    Victim Personal Statement), or "" when the portal has no journey for it."""
    if any(right is known for known in REVIEW_RIGHTS):
        return "review"
    if any(right is known for known in STATEMENT_RIGHTS):
        return "statement"
    return ""


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
        if sentence.section != section:
            continue
        if sentence.if_absent:
            if sentence.key not in values:
                parts.append(_fill(sentence.text, values, event.code))
            continue
        if sentence.key not in values:
            continue
        if sentence.when is not None and values[sentence.key] != sentence.when:
            continue
        if sentence.when is None and isinstance(values[sentence.key], bool):
            continue
        parts.append(_fill(sentence.text, values, event.code))
    return parts


def _uses_fields(template: object) -> bool:
    return any(field for _, field, _, _ in Formatter().parse(str(template)))


def right_clock_start(
    right: ReviewRight, details: Mapping[str, Any], told_at: datetime | None
) -> date | None:
    """The date a right's time limit counts from: the first of ``right.counts_from`` that is known
    ("told": the London date of ``told_at``; otherwise a date detail), or None when none is."""
    for source in right.counts_from:
        if source == TOLD:
            if told_at is not None:
                return london_date(told_at)
        elif details.get(source):
            return _to_date(details[source])
    return None


def _right_with_date(
    right: ReviewRight, values: Mapping[str, Any], details: Mapping[str, Any], told_at: datetime | None
) -> RightWithDate:
    parts = [str(right.description)]
    limits: list[date] = []
    start = right_clock_start(right, details, told_at) if right.has_clock else None
    if start is not None and right.deadline_text is not None:
        dates: dict[str, date] = {}
        if right.months:
            dates["by_months"] = add_months(start, right.months)
        if right.working_days:
            dates["by_working_days"] = add_working_days(start, right.working_days)
        if right.calendar_days:
            dates["by_calendar_days"] = start + timedelta(days=right.calendar_days)
        limits.extend(dates.values())
        formatted = {key: format_date(value) for key, value in dates.items()}
        parts.append(str(right.deadline_text).format_map(_Strict(formatted)))
    elif right.has_clock and right.undated_text is not None:
        parts.append(str(right.undated_text))
    if right.deadline_detail and right.deadline_detail_text and right.deadline_detail in values:
        when = _to_date(details[right.deadline_detail])
        limits.append(when)
        parts.append(str(right.deadline_detail_text).format_map(_Strict({"by_detail": format_date(when)})))
    return RightWithDate(
        " ".join(parts), name=str(right.name), until=max(limits) if limits else None, kind=right_kind(right)
    )


def _is_offered(offered: OfferedRight, details: Mapping[str, Any]) -> bool:
    if offered.only_if is not None and details.get(offered.only_if) is not True:
        return False
    if offered.unless is not None:
        key, value = offered.unless
        if key in details and details[key] == value:
            return False
    return True


def rights_offered(event_code: str, details: Mapping[str, Any]) -> tuple[ReviewRight, ...]:
    """The rights an update of this type with these details offers, in order (``describe`` words them)."""
    event = get_event_type(event_code)
    return tuple(offered.right for offered in event.offered_rights() if _is_offered(offered, details))


def describe(
    event_code: str,
    details: Mapping[str, Any],
    *,
    occurred_at: datetime,
    received_at: datetime | None = None,
    told_at: datetime | None = None,
    message: str | None = None,
) -> Wording:
    """The words a victim reads for an update, in the current (or forced) locale.

    Dates of rights never come from ``received_at`` (when the agency had the information; accepted, and
    checked, only so that callers need not change). A right counted from when the victim was told (the
    police Victims' Right to Review) runs from the London date of ``told_at``; the CPS's from the date of
    its letter (detail ``letter_date``) when given, else from ``told_at``; others from their own date detail
    (``decision_date``, ``sentence_date``). When the start is unknown the right's limit is worded without a
    date ("within 3 months of being told about this decision"), never guessed. Raises UnknownEventType,
    MissingDetails (a ValueError) when a required detail is absent, or ValueError for a naive datetime or a
    detail that cannot be read (an invalid date).
    """
    for name, moment in (("occurred_at", occurred_at), ("received_at", received_at), ("told_at", told_at)):
        if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
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
    rights = [
        _right_with_date(right, values, details, told_at) for right in rights_offered(event_code, details)
    ]
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
