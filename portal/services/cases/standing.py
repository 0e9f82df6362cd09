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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import updates as updates_data
from portal.models import Case
from portal.services import vocabulary
from portal.services.cases import contacts as case_contacts
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.vocabulary import deadlines
from portal.services.vocabulary import model as vocabulary_model

# --- Where the suspect or offender is -----------------------------------------------------------------

NOT_CHARGED = "not-charged"
ON_BAIL = "on-bail"
REMANDED = "remanded"
WANTED = "wanted"
SERVING = "serving"
ON_LICENCE = "on-licence"
UNLAWFULLY_AT_LARGE = "unlawfully-at-large"
TEMPORARY_RELEASE = "temporary-release"
HOME_DETENTION_CURFEW = "home-detention-curfew"
NOT_PROSECUTED = "not-prosecuted"
CASE_CLOSED = "case-closed"
UNKNOWN = "unknown"

STATUS_LABELS: dict[str, LazyString] = {
    NOT_CHARGED: _l("Not charged"),
    ON_BAIL: _l("On bail"),
    REMANDED: _l("Remanded in custody"),
    WANTED: _l("Wanted on a court warrant"),
    SERVING: _l("Serving a sentence"),
    ON_LICENCE: _l("Released on licence"),
    UNLAWFULLY_AT_LARGE: _l("Unlawfully at large"),
    TEMPORARY_RELEASE: _l("On temporary release"),
    HOME_DETENTION_CURFEW: _l("On home detention curfew"),
    NOT_PROSECUTED: _l("Not being prosecuted"),
    CASE_CLOSED: _l("Case closed"),
    UNKNOWN: _l("Not known"),
}
STATUS_HINTS: dict[str, LazyString] = {
    NOT_CHARGED: _l("No one has been charged yet."),
    ON_BAIL: _l("They are living outside prison until the case continues, and must keep to bail conditions."),
    REMANDED: _l("They are being kept in prison until the case continues."),
    WANTED: _l(
        "They did not come to court, so the court has issued a warrant for their arrest. If you are in "
        "danger, call 999."
    ),
    SERVING: _l("The court has sentenced them."),
    ON_LICENCE: _l(
        "They have been released from prison, and must keep to licence conditions. They can be sent back to "
        "prison if they break them."
    ),
    UNLAWFULLY_AT_LARGE: _l(
        "They have escaped, or have not gone back to custody when they had to. The police are looking for "
        "them. If you see them, or they contact you, call 999."
    ),
    TEMPORARY_RELEASE: _l("They are allowed out of prison for a short time, and must keep to conditions."),
    HOME_DETENTION_CURFEW: _l(
        "They have been released early and must stay at home at set times, wearing an electronic tag."
    ),
    NOT_PROSECUTED: _l("Unless the decision is changed after a review, there will be no prosecution."),
    CASE_CLOSED: _l("The case has ended."),
    UNKNOWN: _l("We have not been told yet."),
}
#: What the person is called at each stage: before charge, once charged, once sentenced.
SUSPECT, DEFENDANT, OFFENDER = "suspect", "defendant", "offender"
ROLE_LABELS: dict[str, LazyString] = {
    SUSPECT: _l("The suspect"),
    DEFENDANT: _l("The defendant"),
    OFFENDER: _l("The offender"),
}
#: Whose conditions protect the victim now.
BAIL, LICENCE, RESOLUTION = "bail", "licence", "resolution"

#: Decisions that end the case: no prosecution, or the case closed (a not-guilty verdict and a sentence
#: with no appeal pending are worked out from their details and what came before).
CASE_ENDING_EVENTS: frozenset[str] = frozenset(
    {
        "suspect-released-no-further-action",
        "investigation-closed",
        "out-of-court-resolution",
        "cps-no-charge-decision",
        "case-discontinued",
        "no-evidence-offered",
    }
)
#: The event types the next-hearing rule reads.
HEARING_EVENTS: tuple[str, ...] = (
    "hearing-scheduled",
    "hearing-changed",
    "hearing-adjourned",
    "witness-required",
    "offender-arrested-on-warrant",
    "verdict",
    "sentence",
    "appeal-lodged",
    "appeal-outcome",
    *sorted(CASE_ENDING_EVENTS),
)


@dataclass(frozen=True)
class UpdateFact:
    """What the standing needs of one update. `told_at`: when the victim was told of it, if they were."""

    event_type: str
    details: Mapping[str, Any]
    occurred_at: datetime
    received_at: datetime
    told_at: datetime | None = None


class ContactLike(Protocol):
    """A named contact as `portal.services.cases.contacts.NamedContact` gives it."""

    @property
    def role(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def when_to_reach(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime: ...


@dataclass(frozen=True)
class Hearing:
    at: datetime
    court_name: str | None
    #: The victim has been told they are needed at this hearing as a witness.
    witness_needed: bool = False


@dataclass(frozen=True)
class OpenRight:
    """A right open to the victim now. `until`: its last day, if it has one and it is known; `has_clock`:
    it has a time limit (so a missing `until` means the date is not known yet, not that there is none)."""

    name: str
    text: str
    until: date | None
    has_clock: bool


@dataclass(frozen=True)
class RestrainingOrder:
    terms: tuple[str, ...]
    until: date | None
    until_further_order: bool


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

    @property
    def status_label(self) -> LazyString:
        return STATUS_LABELS[self.status]

    @property
    def status_hint(self) -> LazyString:
        return STATUS_HINTS[self.status]

    @property
    def role_label(self) -> LazyString:
        return ROLE_LABELS[self.role]


# --- Reading details -------------------------------------------------------------------------------


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _texts(value: Any) -> tuple[str, ...] | None:
    """A list of plain-English items (conditions, terms), or None when the detail is not given."""
    if not isinstance(value, list | tuple):
        return None
    return tuple(" ".join(str(item).split()) for item in value if str(item).strip())


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _in_order(updates: Iterable[UpdateFact]) -> list[UpdateFact]:
    """Oldest first: by when it happened, then when the agency had it (a later correction wins), then by
    content, so that the order they were given in never matters."""

    def key(fact: UpdateFact) -> tuple[Any, ...]:
        told = fact.told_at
        return (
            fact.occurred_at,
            fact.received_at,
            fact.event_type,
            json.dumps(dict(fact.details), sort_keys=True, default=str),
            told is not None,
            told or fact.occurred_at,
        )

    return sorted(updates, key=key)


# --- The next hearing ------------------------------------------------------------------------------


@dataclass
class _Court:
    hearing: Hearing | None = None
    # Needed as a witness at a hearing whose date is not known yet.
    witness_pending: bool = False
    appeal_pending: bool = False
    sentenced: bool = False

    def clear(self) -> None:
        self.hearing = None
        self.witness_pending = False

    def new_hearing(self, fact: UpdateFact, key: str = "hearing_at") -> None:
        """A hearing of its own: the victim is needed at it only if they were told so before any date."""
        at = _datetime(fact.details.get(key))
        if at is not None:
            court = _text(fact.details.get("court_name")) if key == "hearing_at" else None
            self.hearing = Hearing(at, court, witness_needed=self.witness_pending)
            self.witness_pending = False

    def moved(self, fact: UpdateFact) -> None:
        """The same hearing on a new date (or, adjourned with no new date yet, on no date for now)."""
        needed = self.hearing.witness_needed if self.hearing else self.witness_pending
        at = _datetime(fact.details.get("hearing_at"))
        if at is None:
            self.hearing, self.witness_pending = None, needed
            return
        court = _text(fact.details.get("court_name"))
        if court is None and self.hearing is not None:
            court = self.hearing.court_name
        self.hearing, self.witness_pending = Hearing(at, court, witness_needed=needed), False

    def witness(self, fact: UpdateFact) -> None:
        at = _datetime(fact.details.get("hearing_at"))
        if at is None:
            if self.hearing is None:
                self.witness_pending = True
            else:
                self.hearing = Hearing(self.hearing.at, self.hearing.court_name, witness_needed=True)
            return
        court = _text(fact.details.get("court_name"))
        if court is None and self.hearing is not None and self.hearing.at == at:
            court = self.hearing.court_name
        self.hearing, self.witness_pending = Hearing(at, court, witness_needed=True), False


def _acquitted(fact: UpdateFact) -> bool:
    return fact.event_type == "verdict" and fact.details.get("guilty") is False


def _ends_case(fact: UpdateFact) -> bool:
    """A decision after which there is no prosecution, or a not-guilty verdict (a sentence ends the case
    too, unless an appeal is pending: see `_court_step`)."""
    return fact.event_type in CASE_ENDING_EVENTS or _acquitted(fact)


def _court_step(court: _Court, fact: UpdateFact) -> None:
    code = fact.event_type
    if _ends_case(fact):
        court.clear()
    elif code == "sentence":
        court.sentenced = True
        if not court.appeal_pending:
            court.clear()
    elif code == "appeal-lodged":
        court.appeal_pending = True
        court.new_hearing(fact)
    elif code == "appeal-outcome":
        court.appeal_pending = False
        if court.sentenced:
            court.clear()
    elif code == "verdict":
        court.new_hearing(fact, "sentencing_at")  # a sentencing hearing: never needed as a witness
    elif code in ("hearing-scheduled", "offender-arrested-on-warrant"):
        court.new_hearing(fact)
    elif code in ("hearing-changed", "hearing-adjourned"):
        court.moved(fact)
    elif code == "witness-required":
        court.witness(fact)


def _court(updates: Iterable[UpdateFact], now: datetime) -> tuple[Hearing | None, bool]:
    court = _Court()
    for fact in _in_order(u for u in updates if u.event_type in HEARING_EVENTS):
        _court_step(court, fact)
    hearing = court.hearing if court.hearing is not None and court.hearing.at > now else None
    if hearing is not None:
        return hearing, hearing.witness_needed
    return None, court.hearing is None and court.witness_pending


def next_hearing(updates: Iterable[UpdateFact], now: datetime | None = None) -> Hearing | None:
    """The next hearing still to come, from the case's updates (only HEARING_EVENTS are read).

    A hearing is set by hearing-scheduled, witness-required or an arrest on a warrant (`hearing_at`), an
    appeal lodged with its hearing date, or a verdict's `sentencing_at`; hearing-changed moves it; an
    adjournment moves it, or with no new date yet means no hearing is arranged. It clears when the case
    ends: no further action, closure, no charge, discontinuance, no evidence offered, a not-guilty verdict,
    or a sentence (or an appeal's outcome after it) with no appeal pending. A hearing already started is
    no longer next."""
    return _court(updates, now or datetime.now(UTC))[0]


# --- Where the suspect or offender is ------------------------------------------------------------------


@dataclass
class _Custody:
    status: str = UNKNOWN
    since: datetime | None = None
    conditions: tuple[str, ...] = ()
    kind: str | None = None
    charged: bool = False
    sentenced: bool = False
    ended_by: str | None = None
    # Licence conditions set before release, shown once the offender is out.
    licence_conditions: tuple[str, ...] = ()
    expected_release: date | None = None
    # Temporary release or home detention curfew: its first and last days, when given.
    out_from: date | None = None
    out_until: date | None = None
    curfew_hours: str | None = None
    order: RestrainingOrder | None = None

    def set(
        self, fact: UpdateFact, status: str, conditions: tuple[str, ...] = (), kind: str | None = None
    ) -> None:
        self.status, self.since = status, fact.occurred_at
        self.conditions, self.kind = conditions, kind if conditions else None
        self.out_from = self.out_until = self.curfew_hours = None

    def end(self, fact: UpdateFact, status: str, conditions: tuple[str, ...] = ()) -> None:
        self.set(fact, status, conditions, RESOLUTION)
        self.ended_by = fact.event_type

    def in_custody_after_sentence(self, fact: UpdateFact) -> None:
        self.sentenced = True
        self.set(fact, SERVING)


def _investigating(state: _Custody, fact: UpdateFact) -> None:
    if state.status == UNKNOWN and not state.charged:
        state.set(fact, NOT_CHARGED)


def _arrested(state: _Custody, fact: UpdateFact) -> None:
    if not state.charged:
        state.ended_by = None
        state.set(fact, NOT_CHARGED)


def _released_under_investigation(state: _Custody, fact: UpdateFact) -> None:
    if not state.charged:
        state.set(fact, NOT_CHARGED)


def _bailed(state: _Custody, fact: UpdateFact) -> None:
    state.ended_by = None
    state.set(fact, ON_BAIL, _texts(fact.details.get("bail_conditions")) or (), BAIL)


def _bail_changed(state: _Custody, fact: UpdateFact) -> None:
    given = _texts(fact.details.get("bail_conditions"))
    kept = state.conditions if state.status == ON_BAIL else ()
    state.set(fact, ON_BAIL, given if given is not None else kept, BAIL)


def _bail_decided(state: _Custody, fact: UpdateFact) -> None:
    decision = fact.details.get("decision")
    conditions = _texts(fact.details.get("bail_conditions"))
    if decision == "remanded-in-custody":
        state.set(fact, REMANDED)
    elif decision == "bail-granted" or conditions is not None:
        state.set(fact, ON_BAIL, conditions or (), BAIL)


def _arrested_on_warrant(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("decision") is not None or fact.details.get("bail_conditions") is not None:
        _bail_decided(state, fact)
    else:
        state.set(fact, SERVING if state.sentenced else REMANDED)


def _charged(state: _Custody, fact: UpdateFact) -> None:
    # Charged: on bail or in custody, which the court decides (bail-decision) and Witness Care tells.
    state.charged, state.ended_by = True, None
    state.set(fact, UNKNOWN)


def _not_prosecuted(state: _Custody, fact: UpdateFact) -> None:
    state.end(fact, NOT_PROSECUTED)


def _closed(state: _Custody, fact: UpdateFact) -> None:
    state.end(fact, CASE_CLOSED, _texts(fact.details.get("conditions")) or ())


def _verdict(state: _Custody, fact: UpdateFact) -> None:
    if _acquitted(fact):
        state.end(fact, CASE_CLOSED)


def _sentenced(state: _Custody, fact: UpdateFact) -> None:
    state.ended_by = None
    state.in_custody_after_sentence(fact)


#: A review that overturns one of these decisions reopens the case (no evidence offered cannot be undone).
_REOPENABLE = frozenset(
    {
        "suspect-released-no-further-action",
        "investigation-closed",
        "cps-no-charge-decision",
        "case-discontinued",
    }
)


def _reviewed(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("outcome") == "overturned" and state.ended_by in _REOPENABLE:
        state.ended_by = None
        state.set(fact, UNKNOWN if state.charged else NOT_CHARGED)


def _after_sentence(state: _Custody, fact: UpdateFact) -> None:
    """News from probation means there was a sentence, even if no update said so."""
    if not state.sentenced:
        state.in_custody_after_sentence(fact)


def _licence_conditions_set(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    conditions = _texts(fact.details.get("conditions"))
    if conditions is not None:
        state.licence_conditions = conditions
        if state.status in (ON_LICENCE, HOME_DETENTION_CURFEW):
            state.conditions, state.kind = conditions, LICENCE if conditions else None


def _release_date(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    release = _date(fact.details.get("release_date")) or _date(fact.details.get("new_release_date"))
    if release is not None:
        state.expected_release = release


def _parole_decided(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    conditions = _texts(fact.details.get("conditions"))
    if fact.details.get("outcome") == "release" and conditions is not None:
        state.licence_conditions = conditions


def _released(state: _Custody, fact: UpdateFact, status: str = ON_LICENCE) -> None:
    state.sentenced = True
    conditions = _texts(fact.details.get("conditions"))
    if conditions is None:
        conditions = state.licence_conditions
    state.set(fact, status, conditions, LICENCE)
    state.expected_release = None


def _home_detention_curfew(state: _Custody, fact: UpdateFact) -> None:
    _released(state, fact, HOME_DETENTION_CURFEW)
    state.out_from = _date(fact.details.get("release_date"))
    state.curfew_hours = _text(fact.details.get("curfew_hours"))


def _temporary_release(state: _Custody, fact: UpdateFact) -> None:
    state.sentenced = True
    state.set(fact, TEMPORARY_RELEASE, _texts(fact.details.get("conditions")) or (), LICENCE)
    state.out_from = _date(fact.details.get("starts_on"))
    state.out_until = _date(fact.details.get("ends_on"))


def _recalled(state: _Custody, fact: UpdateFact) -> None:
    state.in_custody_after_sentence(fact)


def _at_large(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, UNLAWFULLY_AT_LARGE)


def _wanted(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, WANTED)


def _returned(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, SERVING if state.sentenced else REMANDED)


def _order_made(state: _Custody, fact: UpdateFact) -> None:
    state.order = RestrainingOrder(
        terms=_texts(fact.details.get("terms")) or (),
        until=_date(fact.details.get("order_until")),
        until_further_order=fact.details.get("until_further_order") is True,
    )


def _order_varied(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("change") == "ended":
        state.order = None
        return
    before = state.order or RestrainingOrder((), None, False)
    terms = _texts(fact.details.get("terms"))
    until = _date(fact.details.get("order_until"))
    further = fact.details.get("until_further_order")
    state.order = RestrainingOrder(
        terms=terms if terms is not None else before.terms,
        until=until if until is not None else (None if further is True else before.until),
        until_further_order=further is True or (before.until_further_order and until is None),
    )


_CUSTODY_STEPS: dict[str, Callable[[_Custody, UpdateFact], None]] = {
    "crime-recorded": _investigating,
    "support-referral-made": _investigating,
    "investigation-update": _investigating,
    "suspect-interviewed": _investigating,
    "suspect-arrested": _arrested,
    "suspect-released-under-investigation": _released_under_investigation,
    "suspect-bailed": _bailed,
    "bail-conditions-changed": _bail_changed,
    "suspect-released-no-further-action": _not_prosecuted,
    "cps-no-charge-decision": _not_prosecuted,
    "case-discontinued": _not_prosecuted,
    "no-evidence-offered": _not_prosecuted,
    "investigation-closed": _closed,
    "out-of-court-resolution": _closed,
    "vrr-outcome": _reviewed,
    "suspect-charged": _charged,
    "bail-decision": _bail_decided,
    "arrest-warrant-issued": _wanted,
    "offender-arrested-on-warrant": _arrested_on_warrant,
    "verdict": _verdict,
    "sentence": _sentenced,
    "vcs-referral": _after_sentence,
    "vlo-contact": _after_sentence,
    "parole-review-started": _after_sentence,
    "parole-summary-available": _after_sentence,
    "offender-transferred": _after_sentence,
    "licence-conditions-set": _licence_conditions_set,
    "release-date-set": _release_date,
    "release-date-changed": _release_date,
    "parole-decision": _parole_decided,
    "offender-released": _released,
    "home-detention-curfew": _home_detention_curfew,
    "temporary-release": _temporary_release,
    "offender-recalled": _recalled,
    "offender-escaped": _at_large,
    "offender-absconded": _at_large,
    "offender-returned": _returned,
    "restraining-order-made": _order_made,
    "restraining-order-varied": _order_varied,
}


def _as_of(state: _Custody, today: date) -> _Custody:
    """Temporary release and home detention curfew have dates: before the first day the offender is
    still in prison (due out on it, for a curfew), after a temporary release's last day back in prison."""
    if state.status not in (TEMPORARY_RELEASE, HOME_DETENTION_CURFEW):
        return state
    if state.out_from is not None and state.out_from > today:
        due = state.out_from if state.status == HOME_DETENTION_CURFEW else state.expected_release
        return replace(state, status=SERVING, since=None, conditions=(), kind=None, expected_release=due)
    if state.out_until is not None and state.out_until < today:
        return replace(state, status=SERVING, since=None, conditions=(), kind=None)
    return state


def _role(state: _Custody) -> str:
    if state.sentenced:
        return OFFENDER
    return DEFENDANT if state.charged else SUSPECT


# --- Rights open now -----------------------------------------------------------------------------------

#: Rights that end with a later update: a review once its outcome is known, a Victim Personal Statement
#: to the court at sentence (or when the case ends), one to the Parole Board at its decision.
_CLOSED_BY: tuple[tuple[vocabulary.ReviewRight, Callable[[UpdateFact], bool]], ...] = (
    *(
        (right, lambda fact: fact.event_type == "vrr-outcome")
        for right in (
            vocabulary_model.POLICE_VRR,
            vocabulary_model.CPS_VRR,
            vocabulary_model.CPS_VRR_NO_EVIDENCE,
        )
    ),
    *(
        (right, lambda fact: fact.event_type == "sentence" or _ends_case(fact))
        for right in (vocabulary_model.VPS, vocabulary_model.VPS_BEFORE_SENTENCE)
    ),
    (vocabulary_model.PAROLE_VPS, lambda fact: fact.event_type == "parole-decision"),
)


@dataclass
class _Offered:
    right: OpenRight
    source: vocabulary.ReviewRight | None
    offered_by: UpdateFact
    closed: bool = False


def _rights_of(fact: UpdateFact) -> list[_Offered]:
    """The rights this update offers, with their dates counted from when the victim was told."""
    try:
        event = vocabulary.get_event_type(fact.event_type)
        wording = vocabulary.describe(
            fact.event_type,
            fact.details,
            occurred_at=fact.occurred_at,
            received_at=fact.received_at,
            told_at=fact.told_at,
        )
    except (vocabulary.UnknownEventType, ValueError):
        return []
    by_name = {str(offered.right.name): offered.right for offered in event.offered_rights()}
    found = []
    for right in wording.rights:
        source = by_name.get(right.name)
        name = right.name or (str(source.name) if source is not None else "")
        has_clock = bool(source is not None and (source.has_clock or source.deadline_detail))
        found.append(_Offered(OpenRight(name, right.text, right.until, has_clock), source, fact))
    return found


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
    for fact in ordered:
        for earlier in offered:
            if any(earlier.source is right and closes(fact) for right, closes in _CLOSED_BY):
                earlier.closed = True
        offered.extend(_rights_of(fact))
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


# --- The standing ----------------------------------------------------------------------------------


def standing(updates: Iterable[UpdateFact], now: datetime, contacts: Sequence[ContactLike] = ()) -> Standing:
    """Where things stand now, from the victim's updates of one case (in any order), the time now (aware)
    and the victim's named contacts for the case. See the module docstring and the rules of each step."""
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


def _read(
    session: Session, case: Case, victim_id: str, now: datetime | None, *, with_contacts: bool
) -> Standing:
    """Two statements (the updates, when the victim was told of each), and the named contacts'."""
    rows = updates_data.update_facts(session, [case.id], victim_id)
    told = updates_data.told_times_for_victim(session, victim_id, deadlines.told_by_message, case_id=case.id)
    contacts = case_contacts.named_contacts(session, case.id, victim_id) if with_contacts else []
    return standing(facts(rows, told), now or datetime.now(UTC), contacts)


def for_victim(session: Session, actor: Actor, case: Case, *, now: datetime | None = None) -> Standing:
    """For the victim themselves, on one of their own cases (`access.case_for_actor`). Read it after the
    timeline page has recorded what the victim has just opened, so that those count as told now."""
    assert actor.victim_id is not None
    return _read(session, case, actor.victim_id, now, with_contacts=True)


def for_officer(
    session: Session, actor: Actor, victim_id: str, urn: str, *, now: datetime | None = None
) -> Standing:
    """For a witness care officer: a victim on one of their unit's cases (NotFound otherwise), as the
    victim sees it."""
    _victim, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    return _read(session, case, victim_id, now, with_contacts=True)


def for_support_worker(
    session: Session, actor: Actor, victim_id: str, urn: str, *, now: datetime | None = None
) -> Standing:
    """For a support worker whose delegation lets them see the victim's updates (NotFound otherwise).
    Discreet: only what the updates say (where the suspect is, hearings, rights); never the victim's named
    contacts, which no delegation grants."""
    case, _delegation = access.case_for_worker(session, actor, victim_id, urn)
    return _read(session, case, victim_id, now, with_contacts=False)
