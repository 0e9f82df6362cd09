"""A victim's dates to avoid and needs at court for one case: the document, its rules, and its versions.

Dates to avoid belong to a case (its hearings); the needs are asked with them, for the same case. Every
change is a new version (models/court_needs.py) with who made it and how, like preferences: nothing is
overwritten, and an officer reviews what changed since their unit last looked (officer.py).

The document:
    {"dates": [{"date": "2027-03-14", "part": "day" | "morning" | "afternoon", "reason": REASONS}, ...],
     "needs": [NEEDS...], "interpreter_language": str | None, "access_needs": str | None,
     "anything_else": str | None}
No free text is ever required: a date needs only its part of the day and a reason category.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.data import court_needs as court_needs_data
from portal.models import CourtNeedsVersion
from portal.services.common import audit
from portal.services.common.actors import Actor

LONDON = ZoneInfo("Europe/London")

WHOLE_DAY, MORNING, AFTERNOON = "day", "morning", "afternoon"
PARTS: tuple[str, ...] = (WHOLE_DAY, MORNING, AFTERNOON)
REASONS: tuple[str, ...] = ("medical", "work", "caring", "holiday", "religious", "other")

WAITING_AREA, SCREENS, LIVE_LINK = "separate-waiting-area", "screens", "live-link"
INTERPRETER, ACCESS, CHILDCARE, TRAVEL = "interpreter", "access", "childcare", "travel-costs"
FEAR = "fear-of-defendants-associates"
NEEDS: tuple[str, ...] = (WAITING_AREA, SCREENS, LIVE_LINK, INTERPRETER, ACCESS, CHILDCARE, TRAVEL, FEAR)

MAX_DATES = 20
MAX_LANGUAGE = 100
MAX_TEXT = 1000

SOURCE_VICTIM = "victim online"
SOURCE_OFFICER = "officer by phone"
SOURCE_SUPPORT_WORKER = "support worker"
SOURCES: tuple[str, ...] = (SOURCE_VICTIM, SOURCE_OFFICER, SOURCE_SUPPORT_WORKER)

#: Control characters: line breaks and tabs are allowed in the longer answers, not in the language.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The audit actions (which answers changed is recorded, never the answers).
CHANGED = "preferences-changed"


class InvalidCourtNeeds(ValueError):
    """Answers that break a rule: {field: message}. Fields: "date" (one date being added), "dates",
    "needs", "interpreter_language", "access_needs", "anything_else"."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True, order=True)
class DateToAvoid:
    day: date
    part: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "part": self.part, "reason": self.reason}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> DateToAvoid:
        return cls(date.fromisoformat(str(value["date"])), str(value["part"]), str(value["reason"]))


@dataclass(frozen=True)
class CourtNeeds:
    dates: tuple[DateToAvoid, ...] = ()
    needs: tuple[str, ...] = ()
    interpreter_language: str | None = None
    access_needs: str | None = None
    anything_else: str | None = None
    # Set when read from a stored version.
    version: int | None = None
    changed_at: datetime | None = None
    changed_by: str | None = None
    changed_by_role: str | None = None
    source: str | None = None
    changed_fields: tuple[str, ...] = field(default=())

    @classmethod
    def from_document(cls, document: Mapping[str, Any], **stored: Any) -> CourtNeeds:
        return cls(
            dates=tuple(sorted(DateToAvoid.from_json(item) for item in document.get("dates") or ())),
            needs=tuple(need for need in NEEDS if need in (document.get("needs") or ())),
            interpreter_language=document.get("interpreter_language") or None,
            access_needs=document.get("access_needs") or None,
            anything_else=document.get("anything_else") or None,
            **stored,
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "dates": [item.to_json() for item in self.dates],
            "needs": list(self.needs),
            "interpreter_language": self.interpreter_language,
            "access_needs": self.access_needs,
            "anything_else": self.anything_else,
        }

    def upcoming(self, today: date) -> tuple[DateToAvoid, ...]:
        return tuple(item for item in self.dates if item.day >= today)


def london_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


# --- Rules (errors are keys of labels.MESSAGES) ---------------------------------------------------


def check_new_date(existing: Sequence[DateToAvoid], new: DateToAvoid, today: date) -> DateToAvoid:
    """A date the victim is adding to their list, or InvalidCourtNeeds naming what is wrong."""
    if len(existing) >= MAX_DATES:
        raise InvalidCourtNeeds({"dates": "too_many"})
    if new.day < today:
        raise InvalidCourtNeeds({"date": "past"})
    if new.part not in PARTS:
        raise InvalidCourtNeeds({"part": "part"})
    if new.reason not in REASONS:
        raise InvalidCourtNeeds({"reason": "reason"})
    if any(item.day == new.day and item.part == new.part for item in existing):
        raise InvalidCourtNeeds({"date": "duplicate"})
    return new


def _text_error(
    value: str, *, required: bool, limit: int, one_line: bool, missing: str, too_long: str, hidden: str
) -> str | None:
    if required and not value:
        return missing
    if len(value) > limit:
        return too_long
    if (_NOT_ON_ONE_LINE if one_line else _NOT_IN_TEXT).search(value):
        return hidden
    return None


def _dates_error(dates: Sequence[DateToAvoid], today: date) -> str | None:
    if len(dates) > MAX_DATES:
        return "too_many"
    if any(item.day < today for item in dates):
        return "past"
    if any(item.part not in PARTS or item.reason not in REASONS for item in dates):
        return "reason"
    return None


def check(needs: CourtNeeds, today: date) -> CourtNeeds:
    """The whole answer before it is saved, tidied: text trimmed, the language and access text dropped
    when their need is not chosen."""
    language = (needs.interpreter_language or "").strip() if INTERPRETER in needs.needs else ""
    access = (needs.access_needs or "").strip() if ACCESS in needs.needs else ""
    anything = (needs.anything_else or "").strip()
    found = {
        "dates": _dates_error(needs.dates, today),
        "needs": "reason" if set(needs.needs) - set(NEEDS) else None,
        "interpreter_language": _text_error(
            language,
            required=INTERPRETER in needs.needs,
            limit=MAX_LANGUAGE,
            one_line=True,
            missing="language",
            too_long="language_long",
            hidden="hidden_language",
        ),
        "access_needs": _text_error(
            access,
            required=ACCESS in needs.needs,
            limit=MAX_TEXT,
            one_line=False,
            missing="access",
            too_long="text_long",
            hidden="hidden_access",
        ),
        "anything_else": _text_error(
            anything,
            required=False,
            limit=MAX_TEXT,
            one_line=False,
            missing="",
            too_long="text_long",
            hidden="hidden_anything",
        ),
    }
    errors = {key: value for key, value in found.items() if value}
    if errors:
        raise InvalidCourtNeeds(errors)
    return CourtNeeds(
        dates=tuple(sorted(set(needs.dates))),
        needs=tuple(need for need in NEEDS if need in needs.needs),
        interpreter_language=language or None,
        access_needs=access or None,
        anything_else=anything or None,
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The changed answers: "dates", each need added or removed, and the text answers that differ."""
    changed = ["dates"] if before.get("dates", []) != after["dates"] else []
    old, new = set(before.get("needs") or ()), set(after["needs"])
    changed += [need for need in NEEDS if (need in old) != (need in new)]
    changed += [
        key
        for key in ("interpreter_language", "access_needs", "anything_else")
        if (before.get(key) or None) != (after[key] or None) and key not in changed
    ]
    return changed


# --- Versions ------------------------------------------------------------------------------------


def _from_version(row: CourtNeedsVersion) -> CourtNeeds:
    return CourtNeeds.from_document(
        row.document,
        version=row.version,
        changed_at=row.created_at,
        changed_by=row.actor_label,
        changed_by_role=row.actor_role,
        source=row.source,
        changed_fields=tuple(row.changed_fields or ()),
    )


def current(session: Session, victim_id: str, case_id: int) -> CourtNeeds:
    """The latest version, or an empty record (version None) when nothing was ever given."""
    return current_from(court_needs_data.get_latest_version(session, victim_id, case_id))


def current_from(row: CourtNeedsVersion | None) -> CourtNeeds:
    """`current` from the latest version, already read (None: nothing was ever given)."""
    return _from_version(row) if row is not None else CourtNeeds()


def history(session: Session, victim_id: str, case_id: int) -> list[CourtNeeds]:
    """Every version, newest first."""
    return [
        _from_version(row) for row in court_needs_data.versions_for_victim_case(session, victim_id, case_id)
    ]


def record(
    session: Session,
    victim_id: str,
    case_id: int,
    needs: CourtNeeds,
    *,
    actor: Actor | None,
    actor_label: str,
    source: str,
    now: datetime | None = None,
) -> CourtNeeds:
    """Check the answer and keep it as a new version (the caller has scoped the victim and case). When
    nothing differs from the latest version, no version is added and the latest is returned."""
    now = now or datetime.now(UTC)
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    checked = check(needs, london_today(now))
    latest = court_needs_data.get_latest_version(session, victim_id, case_id)
    document = checked.to_document()
    changed = changed_fields(latest.document if latest is not None else {}, document)
    if latest is not None and not changed:
        return _from_version(latest)
    row = court_needs_data.add_version(
        session,
        CourtNeedsVersion(
            victim_id=victim_id,
            case_id=case_id,
            version=(latest.version + 1) if latest is not None else 1,
            document=document,
            changed_fields=changed,
            actor_user_id=actor.user_id if actor else None,
            actor_label=actor_label,
            actor_role=actor.role if actor else None,
            source=source,
            created_at=now,
        ),
    )
    audit.record(
        session,
        actor_label,
        CHANGED,
        actor_user_id=actor.user_id if actor else None,
        subject_victim_id=victim_id,
        detail={
            "what": "court needs",
            "case_id": case_id,
            "version": row.version,
            "answers_changed": len(changed),
            "source": source,
        },
    )
    return _from_version(row)


def court_json(session: Session, victim_id: str, case_id: int) -> dict[str, Any]:
    """What an agency reads (the API's preferences read): the latest version, with who changed it."""
    needs = current(session, victim_id, case_id)
    return {
        "recorded": needs.version is not None,
        "version": needs.version,
        "last_changed_at": needs.changed_at.isoformat().replace("+00:00", "Z") if needs.changed_at else None,
        "last_changed_by": needs.changed_by,
        "last_changed_by_role": needs.changed_by_role,
        "last_change_source": needs.source,
        "changed_fields": list(needs.changed_fields),
        **needs.to_document(),
    }
