"""A victim's preferences and needs, recorded once and shared with every agency.

The public API (other parts of the portal call these; keep the names):

- `current_preferences(session, victim_id) -> Preferences`: the latest version, or the defaults when
  nothing is recorded yet (discreet wording, no channel confirmed safe).
- `record_preferences(session, victim, changes, *, actor, actor_label, source) -> PreferenceVersion`:
  validates the changed answers and the rules across them, and writes a new version only if something
  changed. Raises `InvalidPreferences` (a ValueError with `.errors`, key -> GOV.UK message).
- `preference_history(session, victim_id) -> list[HistoryEntry]`: every version, newest first.
- `safe_channels(prefs) -> list[str]`: the channels to use, in the victim's order, only those confirmed
  safe whose contact point is verified and usable. Never send through any other.

Nothing here commits.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.data import preferences as preferences_data
from portal.data import victims as victims_data
from portal.models import PreferenceVersion, Victim
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.preferences import contact_points
from portal.services.preferences.changes import audit_change, diff_documents, merge
from portal.services.preferences.contact_points import MISSING, UNVERIFIED, VERIFIED
from portal.services.preferences.rules import (
    CHANNEL_KIND,
    CHANNELS,
    DAYS,
    PHONE,
    SOURCES,
    TIMEZONE,
    WRITTEN_CHANNELS,
    InvalidPreferences,
    check_document,
    normalise_address,
    normalise_email,
    normalise_phone,
    validate_changes,
)

__all__ = [
    "ChannelSetting",
    "HistoryEntry",
    "InvalidPreferences",
    "Preferences",
    "current_preferences",
    "diff_documents",
    "preference_history",
    "record_preferences",
    "safe_channels",
]

LONDON = ZoneInfo(TIMEZONE)


@dataclass(frozen=True)
class ChannelSetting:
    channel: str
    safe: bool
    detailed: bool  # False: discreet wording (the default)


@dataclass(frozen=True)
class Preferences:
    """Everything a victim has told us about how to contact them and what they need."""

    # How we contact you: channels in order of preference; "phone" is a call from an officer.
    channels: tuple[str, ...] = ()
    # The victim wants no messages at all: only an officer's phone call, when it is safe.
    officer_phone_only: bool = False
    # Channels the victim confirmed are safe to use. A channel not in here is never used.
    safe: frozenset[str] = frozenset()
    # Written channels on which the victim chose detailed wording; all others are discreet.
    detailed: frozenset[str] = frozenset()
    email: str | None = None
    phone: str | None = None  # E.164
    address: tuple[str, ...] | None = None  # lines, town, postcode last
    # Safe days ("mon".."sun") and hours (Europe/London) to send or call.
    safe_days: tuple[str, ...] = DAYS
    safe_from: time = time(9, 0)
    safe_to: time = time(17, 0)
    timezone: str = TIMEZONE
    # Urgent safety news (release, escape, a court order that protects them: EventType.urgent) may be
    # sent as soon as we have it, even outside the safe days and hours. Never through an unsafe channel.
    urgent_any_time: bool = False
    alternative_phone: str | None = None
    alternative_email: str | None = None
    alternative_address: tuple[str, ...] | None = None
    # How much to hear: "every-update", "key-milestones" or "daily-digest".
    frequency: str = "every-update"
    # EventType.category values the victim does not want to hear about.
    opted_out: frozenset[str] = frozenset()
    # What you need: "en", "cy" or "both" (Welsh and English); an interpreter and which language.
    language: str = "en"
    interpreter_needed: bool = False
    interpreter_language: str | None = None
    # "large-print", "easy-read", "bsl", "braille", "screen-reader", "advocate" (+ advocate_name).
    accessibility: frozenset[str] = frozenset()
    advocate_name: str | None = None
    # Needs under the Code (None: not answered yet).
    support_referral: bool | None = None
    special_measures: frozenset[str] = frozenset()  # "screens", "video-link", "evidence-in-private"
    pre_trial_visit: bool | None = None
    wants_vps: bool | None = None
    vcs_opt_in: bool | None = None
    # The version these came from; None when nothing has been recorded (defaults).
    version: int | None = None
    # Derived, not versioned: "email" / "phone" / "address" -> verified | unverified | unusable | missing.
    contact_status: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def channel(self, channel: str) -> ChannelSetting:
        return ChannelSetting(channel, channel in self.safe, channel in self.detailed)

    def is_detailed(self, channel: str) -> bool:
        return channel in self.detailed

    def contact_for(self, channel: str) -> str | tuple[str, ...] | None:
        """The email address, phone number (E.164) or address lines a channel uses."""
        return {"email": self.email, "phone": self.phone, "address": self.address}[CHANNEL_KIND[channel]]

    def is_safe_time(self, moment: datetime) -> bool:
        """Whether `moment` (aware) falls on a safe day within the safe hours, in London time."""
        local = moment.astimezone(LONDON)
        return (
            DAYS[local.weekday()] in self.safe_days
            and self.safe_from <= local.time().replace(tzinfo=None) < self.safe_to
        )

    def next_safe_time(self, moment: datetime) -> datetime:
        """`moment` if it is a safe time, otherwise the start of the next safe window (aware UTC)."""
        if self.is_safe_time(moment):
            return moment
        local = moment.astimezone(LONDON)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            start = datetime.combine(day, self.safe_from, tzinfo=LONDON)
            if DAYS[day.weekday()] in self.safe_days and start > local:
                return start.astimezone(UTC)
        raise ValueError("no safe day")  # pragma: no cover - safe_days is never empty

    def to_document(self) -> dict[str, Any]:
        return {
            "channels": list(self.channels),
            "officer_phone_only": self.officer_phone_only,
            "safe": {channel: channel in self.safe for channel in CHANNELS},
            "detailed": {channel: channel in self.detailed for channel in WRITTEN_CHANNELS},
            "email": self.email,
            "phone": self.phone,
            "address": list(self.address) if self.address else None,
            "safe_days": list(self.safe_days),
            "safe_from": self.safe_from.strftime("%H:%M"),
            "safe_to": self.safe_to.strftime("%H:%M"),
            "urgent_any_time": self.urgent_any_time,
            "alternative_phone": self.alternative_phone,
            "alternative_email": self.alternative_email,
            "alternative_address": list(self.alternative_address) if self.alternative_address else None,
            "frequency": self.frequency,
            "opted_out": sorted(self.opted_out),
            "language": self.language,
            "interpreter_needed": self.interpreter_needed,
            "interpreter_language": self.interpreter_language,
            "accessibility": sorted(self.accessibility),
            "advocate_name": self.advocate_name,
            "support_referral": self.support_referral,
            "special_measures": sorted(self.special_measures),
            "pre_trial_visit": self.pre_trial_visit,
            "wants_vps": self.wants_vps,
            "vcs_opt_in": self.vcs_opt_in,
        }

    @classmethod
    def from_document(
        cls,
        document: Mapping[str, Any],
        *,
        version: int | None = None,
        contact_status: Mapping[str, str] | None = None,
    ) -> Preferences:
        doc = {**_default_document(), **document}
        return cls(
            channels=tuple(doc["channels"]),
            officer_phone_only=bool(doc["officer_phone_only"]),
            safe=frozenset(c for c, flag in doc["safe"].items() if flag),
            detailed=frozenset(c for c, flag in doc["detailed"].items() if flag),
            email=doc["email"],
            phone=doc["phone"],
            address=tuple(doc["address"]) if doc["address"] else None,
            safe_days=tuple(d for d in DAYS if d in doc["safe_days"]),
            safe_from=time.fromisoformat(doc["safe_from"]),
            safe_to=time.fromisoformat(doc["safe_to"]),
            urgent_any_time=bool(doc["urgent_any_time"]),
            alternative_phone=doc["alternative_phone"],
            alternative_email=doc["alternative_email"],
            alternative_address=tuple(doc["alternative_address"]) if doc["alternative_address"] else None,
            frequency=doc["frequency"],
            opted_out=frozenset(doc["opted_out"]),
            language=doc["language"],
            interpreter_needed=bool(doc["interpreter_needed"]),
            interpreter_language=doc["interpreter_language"],
            accessibility=frozenset(doc["accessibility"]),
            advocate_name=doc["advocate_name"],
            support_referral=doc["support_referral"],
            special_measures=frozenset(doc["special_measures"]),
            pre_trial_visit=doc["pre_trial_visit"],
            wants_vps=doc["wants_vps"],
            vcs_opt_in=doc["vcs_opt_in"],
            version=version,
            contact_status=dict(contact_status or {}),
        )


@functools.cache
def _default_document() -> Mapping[str, Any]:
    """The document of the defaults, built once per process: what a recorded document is read over (its
    values are only read, never changed)."""
    return Preferences().to_document()


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    at: datetime
    actor_label: str
    actor_role: str | None
    source: str
    changed_fields: tuple[str, ...]


def _try(normalise: Any, value: Any) -> Any:
    try:
        return normalise(value) if value else None
    except ValueError:
        return None


def defaults_for(victim: Victim) -> Preferences:
    """Before anything is recorded: the contact details the agency gave, nothing confirmed safe."""
    address_lines = [victim.address_line_1, victim.address_line_2, victim.address_town, victim.postcode]
    address = _try(normalise_address, [line for line in address_lines if line])
    return Preferences(
        email=_try(normalise_email, victim.email),
        phone=_try(normalise_phone, victim.phone),
        address=tuple(address) if address else None,
    )


def _victim(session: Session, victim: Victim | str) -> Victim:
    if isinstance(victim, Victim):
        return victim
    found = victims_data.get_victim(session, victim)
    if found is None:
        raise NotFound
    return found


def base_document(session: Session, victim: Victim | str) -> tuple[dict[str, Any], int | None]:
    """The latest recorded document (or the defaults) and its version number (None for defaults)."""
    record = _victim(session, victim)
    latest = preferences_data.get_latest_version(session, record.id)
    if latest is not None:
        return Preferences.from_document(latest.document).to_document(), latest.version
    return defaults_for(record).to_document(), None


def current_preferences(session: Session, victim_id: str) -> Preferences:
    """The latest recorded preferences (or the defaults), with the status of each contact point: read once
    per message sent, so a recorded document is read once (not read, written out and read again)."""
    record = _victim(session, victim_id)
    latest, points = preferences_data.latest_version_and_contact_points(session, record.id)
    document: Mapping[str, Any]
    if latest is not None:
        document, version = {**_default_document(), **latest.document}, latest.version
    else:
        document, version = defaults_for(record).to_document(), None
    status = contact_points.statuses_of(points, document)
    return Preferences.from_document(document, version=version, contact_status=status)


def language_of(session: Session, victim_id: str) -> str:
    """The victim's language ("en", "cy" or "both") in one statement."""
    return language_in(preferences_data.latest_document(session, victim_id))


def language_in(document: Mapping[str, Any] | None) -> str:
    """The language ("en", "cy" or "both") of a recorded preferences document (None: none recorded)."""
    return (Preferences.from_document(document) if document is not None else Preferences()).language


def safe_channels(prefs: Preferences) -> list[str]:
    """Channels to use, in the victim's order: confirmed safe, with a verified, usable contact point.

    A call from an officer needs a phone number that is not known to be failing; the officer checks who
    they are speaking to, so the number need not have been verified by code.
    """
    usable = []
    for channel in prefs.channels:
        if channel not in prefs.safe:
            continue
        status = prefs.contact_status.get(CHANNEL_KIND[channel], MISSING)
        if status == VERIFIED or (channel == PHONE and status == UNVERIFIED):
            usable.append(channel)
    return usable


def prepare(session: Session, victim: Victim | str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate changes against the victim's current document; return the merged document.

    Raises InvalidPreferences. Used by record_preferences and by the question pages' "Check your
    answers" (to show a problem before anything is saved).
    """
    cleaned = validate_changes(changes)
    base, _ = base_document(session, victim)
    merged = merge(base, cleaned)
    errors = check_document(merged)
    if errors:
        raise InvalidPreferences(errors)
    return Preferences.from_document(merged).to_document()  # one canonical form (lists sorted)


def record_preferences(
    session: Session,
    victim: Victim | str,
    changes: Mapping[str, Any],
    *,
    actor: Actor | None,
    actor_label: str,
    source: str,
) -> PreferenceVersion:
    """Record changed answers as a new version (only if something changed) and return the latest version.

    `victim` is the Victim or its id; `actor` is None for an agency system (then `actor_label` names it).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    record = _victim(session, victim)
    latest = preferences_data.get_latest_version(session, record.id)
    merged = prepare(session, record, changes)
    before = (
        Preferences.from_document(latest.document).to_document()
        if latest
        else defaults_for(record).to_document()
    )
    changed = diff_documents(before, merged)
    if latest is not None and not changed:
        return latest
    version = preferences_data.add_version(
        session,
        PreferenceVersion(
            victim_id=record.id,
            version=(latest.version + 1) if latest else 1,
            document=merged,
            changed_fields=changed,
            actor_user_id=actor.user_id if actor else None,
            actor_label=actor_label,
            actor_role=actor.role if actor else None,
            source=source,
            created_at=datetime.now(UTC),
        ),
    )
    audit_change(session, actor, actor_label, record.id, version.version, changed, source)
    return version


def preference_history(session: Session, victim_id: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            version=row.version,
            at=row.created_at,
            actor_label=row.actor_label,
            actor_role=row.actor_role,
            source=row.source,
            changed_fields=tuple(row.changed_fields or ()),
        )
        for row in preferences_data.versions_for_victim(session, victim_id)
    ]
