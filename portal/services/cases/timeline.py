"""The victim's joined-up view: every update from every agency on one timeline, in plain English, shown a
page at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import current_app
from flask_babel import get_locale
from sqlalchemy.orm import Session

from portal.data import case_standings
from portal.data import updates as updates_data
from portal.models import Case, CaseUpdate
from portal.services import vocabulary
from portal.services.cases import contacts as case_contacts
from portal.services.cases import kept_standing, standing
from portal.services.cases.standing import Hearing
from portal.services.common import pagination
from portal.services.common.actors import Actor
from portal.services.vocabulary import RightWithDate, deadlines, free_text

#: The event types the next hearing is worked out from (one rule: `standing.next_hearing`).
HEARING_EVENTS = standing.HEARING_EVENTS
SOURCES: tuple[str, ...] = ("police", "cps", "witness_care", "probation")
#: Updates on one page of a case timeline (victim, officer and support worker views alike).
TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineEntry:
    update_id: str
    source: str
    source_label: str
    occurred_at: datetime
    title: str
    what_this_means: str
    what_happens_next: str
    rights: tuple[RightWithDate, ...]
    is_new: bool
    # The agency's own words to the victim, if it wrote any (shown as theirs, not ours): in Welsh for a
    # Welsh reader when the agency sent them in Welsh; otherwise in English, and then this is True.
    message: str | None = None
    message_in_english_only: bool = False
    # For a Welsh reader: the agency's own English words among the update's details (a reason, a summary)
    # that the entry shows (vocabulary/free_text.py), to be marked as English and said so once.
    english_words: tuple[str, ...] = ()
    # The kinds of rights (RightWithDate.kind) the victim may act on now through the portal: only on the
    # victim's own timeline, and only for rights still open (no last day, or it is not past).
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    latest: TimelineEntry | None
    next_hearing: Hearing | None
    new_count: int


@dataclass(frozen=True)
class CaseTimeline:
    case: Case
    entries: list[TimelineEntry]
    total: int
    source_counts: dict[str, int]
    selected_source: str | None
    next_hearing: Hearing | None
    # Which page of the selected source's updates `entries` is (TIMELINE_PAGE_SIZE to a page).
    pages: pagination.Page


@dataclass(frozen=True)
class CaseReading:
    """Every update on the victim's timeline of one case, light columns only, oldest first (what the
    standing, the counts by source and the next hearing are worked out from), and when the victim was
    told of each: read once for the victim's own case page, which needs all three."""

    facts: list[updates_data.UpdateFacts]
    told: dict[str, datetime]


#: Timeline entries worded per web process (see _worded): enough for many victims' busiest cases.
WORDING_CACHE_SIZE = 8192


@lru_cache(maxsize=WORDING_CACHE_SIZE)
def _worded(
    locale: str,
    update_id: str,
    agency: str,
    event_type: str,
    details_json: str,
    occurred_at: datetime,
    received_at: datetime,
    message: str | None,
    told_at: datetime | None,
    is_new: bool,
    in_welsh: bool,
) -> TimelineEntry:
    """An update's entry, before the victim's `actions`. The words depend only on these arguments and the
    locale, and a timeline shows the same updates on every view, so each process words each update once
    per locale (and per time the victim was told, from which the dates of rights run, and per "New" flag)
    instead of on every page view (the wording is most of a long timeline's cost). `in_welsh`: `message`
    is the agency's Welsh."""
    wording = vocabulary.describe(
        event_type,
        json.loads(details_json),
        occurred_at=occurred_at,
        received_at=received_at,
        told_at=told_at,
        message=message,
    )
    return TimelineEntry(
        update_id=update_id,
        source=agency,
        source_label=str(vocabulary.AGENCY_LABELS[vocabulary.Agency(agency)]),
        occurred_at=occurred_at,
        title=wording.title,
        what_this_means=wording.what_this_means,
        what_happens_next=wording.what_happens_next,
        rights=tuple(wording.rights),
        is_new=is_new,
        message=wording.message,
        message_in_english_only=locale == "cy" and not in_welsh and wording.message is not None,
        english_words=(
            free_text.shown_in(
                free_text.english_words(event_type, json.loads(details_json)),
                wording.what_this_means,
                wording.what_happens_next,
            )
            if locale == "cy"
            else ()
        ),
    )


def _current_locale() -> str:
    return str(get_locale() or "en")


def _entry(
    update: CaseUpdate, *, is_new: bool, locale: str | None = None, told_at: datetime | None = None
) -> TimelineEntry:
    """The update's entry. `told_at`: when the victim was told of it (the dates of rights run from it;
    None: not told yet, so no date is given)."""
    locale = locale or _current_locale()
    welsh = locale == "cy" and bool(update.message_cy)
    return _worded(
        locale,
        update.id,
        update.agency,
        update.event_type,
        json.dumps(update.details or {}, sort_keys=True),
        update.occurred_at,
        update.received_at,
        update.message_cy if welsh else update.message,
        told_at,
        is_new,
        welsh,
    )


def _open_actions(rights: Sequence[RightWithDate], today: date) -> tuple[str, ...]:
    """The kinds of the rights the victim can still act on in the portal today."""
    return tuple(
        dict.fromkeys(
            right.kind for right in rights if right.kind and (right.until is None or right.until >= today)
        )
    )


def next_hearing(updates: Sequence[updates_data.UpdateFacts], now: datetime | None = None) -> Hearing | None:
    """The next hearing from the victim's updates of a case of the HEARING_EVENTS types: the same rule
    as the case's standing (`standing.next_hearing`)."""
    return standing.next_hearing(standing.facts(updates, {}), now)


def case_summaries(session: Session, actor: Actor, cases: Sequence[Case]) -> list[CaseSummary]:
    """For "Your cases": each case with its latest update, how many updates are new and the next hearing,
    in two statements however many cases and updates there are."""
    assert actor.victim_id is not None
    case_ids = [c.id for c in cases]
    latest = updates_data.latest_updates_by_case(session, case_ids, actor.victim_id)
    hearing_updates: dict[int, list[updates_data.UpdateFacts]] = {}
    for row in updates_data.update_facts(session, case_ids, actor.victim_id, HEARING_EVENTS):
        hearing_updates.setdefault(row.case_id, []).append(row)
    now = datetime.now(UTC)
    locale = _current_locale()
    summaries = []
    for case in cases:
        found = latest.get(case.id)
        summaries.append(
            CaseSummary(
                case=case,
                latest=_entry(found.update, is_new=not found.seen, locale=locale) if found else None,
                next_hearing=next_hearing(hearing_updates.get(case.id, []), now),
                new_count=found.new_count if found else 0,
            )
        )
    return summaries


def source_counts(facts: Sequence[updates_data.UpdateFacts]) -> dict[str, int]:
    """How many of the case's updates came from each source (every source, 0 when none)."""
    counts = dict.fromkeys(SOURCES, 0)
    for fact in facts:
        counts[fact.agency] = counts.get(fact.agency, 0) + 1
    return counts


def _read_page(
    session: Session,
    case: Case,
    victim_id: str,
    source: str | None,
    page: int | None,
    reading: CaseReading,
    *,
    update_id: str | None = None,
    victim_viewing: bool = False,
    now: datetime,
) -> tuple[CaseTimeline, list[tuple[CaseUpdate, bool]]]:
    """`_page` with the counts, the next hearing and the told times from a reading of the whole case."""
    return _page(
        session,
        case,
        victim_id,
        source,
        page,
        counts=source_counts(reading.facts),
        hearing=next_hearing([fact for fact in reading.facts if fact.event_type in HEARING_EVENTS], now),
        told_of=lambda ids: {found: reading.told[found] for found in ids if found in reading.told},
        update_id=update_id,
        victim_viewing=victim_viewing,
        now=now,
    )


def _page(
    session: Session,
    case: Case,
    victim_id: str,
    source: str | None,
    page: int | None,
    *,
    counts: Mapping[str, int],
    hearing: Hearing | None,
    told_of: Callable[[list[str]], Mapping[str, datetime]],
    update_id: str | None = None,
    victim_viewing: bool = False,
    now: datetime | None = None,
) -> tuple[CaseTimeline, list[tuple[CaseUpdate, bool]]]:
    """One page of the victim's timeline of the case, and each update on it with whether the victim had
    opened it, given the counts of the case's updates by source (`source_counts`), the next hearing and
    `told_of` (update ids -> when the victim was told of each): one statement, the page (and, for
    `update_id`, one for that update's place, to open the page that shows it), and whatever `told_of`
    reads.

    The dates of rights run from when the victim was told of the update; when the victim themselves is
    viewing (`victim_viewing`), an update they had not opened is told now.

    NotFound when `page` is past the last page."""
    total = sum(counts.values())
    selected = source if source in SOURCES else None
    shown_total = total if selected is None else counts[selected]
    if page is None and update_id is not None:
        page = (
            updates_data.count_updates_before(session, case.id, victim_id, selected, update_id)
            // TIMELINE_PAGE_SIZE
            + 1
        )
    pages = pagination.page_of(page, TIMELINE_PAGE_SIZE, shown_total)
    rows = (
        updates_data.updates_for_timeline_page(
            session, case.id, victim_id, selected, limit=pages.size, offset=pages.offset
        )
        if shown_total
        else []
    )
    told = dict(told_of([update.id for update, _seen in rows])) if rows else {}
    now = now or datetime.now(UTC)
    if victim_viewing:
        for update, seen in rows:
            if not seen:
                told[update.id] = min(now, told.get(update.id, now))
    locale = _current_locale()
    entries = [
        _entry(update, is_new=not seen, locale=locale, told_at=told.get(update.id)) for update, seen in rows
    ]
    if victim_viewing:
        today = deadlines.london_date(now)
        entries = [
            replace(entry, actions=_open_actions(entry.rights, today)) if entry.rights else entry
            for entry in entries
        ]
    view = CaseTimeline(
        case=case,
        entries=entries,
        total=total,
        source_counts=dict(counts),
        selected_source=selected,
        next_hearing=hearing,
        pages=pages,
    )
    return view, rows


def victim_case_page(
    session: Session, actor: Actor, case: Case, source: str | None, page: int | None = None
) -> tuple[CaseTimeline, standing.Standing]:
    """The victim's own case page: one page (of TIMELINE_PAGE_SIZE updates) of the case's timeline, newest
    first, optionally from one source (NotFound when `page` is past the last page), and where things
    stand.

    Where things stand, the counts of updates by source and when the victim was told of each update are
    kept between views (`kept_standing`). With a kept copy that still holds, three statements: the copy,
    the page, the named contacts. Otherwise (and when the page shows updates the victim had not opened,
    which changes the standing) they are worked out from one reading of the case's updates and of when
    the victim was told of each, and kept when nothing was opened: two statements more, and one to keep
    it.

    The updates on this page, and only those, are recorded as seen (the first time only): that is a
    "told" time for the Code timeliness measure, and the standing counts them as told now. Updates on
    other pages stay new until the victim opens the page that shows them."""
    assert actor.victim_id is not None
    victim_id = actor.victim_id
    now = datetime.now(UTC)
    locale = _current_locale()
    kept = case_standings.read(session, case.id, victim_id, locale)
    usable = _usable(kept, now)
    if usable is not None:
        told_kept = usable.told
        view, rows = _page(
            session,
            case,
            victim_id,
            source,
            page,
            counts=usable.counts,
            hearing=usable.standing.next_hearing,
            told_of=lambda ids: {found: told_kept[found] for found in ids if found in told_kept},
            victim_viewing=True,
            now=now,
        )
        if all(seen for _update, seen in rows):
            contacts = tuple(case_contacts.named_contacts(session, case.id, victim_id))
            where = replace(usable.standing, contacts=contacts)
            if current_app.config["KEPT_STANDING_CHECKED"]:
                _check_kept(case, usable._replace(standing=where), now, read_case(session, case, victim_id))
            return view, where
    reading = read_case(session, case, victim_id)
    if usable is None:
        view, rows = _read_page(session, case, victim_id, source, page, reading, victim_viewing=True, now=now)
    elif current_app.config["KEPT_STANDING_CHECKED"]:
        _check_kept(case, usable, now, reading)  # as it stood before this view opened any
    opened = [update.id for update, seen in rows if not seen]
    updates_data.add_seen(session, victim_id, opened)
    told = dict(reading.told)
    for opened_id in opened:
        told[opened_id] = min(now, told.get(opened_id, now))
    where = standing.for_victim_from(session, actor, case, reading.facts, told, now=now)
    if kept is not None and not opened:
        # Opening updates raised the revision (update_seen's trigger): a copy worked out before it would
        # never be used, so one is kept only when nothing was opened.
        case_standings.keep(
            session,
            case.id,
            victim_id,
            locale,
            revision=kept.revision,
            good_until=kept_standing.good_until(where, now),
            payload=kept_standing.payload(where, source_counts(reading.facts), reading.told),
        )
    return view, where


class StaleStanding(AssertionError):
    """A kept standing differs from the one worked out afresh (see KEPT_STANDING_CHECKED)."""


def _usable(kept: case_standings.KeptStanding | None, now: datetime) -> kept_standing.Kept | None:
    """What is kept, if there is a copy at the pair's revision now that holds at `now`."""
    if kept is None or kept.copy is None:
        return None
    copy = kept.copy
    if copy.revision != kept.revision or now >= copy.good_until:
        return None
    return kept_standing.from_payload(copy.payload)


def _check_kept(case: Case, kept: kept_standing.Kept, now: datetime, reading: CaseReading) -> None:
    """With KEPT_STANDING_CHECKED (set for the tests, never in service): work the standing out afresh from
    `reading` and raise StaleStanding if the kept copy, which the view found usable, differs (its
    standing, counts or told times). So every test which shows a victim their case after a change checks
    that the kept copy followed it."""
    where = kept.standing
    fresh = standing.standing(
        standing.facts(reading.facts, reading.told), now, where.contacts, reported_on=case.reported_on
    )
    if fresh != where or source_counts(reading.facts) != kept.counts or reading.told != kept.told:
        raise StaleStanding(f"kept standing of case {case.id} differs from the standing worked out now")


def read_case(session: Session, case: Case, victim_id: str) -> CaseReading:
    """The victim's timeline of the case, light columns only, and when the victim was told of each update:
    two statements however many updates (for a page that shows the standing as well as the timeline)."""
    return CaseReading(
        facts=updates_data.update_facts(session, [case.id], victim_id),
        told=updates_data.told_times_for_victim(
            session, victim_id, deadlines.told_by_message, case_id=case.id
        ),
    )


@dataclass(frozen=True)
class StaffCasePage:
    """A case page for a witness care officer or a support worker: the page of the timeline, where things
    stand (never with the named contacts), the updates on the page as read (with their Code deadlines)
    and the reading they were worked out from (with when the victim was told of each update)."""

    timeline: CaseTimeline
    standing: standing.Standing
    updates: list[CaseUpdate]
    reading: CaseReading


def _staff_page(
    session: Session,
    case: Case,
    victim_id: str,
    source: str | None,
    page: int | None,
    *,
    update_id: str | None = None,
    now: datetime | None = None,
) -> StaffCasePage:
    """Four statements (the case's updates, when the victim was told of each, the page and, for
    `update_id`, that update's place); never records anything as seen."""
    reading = read_case(session, case, victim_id)
    now = now or datetime.now(UTC)
    view, rows = _read_page(session, case, victim_id, source, page, reading, update_id=update_id, now=now)
    return StaffCasePage(
        timeline=view,
        standing=standing.for_staff_from(case, reading.facts, reading.told, now=now),
        updates=[update for update, _seen in rows],
        reading=reading,
    )


def officer_case_page(
    session: Session,
    case: Case,
    victim_id: str,
    source: str | None = None,
    page: int | None = None,
    *,
    update_id: str | None = None,
    now: datetime | None = None,
) -> StaffCasePage:
    """A witness care officer's case page (scope checked by the caller): one page of the case's timeline
    as the victim sees it and where things stand, from one reading of the case. With no `page`,
    `update_id` opens the page that shows that update.

    Never records anything as seen: only the victim opening an update counts as telling them. `is_new`
    on each entry means the victim has not opened that update yet."""
    return _staff_page(session, case, victim_id, source, page, update_id=update_id, now=now)


def _without_new(view: CaseTimeline) -> CaseTimeline:
    return replace(view, entries=[replace(entry, is_new=False) for entry in view.entries])


def support_case_page(
    session: Session,
    case: Case,
    victim_id: str,
    source: str | None = None,
    page: int | None = None,
    *,
    now: datetime | None = None,
) -> StaffCasePage:
    """A support worker's case page under a delegation (the caller checks the "see-updates" scope): one
    page of the case's timeline as the victim sees it and where things stand, from one reading of the case.
    Never records anything as seen, and shows no "New" flags: those belong to the victim, and a worker
    reading an update does not tell the victim anything. Never the victim's named contacts, which no
    delegation grants."""
    found = _staff_page(session, case, victim_id, source, page, now=now)
    return replace(found, timeline=_without_new(found.timeline))
