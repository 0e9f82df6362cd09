"""The next hearing: the one rule (`next_hearing`) for the case page, its summary panel and "Your cases",
read from the event types in HEARING_EVENTS, and the decisions that end a case (CASE_ENDING_EVENTS)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from portal.services.cases.standing.update_facts import UpdateFact, _datetime, _in_order, _text

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
    "witness-no-longer-needed",
    "offender-arrested-on-warrant",
    "verdict",
    "sentence",
    "appeal-lodged",
    "appeal-outcome",
    *sorted(CASE_ENDING_EVENTS),
)
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Hearing:
    at: datetime
    court_name: str | None
    #: The victim has been told they are needed at this hearing as a witness.
    witness_needed: bool = False


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

    def released(self, fact: UpdateFact) -> None:
        """No longer needed as a witness at the hearing on the date given (London date): the hearing
        stands, without them. A release from another date than the standing hearing's changes nothing."""
        at = _datetime(fact.details.get("hearing_at"))
        if self.hearing is None:
            self.witness_pending = False
            return
        if at is None or at.astimezone(LONDON).date() == self.hearing.at.astimezone(LONDON).date():
            self.hearing = Hearing(self.hearing.at, self.hearing.court_name, witness_needed=False)


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
    elif code == "witness-no-longer-needed":
        court.released(fact)


def _court(updates: Iterable[UpdateFact], now: datetime) -> tuple[Hearing | None, bool]:
    court = _Court()
    for fact in _in_order(u for u in updates if u.event_type in HEARING_EVENTS):
        _court_step(court, fact)
    hearing = court.hearing if court.hearing is not None and court.hearing.at > now else None
    if hearing is not None:
        return hearing, hearing.witness_needed
    return None, court.hearing is None and court.witness_pending


def _witness_hearing(updates: Iterable[UpdateFact]) -> tuple[bool, datetime | None]:
    """Whether the victim was told they are needed as a witness, and when the latest hearing they were
    needed at is or was, by the same steps as the next hearing: moved with it, and forgotten when it is
    called off (adjourned with no new date, replaced, or the case ended) before its day."""
    court = _Court()
    required, at = False, None
    for fact in _in_order(u for u in updates if u.event_type in HEARING_EVENTS):
        _court_step(court, fact)
        required = required or fact.event_type == "witness-required"
        if court.hearing is not None and court.hearing.witness_needed:
            at = court.hearing.at
        elif at is not None and fact.occurred_at < at:
            at = None
    return required, at


def next_hearing(updates: Iterable[UpdateFact], now: datetime | None = None) -> Hearing | None:
    """The next hearing still to come, from the case's updates (only HEARING_EVENTS are read).

    A hearing is set by hearing-scheduled, witness-required or an arrest on a warrant (`hearing_at`), an
    appeal lodged with its hearing date, or a verdict's `sentencing_at`; hearing-changed moves it; an
    adjournment moves it, or with no new date yet means no hearing is arranged. It clears when the case
    ends: no further action, closure, no charge, discontinuance, no evidence offered, a not-guilty verdict,
    or a sentence (or an appeal's outcome after it) with no appeal pending. A hearing already started is
    no longer next. witness-no-longer-needed releases the victim from the hearing on its date (the
    hearing stands, without them)."""
    return _court(updates, now or datetime.now(UTC))[0]
