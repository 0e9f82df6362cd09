"""Rights open to the victim now: those the updates offer, with their last days counted from when the
victim was told, less those a later update closed or whose time is up; the most urgent first."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask_babel import get_locale

from portal.services import vocabulary
from portal.services.cases.standing.hearings import _ends_case
from portal.services.cases.standing.update_facts import UpdateFact
from portal.services.vocabulary import deadlines
from portal.services.vocabulary import model as vocabulary_model


@dataclass(frozen=True)
class OpenRight:
    """A right open to the victim now. `until`: its last day, if it has one and it is known; `has_clock`:
    it has a time limit (so a missing `until` means the date is not known yet, not that there is none)."""

    name: str
    text: str
    until: date | None
    has_clock: bool


#: Rights that end with a later update: a review once its outcome is known, a Victim Personal Statement
#: to the court at sentence (or when the case ends), one to the Parole Board at its decision.
_REVIEWS = (vocabulary_model.POLICE_VRR, vocabulary_model.CPS_VRR, vocabulary_model.CPS_VRR_NO_EVIDENCE)
_STATEMENTS_TO_COURT = (vocabulary_model.VPS, vocabulary_model.VPS_BEFORE_SENTENCE)
_STATEMENTS_TO_PAROLE = (vocabulary_model.PAROLE_VPS,)


def _closed_by(fact: UpdateFact) -> tuple[vocabulary.ReviewRight, ...]:
    """The rights this update closes (most close none)."""
    code = fact.event_type
    closed: tuple[vocabulary.ReviewRight, ...] = _REVIEWS if code == "vrr-outcome" else ()
    if code == "sentence" or _ends_case(fact):
        closed += _STATEMENTS_TO_COURT
    if code == "parole-decision":
        closed += _STATEMENTS_TO_PAROLE
    return closed


@functools.cache
def _may_offer_rights(event_type: str) -> bool:
    """Whether updates of this type may offer a right (most offer none): the vocabulary's event types are
    fixed for the process."""
    try:
        return bool(vocabulary.get_event_type(event_type).offered_rights())
    except vocabulary.UnknownEventType:
        return False


@dataclass
class _Offered:
    right: OpenRight
    source: vocabulary.ReviewRight | None
    offered_by: UpdateFact
    closed: bool = False


#: Rights worded per web process (see _worded_rights): enough for many victims' busiest cases.
RIGHTS_CACHE_SIZE = 8192


@lru_cache(maxsize=RIGHTS_CACHE_SIZE)
def _worded_rights(
    locale: str,
    event_type: str,
    details_json: str,
    occurred_at: datetime,
    received_at: datetime,
    told_at: datetime | None,
) -> tuple[tuple[OpenRight, vocabulary.ReviewRight | None], ...]:
    """The rights an update offers, worded, each with the right it comes from. They depend only on these
    arguments and the locale, and a case's standing reads every update of the case on every view, so each
    process words each update's rights once per locale (and per time the victim was told, from which
    their dates run) instead of on every view."""
    try:
        event = vocabulary.get_event_type(event_type)
        wording = vocabulary.describe(
            event_type,
            json.loads(details_json),
            occurred_at=occurred_at,
            received_at=received_at,
            told_at=told_at,
        )
    except (vocabulary.UnknownEventType, ValueError):
        return ()
    by_name = {str(offered.right.name): offered.right for offered in event.offered_rights()}
    found = []
    for right in wording.rights:
        source = by_name.get(right.name)
        name = right.name or (str(source.name) if source is not None else "")
        has_clock = bool(source is not None and (source.has_clock or source.deadline_detail))
        found.append((OpenRight(name, right.text, right.until, has_clock), source))
    return tuple(found)


def _rights_of(fact: UpdateFact, locale: str) -> list[_Offered]:
    """The rights this update offers, with their dates counted from when the victim was told."""
    if not _may_offer_rights(fact.event_type):  # most updates offer none: nothing to word
        return []
    worded = _worded_rights(
        locale,
        fact.event_type,
        json.dumps(fact.details, sort_keys=True, default=str),
        fact.occurred_at,
        fact.received_at,
        fact.told_at,
    )
    return [_Offered(right, source, fact) for right, source in worded]


def _undated_expired(offered: _Offered, today: date) -> bool:
    """A right whose limit counts from a date of the update itself (not from when the victim was told)
    but which gave no date, such as the Unduly Lenient Sentence scheme's 28 days from a sentence whose date
    was not given: past its limit counted from when the update happened, it is no longer listed."""
    source = offered.source
    if offered.right.until is not None or source is None or not source.has_clock:
        return False
    if vocabulary_model.TOLD in source.counts_from:
        return False
    start = deadlines.london_date(offered.offered_by.occurred_at)
    limits = [start]
    if source.months:
        limits.append(deadlines.add_months(start, source.months))
    if source.working_days:
        limits.append(deadlines.add_working_days(start, source.working_days))
    if source.calendar_days:
        limits.append(start + timedelta(days=source.calendar_days))
    return max(limits) < today


def _open_rights(ordered: Sequence[UpdateFact], today: date) -> tuple[OpenRight, ...]:
    offered: list[_Offered] = []
    # The rights offered and not closed yet, by the right they come from (its id: the vocabulary's rights
    # are single objects), so that an update that closes a right finds them without a search.
    open_by_source: dict[int, list[_Offered]] = {}
    locale = str(get_locale() or "en")
    for fact in ordered:
        for closed in _closed_by(fact):
            for earlier in open_by_source.pop(id(closed), ()):
                earlier.closed = True
        for item in _rights_of(fact, locale):
            offered.append(item)
            if item.source is not None:
                open_by_source.setdefault(id(item.source), []).append(item)
    latest: dict[tuple[str, date | None], OpenRight] = {}
    for item in offered:
        right = item.right
        if item.closed or (right.until is not None and right.until < today) or _undated_expired(item, today):
            continue
        key = (right.name or right.text, right.until)
        latest.pop(key, None)
        latest[key] = right  # the same right offered again: the later wording, in the later place
    rights = list(latest.values())
    # Most urgent first: the nearest last day, then those whose date is not known yet, then the rest.
    return tuple(
        sorted(
            rights,
            key=lambda r: (r.until is None, r.until or date.max, not r.has_clock),
        )
    )
