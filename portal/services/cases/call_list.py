"""The call list: victims of the officer's unit to tell by phone or in person, with updates not told yet.

Listed: a victim who chose a phone call from an officer as their first way to be contacted (or only an
officer's call, no messages), or whose needs mean a message alone does not tell them: British Sign
Language, an interpreter, or someone who speaks on their behalf. One row per victim and case with
updates not told yet (the timeliness report's: updates with a Code deadline the agencies had in its
default period, neither opened in the portal, nor delivered, nor recorded by an officer), the oldest
Code deadline first: how many, the oldest deadline (overdue or not), the number to call (only when a
phone call is confirmed safe) and the victim's safe days and times.

Listing victims is audited, one event per victim listed (not shown to them as a view of their
information). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import contact_points as contact_points_data
from portal.data import preferences as preferences_data
from portal.services.cases import timeliness
from portal.services.common.actors import Actor
from portal.services.preferences import contact_points
from portal.services.preferences.labels import DAY_LABELS, format_time
from portal.services.preferences.records import Preferences, safe_channels
from portal.services.preferences.reviews import record_staff_listing
from portal.services.preferences.rules import DAYS, PHONE, display_phone

#: Why a victim is on the list, in the order the page gives the reasons.
CHOSE_PHONE = "phone"
BSL = "bsl"
INTERPRETER = "interpreter"
ADVOCATE = "advocate"
REASON_LABELS = {
    CHOSE_PHONE: _l("Chose a phone call from an officer"),
    BSL: _l("Needs British Sign Language"),
    INTERPRETER: _l("Needs an interpreter"),
    ADVOCATE: _l("Someone speaks on their behalf"),
}
#: How the listing is audited ("what" of each VICTIM_LISTED event).
AUDIT_PAGE = "call list"


@dataclass(frozen=True)
class CallRow:
    victim_id: str
    victim_name: str
    urn: str
    updates: int  # not told yet
    oldest_deadline: date
    overdue: bool  # the oldest deadline has passed
    urgent: bool  # one of them is safety news
    reasons: list[str]  # in words
    phone: str | None  # the number to call, only when a phone call is confirmed safe
    phone_confirmed: bool  # the victim confirmed the number with a code
    alternative_phone: str | None
    safe_days: str
    safe_times: str


def reasons_for(prefs: Preferences) -> list[str]:
    """Why the victim is to be told by phone or in person (empty: messages tell them)."""
    reasons = []
    if prefs.officer_phone_only or (prefs.channels and prefs.channels[0] == PHONE):
        reasons.append(CHOSE_PHONE)
    if "bsl" in prefs.accessibility:
        reasons.append(BSL)
    if prefs.interpreter_needed:
        reasons.append(INTERPRETER)
    if "advocate" in prefs.accessibility:
        reasons.append(ADVOCATE)
    return reasons


def _reason_words(prefs: Preferences, reasons: Sequence[str]) -> list[str]:
    words = []
    for reason in reasons:
        if reason == INTERPRETER and prefs.interpreter_language:
            words.append(str(_l("Needs an interpreter (%(language)s)", language=prefs.interpreter_language)))
        elif reason == ADVOCATE and prefs.advocate_name:
            words.append(str(_l("%(name)s speaks on their behalf", name=prefs.advocate_name)))
        else:
            words.append(str(REASON_LABELS[reason]))
    return words


def _preferences(session: Session, victim_ids: Sequence[str]) -> dict[str, Preferences]:
    """Each victim's current preferences, read for all of them at once (victims with none are left out)."""
    latest = preferences_data.latest_versions_by_victim(session, victim_ids)
    points = contact_points_data.contact_points_by_victim(session, list(latest))
    return {
        victim_id: Preferences.from_document(
            version.document,
            contact_status=contact_points.statuses_of(points.get(victim_id, []), version.document),
        )
        for victim_id, version in latest.items()
    }


def _unit_items(session: Session, actor: Actor, now: datetime) -> list[timeliness.UpdateTimeliness]:
    period = timeliness.default_period(now.astimezone(timeliness.LONDON).date())
    return timeliness.unit_timeliness(session, actor, period, now=now)


def _rows(session: Session, items: Sequence[timeliness.UpdateTimeliness]) -> list[CallRow]:
    """The call list from the unit's timeliness items (the updates not told yet among them)."""
    groups: dict[tuple[str, str], list[timeliness.UpdateTimeliness]] = {}
    not_told = [item for item in items if item.status in (timeliness.OVERDUE, timeliness.PENDING)]
    for item in not_told:
        groups.setdefault((item.victim_id, item.urn), []).append(item)
    prefs_by_victim = _preferences(session, list(dict.fromkeys(victim_id for victim_id, _ in groups)))
    rows = []
    for (victim_id, urn), items in groups.items():
        prefs = prefs_by_victim.get(victim_id)
        reasons = reasons_for(prefs) if prefs is not None else []
        if prefs is None or not reasons:
            continue
        oldest = min(items, key=lambda item: item.deadline)
        callable_now = PHONE in safe_channels(prefs)  # confirmed safe, the number not failing
        rows.append(
            CallRow(
                victim_id=victim_id,
                victim_name=oldest.victim_name,
                urn=urn,
                updates=len(items),
                oldest_deadline=oldest.deadline,
                overdue=any(item.status == timeliness.OVERDUE for item in items),
                urgent=any(item.urgent for item in items),
                reasons=_reason_words(prefs, reasons),
                phone=display_phone(prefs.phone) if callable_now and prefs.phone else None,
                phone_confirmed=prefs.contact_status.get("phone") == contact_points.VERIFIED,
                alternative_phone=display_phone(prefs.alternative_phone) if prefs.alternative_phone else None,
                safe_days=(
                    str(_l("Every day"))
                    if len(prefs.safe_days) == len(DAYS)
                    else ", ".join(str(DAY_LABELS[day]) for day in prefs.safe_days)
                ),
                safe_times=str(
                    _l(
                        "%(start)s to %(end)s, UK time",
                        start=format_time(prefs.safe_from),
                        end=format_time(prefs.safe_to),
                    )
                ),
            )
        )
    return sorted(rows, key=lambda row: (row.oldest_deadline, not row.urgent, row.victim_name, row.urn))


def call_list(session: Session, actor: Actor, *, now: datetime | None = None) -> list[CallRow]:
    """The unit's call list, oldest Code deadline first (NotFound for anyone but an officer). Audited."""
    rows = _rows(session, _unit_items(session, actor, now or datetime.now(UTC)))
    record_staff_listing(session, actor, [row.victim_id for row in rows], AUDIT_PAGE)
    return rows


def victims_to_call(session: Session, items: Sequence[timeliness.UpdateTimeliness]) -> int:
    """How many victims the call list names, from the unit's timeliness items the officer's home already
    has (a count, nobody named, not audited)."""
    return len({row.victim_id for row in _rows(session, items)})
