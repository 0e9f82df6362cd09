"""Contacts recorded by officers: a witness care officer records that a victim was told of one or more of
their updates by phone, in person, at court or by a letter delivered by hand, who told them, when and a
note. The told time counts wherever the portal decides when a victim was told (the timeliness report,
the officer's lists of updates not told, the communications API), with opening the update in the portal
and a message that reached them.

Only the victims and cases of the officer's unit (services/common/access.py); anything else is NotFound.
The form's page is audited as a view of the case's updates; each contact recorded is audited. Nothing
here commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import recorded_contacts as recorded_data
from portal.data import updates as updates_data
from portal.models import Case, CaseUpdate, RecordedContact
from portal.models.recorded_contacts import AT_COURT, IN_PERSON, LETTER_BY_HAND, METHODS, PHONE
from portal.services import vocabulary
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.preferences.reviews import record_staff_view
from portal.services.preferences.rules import parse_time
from portal.services.vocabulary import deadlines

LONDON = ZoneInfo("Europe/London")
MAX_BY_LABEL = 200
MAX_NOTE = 2000

METHOD_LABELS: dict[str, LazyString] = {
    PHONE: _l("By phone"),
    IN_PERSON: _l("In person"),
    AT_COURT: _l("At court"),
    LETTER_BY_HAND: _l("By a letter delivered by hand"),
}

UPDATES_REQUIRED = _l("Select the updates you told the victim about")
METHOD_REQUIRED = _l("Select how you told the victim")
BY_REQUIRED = _l("Enter who told the victim")
BY_TOO_LONG = _l("Who told the victim must be 200 characters or fewer")
NOTE_TOO_LONG = _l("The note must be 2,000 characters or fewer")
DATE_REQUIRED = _l("Enter the date you told the victim")
DATE_NOT_REAL = _l("The date you told the victim must be a real date")
#: One whole sentence for each part or parts missing (a sentence put together from parts reads badly in Welsh).
DATE_PART_MISSING: dict[tuple[str, ...], LazyString] = {
    ("day",): _l("The date you told the victim must include a day"),
    ("month",): _l("The date you told the victim must include a month"),
    ("year",): _l("The date you told the victim must include a year"),
    ("day", "month"): _l("The date you told the victim must include a day and month"),
    ("day", "year"): _l("The date you told the victim must include a day and year"),
    ("month", "year"): _l("The date you told the victim must include a month and year"),
}
DATE_IN_FUTURE = _l("The date you told the victim must be today or in the past")
TIME_REQUIRED = _l("Enter the time you told the victim, like 9am or 14:30")
TIME_NOT_REAL = _l("The time you told the victim must be a real time, like 9am or 14:30")
TIME_IN_FUTURE = _l("The time you told the victim must be in the past")


class InvalidContact(ValueError):
    """What is wrong with a contact the officer entered: field -> GOV.UK error message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class UpdateChoice:
    """One of the victim's updates on the case, as the form offers it."""

    update_id: str
    title: str
    agency_label: str
    occurred_at: datetime
    deadline: date | None
    told_at: datetime | None  # None: not told yet (a letter on its way counts once it is expected)


@dataclass(frozen=True)
class ContactRecord:
    """A contact recorded before, as the page lists it."""

    told_at: datetime
    method_label: str
    by_label: str
    note: str | None
    update_titles: list[str]


@dataclass(frozen=True)
class ContactPage:
    victim_id: str
    victim_name: str
    urn: str
    offence: str
    not_told: list[UpdateChoice]
    already_told: list[UpdateChoice]
    recorded: list[ContactRecord]
    default_by: str  # who told them, unless the officer says otherwise: the officer


@dataclass(frozen=True)
class ContactEntry:
    """What the officer entered: the date as the three boxes of a GOV.UK date input, the time as typed."""

    update_ids: Sequence[str]
    method: str
    by_label: str
    day: str
    month: str
    year: str
    time_text: str
    note: str = ""


def _title(code: str) -> str:
    try:
        return str(vocabulary.get_event_type(code).title)
    except vocabulary.UnknownEventType:
        return code


def _agency_label(agency: str) -> str:
    try:
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(agency)])
    except ValueError:
        return agency


def _victims_updates(
    session: Session, victim_id: str, case: Case, now: datetime
) -> tuple[list[UpdateChoice], list[UpdateChoice]]:
    """The victim's current updates on the case, newest first: (not told yet, already told)."""
    updates = updates_data.updates_for_victim(session, [case.id], victim_id)
    told = updates_data.told_times_for_victim(session, victim_id, deadlines.told_by_message, case_id=case.id)
    not_told: list[UpdateChoice] = []
    already: list[UpdateChoice] = []
    for update in updates:
        told_at = told.get(update.id)
        told_now = told_at is not None and told_at <= now
        choice = UpdateChoice(
            update_id=update.id,
            title=_title(update.event_type),
            agency_label=_agency_label(update.agency),
            occurred_at=update.occurred_at,
            deadline=update.code_deadline,
            told_at=told_at if told_now else None,
        )
        (already if told_now else not_told).append(choice)
    return not_told, already


def _recorded(session: Session, victim_id: str, case: Case) -> list[ContactRecord]:
    contacts = recorded_data.contacts_for_case_and_victim(session, case.id, victim_id)
    wanted = {link.update_id for contact in contacts for link in contact.updates}
    titles = {
        update.id: _title(update.event_type)
        for update in updates_data.updates_for_case(session, case.id)
        if update.id in wanted
    }
    return [
        ContactRecord(
            told_at=contact.told_at,
            method_label=str(METHOD_LABELS.get(contact.method, contact.method)),
            by_label=contact.by_label,
            note=contact.note,
            update_titles=[titles.get(link.update_id, "") for link in contact.updates],
        )
        for contact in contacts
    ]


def contact_page(
    session: Session,
    actor: Actor,
    victim_id: str,
    urn: str,
    *,
    audit_view: bool = True,
    now: datetime | None = None,
) -> ContactPage:
    """The form's page: the victim's updates on one of the unit's cases (not told yet; already told) and
    the contacts recorded before. NotFound outside the officer's unit. `audit_view`: record the view."""
    victim, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    if audit_view:
        record_staff_view(session, actor, [victim.id], f"updates on case {case.urn}")
    not_told, already = _victims_updates(session, victim.id, case, now or datetime.now(UTC))
    return ContactPage(
        victim_id=victim.id,
        victim_name=victim.full_name,
        urn=case.urn,
        offence=case.offence,
        not_told=not_told,
        already_told=already,
        recorded=_recorded(session, victim.id, case),
        default_by=actor.label,
    )


def _told_date(entry: ContactEntry, errors: dict[str, str]) -> date | None:
    parts = {"day": entry.day.strip(), "month": entry.month.strip(), "year": entry.year.strip()}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == len(parts):
        errors["told_on"] = str(DATE_REQUIRED)
        return None
    if missing:
        errors["told_on"] = str(DATE_PART_MISSING[tuple(missing)])
        return None
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        errors["told_on"] = str(DATE_NOT_REAL)
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        errors["told_on"] = str(DATE_NOT_REAL)
        return None


def _told_time(entry: ContactEntry, errors: dict[str, str]) -> time | None:
    if not entry.time_text.strip():
        errors["told_time"] = str(TIME_REQUIRED)
        return None
    try:
        return parse_time(entry.time_text)
    except ValueError:
        errors["told_time"] = str(TIME_NOT_REAL)
        return None


def _when_problems(told_at: datetime, chosen: Sequence[CaseUpdate], now: datetime) -> dict[str, str]:
    """Not in the future, and not before any of the chosen updates happened."""
    local = told_at.astimezone(LONDON)
    if told_at > now:
        future_day = local.date() > now.astimezone(LONDON).date()
        return {"told_on": str(DATE_IN_FUTURE)} if future_day else {"told_time": str(TIME_IN_FUTURE)}
    # to the minute, as the officer enters the time
    latest = max((update.occurred_at.replace(second=0, microsecond=0) for update in chosen), default=None)
    if latest is not None and told_at < latest:
        happened = latest.astimezone(LONDON)
        when = {"date": vocabulary.format_date(happened.date()), "time": vocabulary.format_time(happened)}
        if local.date() < happened.date():
            message = _l(
                "The date you told the victim must be the same as or after %(date)s, when the update happened",
                date=when["date"],
            )
            return {"told_on": str(message)}
        message = _l(
            "The time you told the victim must be after %(time)s on %(date)s, when the update happened",
            time=when["time"],
            date=when["date"],
        )
        return {"told_time": str(message)}
    return {}


def record_contact(
    session: Session,
    actor: Actor,
    victim_id: str,
    urn: str,
    entry: ContactEntry,
    *,
    now: datetime | None = None,
) -> RecordedContact:
    """Record that the victim was told of the chosen updates. NotFound outside the officer's unit, or for an
    update that is not one of the victim's current updates on this case; InvalidContact with the GOV.UK
    messages by field when something is missing or wrong. Audited."""
    now = now or datetime.now(UTC)
    victim, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    updates = {u.id: u for u in updates_data.updates_for_victim(session, [case.id], victim.id)}
    wanted = list(dict.fromkeys(update_id for update_id in entry.update_ids if update_id))
    if any(update_id not in updates for update_id in wanted):
        raise NotFound
    chosen = [updates[update_id] for update_id in wanted]
    errors: dict[str, str] = {}
    if not chosen:
        errors["updates"] = str(UPDATES_REQUIRED)
    if entry.method not in METHODS:
        errors["method"] = str(METHOD_REQUIRED)
    by_label = " ".join(entry.by_label.split())
    if not by_label:
        errors["by_label"] = str(BY_REQUIRED)
    elif len(by_label) > MAX_BY_LABEL:
        errors["by_label"] = str(BY_TOO_LONG)
    told_on = _told_date(entry, errors)
    told_time = _told_time(entry, errors)
    told_at: datetime | None = None
    if told_on is not None and told_time is not None:
        told_at = datetime.combine(told_on, told_time, tzinfo=LONDON).astimezone(UTC)
        errors.update(
            {key: value for key, value in _when_problems(told_at, chosen, now).items() if key not in errors}
        )
    note = entry.note.strip()
    if len(note) > MAX_NOTE:
        errors["note"] = str(NOTE_TOO_LONG)
    if errors or told_at is None:
        raise InvalidContact(errors)
    contact = recorded_data.add_contact(
        session,
        RecordedContact(
            victim_id=victim.id,
            case_id=case.id,
            method=entry.method,
            told_at=told_at,
            by_user_id=actor.user_id,
            by_label=by_label,
            note=note or None,
            created_at=now,
        ),
        wanted,
    )
    audit.record_for_actor(
        session,
        actor,
        audit.CONTACT_RECORDED,
        subject_victim_id=victim.id,
        detail={"case": case.urn, "method": entry.method, "updates": len(wanted)},
    )
    return contact
