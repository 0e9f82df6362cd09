"""Where things stand now in a victim's case: where the suspect or offender is (with the bail or licence
conditions that protect the victim), the next hearing and whether the victim is needed at it, the rights
open to them now with their last days, any restraining order, and who to contact.

`standing()` is a pure function of the victim's updates of the case (what happened: event type, details,
when it happened and when the agency had it, and when the victim was told), the time now and the named
contacts. The updates are read in the order things happened: by `occurred_at`, then `received_at` (so a
later-received correction of the same moment wins), then by content, so the result never depends on the
order they are given in. Event types it does not know are ignored.

`next_hearing()` is the one rule for the next hearing, used by the case page, its summary panel and
"Your cases" alike (it reads only the event types in HEARING_EVENTS).

The functions at the end read what `standing()` needs for one case and one victim in a constant number of
statements, for the victim, a witness care officer and a support worker.

The rules live in this package's modules: `update_facts` (what is read of each update, in what order),
`hearings` (the next hearing), `custody` (where the suspect or offender is) and `rights` (rights open
now); what the victim may claim and by when is `portal.services.cases.entitlements`, read with the
hearing rule (`Standing.entitlements`, and `next_deadlines()` for "Your cases"). Everything they offer other
code is importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import updates as updates_data
from portal.models import Case
from portal.services.cases import contacts as case_contacts
from portal.services.cases import entitlements as case_entitlements
from portal.services.cases.standing.custody import (
    _CUSTODY_STEPS,
    BAIL,
    CASE_CLOSED,
    DEFENDANT,
    HOME_DETENTION_CURFEW,
    LICENCE,
    NOT_CHARGED,
    NOT_PROSECUTED,
    OFFENDER,
    ON_BAIL,
    ON_LICENCE,
    REMANDED,
    RESOLUTION,
    ROLE_LABELS,
    SERVING,
    STATUS_HINTS,
    STATUS_LABELS,
    SUSPECT,
    TEMPORARY_RELEASE,
    UNKNOWN,
    UNLAWFULLY_AT_LARGE,
    WANTED,
    RestrainingOrder,
    _as_of,
    _Custody,
    _role,
)
from portal.services.cases.standing.hearings import (
    CASE_ENDING_EVENTS,
    HEARING_EVENTS,
    Hearing,
    _court,
    _witness_hearing,
    next_hearing,
)
from portal.services.cases.standing.rights import OpenRight, _open_rights
from portal.services.cases.standing.update_facts import ContactLike, UpdateFact, _in_order
from portal.services.common.actors import Actor
from portal.services.vocabulary import deadlines

__all__ = [
    "BAIL",
    "CASE_CLOSED",
    "CASE_ENDING_EVENTS",
    "DEFENDANT",
    "HEARING_EVENTS",
    "HOME_DETENTION_CURFEW",
    "LICENCE",
    "NOT_CHARGED",
    "NOT_PROSECUTED",
    "OFFENDER",
    "ON_BAIL",
    "ON_LICENCE",
    "REMANDED",
    "RESOLUTION",
    "ROLE_LABELS",
    "SERVING",
    "STATUS_HINTS",
    "STATUS_LABELS",
    "SUSPECT",
    "TEMPORARY_RELEASE",
    "UNKNOWN",
    "UNLAWFULLY_AT_LARGE",
    "WANTED",
    "ContactLike",
    "Hearing",
    "OpenRight",
    "RestrainingOrder",
    "Standing",
    "UpdateFact",
    "facts",
    "for_staff_from",
    "for_victim_from",
    "next_deadlines",
    "next_hearing",
    "standing",
]


@dataclass(frozen=True)
class Standing:
    status: str
    #: When what `status` says happened (the update that said so).
    status_since: datetime | None
    role: str
    #: The bail, licence or out-of-court conditions that protect the victim (see `conditions_kind`).
    conditions: tuple[str, ...]
    conditions_kind: str | None
    #: On home detention curfew: the hours they must be at home, as probation gave them.
    curfew_hours: str | None
    expected_release: date | None
    next_hearing: Hearing | None
    #: Needed as a witness: at `next_hearing`, or at a hearing whose date is not known yet.
    witness_needed: bool
    rights: tuple[OpenRight, ...]
    restraining_order: RestrainingOrder | None
    contacts: tuple[ContactLike, ...] = ()
    #: What the victim may claim and by when (`portal.services.cases.entitlements`).
    entitlements: tuple[case_entitlements.Entitlement, ...] = ()

    @property
    def status_label(self) -> LazyString:
        return STATUS_LABELS[self.status]

    @property
    def status_hint(self) -> LazyString:
        return STATUS_HINTS[self.status]

    @property
    def role_label(self) -> LazyString:
        return ROLE_LABELS[self.role]


# --- The standing ----------------------------------------------------------------------------------


def standing(
    updates: Iterable[UpdateFact],
    now: datetime,
    contacts: Sequence[ContactLike] = (),
    *,
    reported_on: date | None = None,
) -> Standing:
    """Where things stand now, from the victim's updates of one case (in any order), the time now (aware),
    the victim's named contacts for the case and the date the crime was reported (from which, not knowing
    the crime's own date, the compensation scheme's 2 years are counted). See the module docstring and the
    rules of each step."""
    ordered = _in_order(updates)
    custody = _Custody()
    for fact in ordered:
        step = _CUSTODY_STEPS.get(fact.event_type)
        if step is not None:
            step(custody, fact)
    today = deadlines.london_date(now)
    custody = _as_of(custody, today)
    hearing, witness_needed = _court(ordered, now)
    order = custody.order
    if order is not None and order.until is not None and order.until < today:
        order = None
    release = custody.expected_release
    return Standing(
        status=custody.status,
        status_since=custody.since,
        role=_role(custody),
        conditions=custody.conditions,
        conditions_kind=custody.kind,
        curfew_hours=custody.curfew_hours if custody.status == HOME_DETENTION_CURFEW else None,
        expected_release=release if release is not None and release >= today else None,
        next_hearing=hearing,
        witness_needed=witness_needed,
        rights=_open_rights(ordered, today),
        restraining_order=order,
        contacts=tuple(contacts),
        entitlements=_entitlements(ordered, now, reported_on, hearing),
    )


def _entitlements(
    ordered: Sequence[UpdateFact], now: datetime, reported_on: date | None, hearing: Hearing | None
) -> tuple[case_entitlements.Entitlement, ...]:
    required, witness_at = _witness_hearing(ordered)
    court = case_entitlements.CourtFacts(
        witness_required=required,
        witness_hearing=witness_at,
        next_hearing=hearing.at if hearing is not None else None,
    )
    return case_entitlements.entitlements(
        ordered, reported_on=reported_on, court=court, today=deadlines.london_date(now)
    )


# --- Reading it for a page --------------------------------------------------------------------------


def facts(rows: Iterable[updates_data.UpdateFacts], told: Mapping[str, datetime]) -> list[UpdateFact]:
    """What `standing()` and `next_hearing()` read, from the stored updates and when the victim was told."""
    return [
        UpdateFact(
            event_type=row.event_type,
            details=row.details,
            occurred_at=row.occurred_at,
            received_at=row.received_at,
            told_at=told.get(row.id),
        )
        for row in rows
    ]


def for_victim_from(
    session: Session,
    actor: Actor,
    case: Case,
    rows: Iterable[updates_data.UpdateFacts],
    told: Mapping[str, datetime],
    *,
    now: datetime,
) -> Standing:
    """For the victim themselves, on one of their own cases (`access.case_for_actor`), from the case's
    updates and when the victim was told of each, already read for the page (`timeline.victim_case_page`,
    which counts the updates just opened as told now): one statement, the named contacts."""
    assert actor.victim_id is not None
    contacts = case_contacts.named_contacts(session, case.id, actor.victim_id)
    return standing(facts(rows, told), now, contacts, reported_on=case.reported_on)


def for_staff_from(
    case: Case, rows: Iterable[updates_data.UpdateFacts], told: Mapping[str, datetime], *, now: datetime
) -> Standing:
    """For a witness care officer or a support worker (the caller checked their scope once), from the
    case's updates and when the victim was told of each, already read for the page
    (`timeline.officer_case_page`, `timeline.support_case_page`): no statement. Never the victim's named
    contacts: no delegation lets a support worker see them, and the officer's page shows them from the
    officer's own list (`officer_contacts`)."""
    return standing(facts(rows, told), now, reported_on=case.reported_on)


def next_deadlines(
    session: Session, actor: Actor, cases: Sequence[Case], *, now: datetime | None = None
) -> dict[int, case_entitlements.Entitlement]:
    """For "Your cases" (the victim's own cases): case id -> the entitlement whose last day comes next, for
    the cases where that day is within 28 days, in one statement however many cases there are."""
    assert actor.victim_id is not None
    victim_id = actor.victim_id
    moment = now or datetime.now(UTC)
    by_case: dict[int, list[updates_data.UpdateFacts]] = {}
    for row in updates_data.update_facts(session, [case.id for case in cases], victim_id):
        by_case.setdefault(row.case_id, []).append(row)
    found = {}
    for case in cases:
        items = standing(
            facts(by_case.get(case.id, []), {}), moment, reported_on=case.reported_on
        ).entitlements
        due = case_entitlements.next_deadline(items, deadlines.london_date(moment))
        if due is not None:
            found[case.id] = due
    return found
